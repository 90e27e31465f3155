// End to end in the Microsoft 365 Agents Playground (the Teams client emulator), in headless Chromium: a rep's
// month with the bot, typed into the Playground's chat box and read off its screen, with the manager answering an
// exception from her own 1:1 chat. Needs the bot built in Release (`dotnet build -c Release EmpowerBot.sln`).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { startBot } from './support/bot.mjs';
import { launchBrowser } from './support/browser.mjs';
import { CardHost } from './support/card-host.mjs';
import { outputDir } from './support/paths.mjs';
import { startPlayground } from './support/playground.mjs';
import { PlaygroundChat } from './support/playground-chat.mjs';
import { waitFor } from './support/processes.mjs';
import { notableLog, story, tearDown } from './support/story.mjs';

// The Playground's built-in users, on the demo team in appsettings.json.
const alex = { id: 'user-id-0', name: 'Alex Wilber' }; // a rep, and the Playground's current user
const megan = { id: 'user-id-1', name: 'Megan Bowen' }; // the team's manager
// A team lead on the demo team for this story, approving exceptions up to $110 (the Playground's Adele Vance).
const adele = { id: 'user-id-2', name: 'Adele Vance', aadObjectId: '00000000-0000-0000-0000-0000000000022' };

const screenshots = path.join(outputDir, 'playground');
const logDir = path.join(outputDir, 'logs');

describe('A rep and a manager in the Agents Playground', { timeout: 200_000 }, () => {
  let workDir;
  let bot;
  let playground;
  let browser;
  let chat; // Alex's Playground window
  let meganCard; // Megan's approval card: where it landed, and a renderer to click it in

  const { step, screenshot, nextShot } = story({ chat: () => chat, peers: () => [bot, playground], notes: () => notableLog(bot) });

  before(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'empowerbot-e2e-'));
    for (const dir of [screenshots, logDir]) {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
    }
    bot = await startBot({
      workDir, logDir, env: {
        Organization__Teams__0__Members__2__Id: `aad:${adele.aadObjectId}`,
        Organization__Teams__0__Members__2__Name: adele.name,
        Organization__Teams__0__Members__2__Role: 'Manager',
        Organization__Teams__0__Members__2__ApprovesUpTo: '110',
        Organization__Teams__0__Members__2__TeamsUserId: adele.id,
      },
    });
    playground = await startPlayground({ botEndpoint: bot.messagesUrl, workDir, logDir });
    browser = await launchBrowser({ workDir });
  }, { timeout: 120_000 });

  after(() => tearDown({ browser, playground, bot, workDir }));

  step('on install, the welcome card greets Alex with his $200.00 a month', async () => {
    chat = await PlaygroundChat.open(browser, { url: playground.url, screenshotDir: screenshots });
    await chat.waitForMessage(['Hi Alex, welcome to EmpowerBot', '$200.00']);
    await screenshot('welcome');
  });

  step('"budget" shows the budget card with the full $200.00 left', async () => {
    const seen = await chat.say('budget');
    await chat.waitForMessage(['Your budget for', '$200.00', 'left to spend'], { after: seen });
    await screenshot('budget');
  });

  step('"credit $25 to ACME-1042 for late delivery" is applied at once, with a receipt showing $175.00 left', async () => {
    const seen = await chat.say('credit $25 to ACME-1042 for late delivery');
    await chat.waitForMessage(['Credit applied', '$25.00', 'ACME-1042', '$175.00'], { after: seen });
    await screenshot('credit-applied');
  });

  step('"budget" then shows $175.00 left', async () => {
    const seen = await chat.say('budget');
    await chat.waitForMessage(['Your budget for', '$175.00', 'ACME-1042'], { after: seen });
  });

  step('"credit $600 to ACME-7 for damaged item" is refused by the hard maximum, a non-negotiable rule', async () => {
    const seen = await chat.say('credit $600 to ACME-7 for damaged item');
    await chat.waitForMessage(["This credit can't be applied", '$600.00', 'Hard maximum'], { after: seen });
  });

  step('"credit $150 to ACME-1042 for late delivery" goes to Megan for approval', async () => {
    const seen = await chat.say('credit $150 to ACME-1042 for late delivery');
    await chat.waitForMessage("This needs Megan's approval", { after: seen });
    await screenshot('credits', { height: 1500 });
  });

  step('Megan receives the approval card in her own 1:1 chat, opened by the bot', async () => {
    const delivered = await waitFor(
      () => chat.messagesSentTo(megan.id).find((m) => m.activity.attachments?.[0]?.content?.body && !m.updated),
      { message: "the approval card in the Playground's log of messages to Megan" });
    assert.ok(!chat.conversationsOf(alex.id).includes(delivered.conversationId), "the card is not in Alex's chat");
    // The Playground's Log Panel, on Alex's screen, shows the bot opening the chat and posting to it.
    await waitFor(async () => (await chat.page.innerText('body')).includes('createConversation 201'),
      { message: 'the Log Panel to show createConversation 201' });

    // Megan's client: the card as the Playground received it, in the official Adaptive Cards renderer.
    const host = await CardHost.open(browser);
    const card = delivered.activity.attachments[0].content;
    const { problems, frame } = await host.render('approval', card);
    assert.deepStrictEqual(problems, []);
    const text = await frame.innerText();
    for (const expected of ['Credit exception for your approval', alex.name, 'ACME-1042', '$150.00', 'over the $100.00 single-credit limit', 'Requested']) {
      assert.ok(text.includes(expected), `Megan's card should show ${expected}:\n${text}`);
    }
    await frame.locator('button[aria-label="Approve"]').waitFor({ state: 'visible' });
    await frame.screenshot({ path: path.join(screenshots, nextShot('megan-approval-card')) });
    meganCard = { host, frame, delivered };
  });

  step('Megan approves in one click; her card then shows the decision and no buttons', async () => {
    const { host, delivered } = meganCard;
    // A click in Megan's card goes to the Playground exactly as its own UI sends it, as Megan.
    let answered;
    host.onAction((action) => {
      answered = playground.invokeCardAction({
        userId: megan.id, conversationId: delivered.conversationId, replyToId: delivered.activityId, action,
      });
      return answered.then(() => undefined, () => undefined);
    });
    await meganCard.frame.locator('button[aria-label="Approve"]').click();
    const response = await (await waitFor(() => answered && { answered }, { message: 'the click on Approve' })).answered;
    assert.equal(response.type, 'application/vnd.microsoft.card.adaptive', JSON.stringify(response));

    const { frame } = await host.render('approval', response.value);
    await waitFor(async () => (await frame.innerText()).includes(`Approved by ${megan.name}`), { message: "Megan's card to show her approval" });
    assert.equal(await frame.locator('button[aria-label="Approve"]').count(), 0, 'the Approve button is gone');
    await frame.screenshot({ path: path.join(screenshots, nextShot('megan-approved-card')) });

    // The bot also updates the copy of the card it posted to Megan's chat.
    await waitFor(() => chat.messagesSentTo(megan.id).some((m) => m.updated && m.activityId === delivered.activityId
      && JSON.stringify(m.activity).includes(`Approved by ${megan.name}`)), { message: "the bot to update Megan's card in her chat" });
  });

  step("Alex's chat shows that Megan Bowen approved his $150.00 credit", async () => {
    await chat.page.bringToFront();
    await chat.waitForMessage(`${megan.name} approved your $150.00 credit`);
    await screenshot('approved');
  });

  step('"history" lists the $150.00 credit as an approved exception', async () => {
    const seen = await chat.say('history');
    const history = await chat.waitForMessage(['Your credits in', 'Approved exception', '$150.00', '$25.00'], { after: seen });
    await history.scrollIntoViewIfNeeded();
    await screenshot('history');
  });

  step('the history card\'s "My budget" button (a card action through the client) shows $175.00 still left and the $150.00 as an approved exception', async () => {
    const seen = await chat.clickCardButton('My budget');
    await chat.waitForMessage(['Your budget for', /\$175\.00\s+left to spend/, /Approved exceptions\s+\$150\.00/], { after: seen });
    await screenshot('budget-after-approval');
  });

  step('an exception the rep no longer wants is withdrawn in one click from its waiting card', async () => {
    const seen = await chat.say('credit $120 to ACME-77, box crushed in transit, damaged item');
    const waiting = await chat.waitForMessage(["This needs Megan's approval", '$120.00', 'ACME-77'], { after: seen });
    await waiting.locator('button[aria-label="Withdraw"]').click();
    await chat.waitForMessage(['Withdrawn by Alex Wilber', '$120.00', /[AP]M UTC/], { after: seen }); // in Alex's own zone, as his client reports it
    await screenshot('withdrawn');
    const asked = await chat.say('status');
    await chat.waitForMessage(['You have no credits waiting for approval'], { after: asked });
  });

  step('Megan declines an exception with her reason, which Alex reads with the outcome', async () => {
    const seen = await chat.say('credit $130 to ACME-55 for a damaged item');
    await chat.waitForMessage(["This needs Megan's approval", '$130.00', 'ACME-55'], { after: seen });
    const delivered = await waitFor(
      () => chat.messagesSentTo(megan.id).find((m) => !m.updated && JSON.stringify(m.activity).includes('ACME-55')),
      { message: 'the second approval card to Megan' });
    const { host } = meganCard;
    let answered;
    host.onAction((action) => {
      answered = playground.invokeCardAction({
        userId: megan.id, conversationId: delivered.conversationId, replyToId: delivered.activityId, action,
      });
      return answered.then(() => undefined, () => undefined);
    });
    const { problems, frame } = await host.render('declined', delivered.activity.attachments[0].content);
    assert.deepStrictEqual(problems, []);
    await frame.locator('textarea').first().fill('Offer a replacement instead');
    await frame.locator('button[aria-label="Decline"]').click();
    const response = await (await waitFor(() => answered && { answered }, { message: 'the click on Decline' })).answered;
    assert.equal(response.type, 'application/vnd.microsoft.card.adaptive', JSON.stringify(response));
    const decided = await host.render('declined', response.value);
    await waitFor(async () => (await decided.frame.innerText()).includes(`Declined by ${megan.name}`), { message: "Megan's card to show her decline" });
    await decided.frame.screenshot({ path: path.join(screenshots, nextShot('megan-declined-card')) });

    await chat.page.bringToFront();
    await chat.waitForMessage([`${megan.name} declined your $130.00 credit to ACME-55`, 'Offer a replacement instead'], { after: seen });
    await screenshot('declined-with-reason');
  });

  step('"credit $105 to ACME-60 for late delivery" goes to Adele, the team lead who approves up to $110, not to Megan', async () => {
    const seen = await chat.say('credit $105 to ACME-60 for late delivery');
    await chat.waitForMessage(["This needs Adele's approval", '$105.00', 'ACME-60'], { after: seen });
    await screenshot('tiered-to-team-lead');
  });

  step('Adele passes it up to Megan in one click from her card; Alex hears where it went', async () => {
    const delivered = await waitFor(
      () => chat.messagesSentTo(adele.id).find((m) => !m.updated && JSON.stringify(m.activity).includes('ACME-60')),
      { message: 'the approval card to Adele' });
    const { host } = meganCard;
    let answered;
    host.onAction((action) => {
      answered = playground.invokeCardAction({ userId: adele.id, conversationId: delivered.conversationId, replyToId: delivered.activityId, action });
      return answered.then(() => undefined, () => undefined);
    });
    const { problems, frame } = await host.render('tiered', delivered.activity.attachments[0].content);
    assert.deepStrictEqual(problems, []);
    const text = await frame.innerText();
    for (const expected of [alex.name, 'ACME-60', '$105.00', 'over the $100.00 single-credit limit']) {
      assert.ok(text.includes(expected), `Adele's card should show ${expected}:\n${text}`);
    }
    await frame.locator('button[aria-label="Pass up to Megan"]').waitFor({ state: 'visible' });
    await frame.screenshot({ path: path.join(screenshots, nextShot('adele-card-pass-up')) });
    await frame.locator('button[aria-label="Pass up to Megan"]').click();
    const response = await (await waitFor(() => answered && { answered }, { message: 'the click on Pass up' })).answered;
    const passed = await host.render('tiered', response.value);
    await waitFor(async () => (await passed.frame.innerText()).includes(`Passed up by ${adele.name}`), { message: "Adele's card to say she passed it up" });
    assert.equal(await passed.frame.locator('button[aria-label="Approve"]').count(), 0, 'Adele can no longer decide it');
    await passed.frame.screenshot({ path: path.join(screenshots, nextShot('adele-passed-up')) });

    await chat.page.bringToFront();
    await chat.waitForMessage('Adele passed your $105.00 credit to ACME-60 up to Megan');
    await screenshot('rep-told-passed-up');
  });

  step('Megan gets the passed-up request with who passed it, and approves it; Alex hears the outcome', async () => {
    const delivered = await waitFor(
      () => chat.messagesSentTo(megan.id).find((m) => !m.updated && JSON.stringify(m.activity).includes('ACME-60')),
      { message: 'the passed-up card to Megan' });
    const { host } = meganCard;
    let answered;
    host.onAction((action) => {
      answered = playground.invokeCardAction({ userId: megan.id, conversationId: delivered.conversationId, replyToId: delivered.activityId, action });
      return answered.then(() => undefined, () => undefined);
    });
    const { problems, frame } = await host.render('tiered', delivered.activity.attachments[0].content);
    assert.deepStrictEqual(problems, []);
    const shown = await frame.innerText();
    assert.ok(shown.includes(`Passed up by ${adele.name}`) && shown.includes('now with Megan.'), shown);
    assert.ok(!shown.includes('aad:'), `the card names people, never their keys:\n${shown}`);
    await frame.screenshot({ path: path.join(screenshots, nextShot('megan-passed-up-card')) });
    await frame.locator('button[aria-label="Approve"]').click();
    await (await waitFor(() => answered && { answered }, { message: 'the click on Approve' })).answered;

    await chat.page.bringToFront();
    await chat.waitForMessage(`${megan.name} approved your $105.00 credit`);
    // Alex's own card of the request is replaced by the outcome: the Playground shows no per-user refresh, so the bot updates it.
    await waitFor(() => chat.messagesSentTo(alex.id).some((m) => m.updated && JSON.stringify(m.activity).includes('ACME-60')
      && JSON.stringify(m.activity).includes(`Approved by ${megan.name}`)), { message: "the bot to update Alex's card of the request" });
    await chat.waitForMessage([`Approved by ${megan.name}`, 'ACME-60', '$105.00']);
    await screenshot('tiered-approved');
  });

  step('"ACME-31 gets $10 for late delivery", a credit not led by a verb, is applied', async () => {
    const seen = await chat.say('ACME-31 gets $10 for late delivery');
    await chat.waitForMessage(['Credit applied', '$10.00', 'ACME-31'], { after: seen });
  });

  step('the credit form, completed and clicked twice, applies one credit and is replaced by its receipt', async () => {
    const seen = await chat.say('credit ACME-88 for late delivery');
    const form = await chat.waitForMessage(['Apply credit'], { after: seen });
    await form.locator('input').first().fill('12');
    const apply = form.locator('button[aria-label="Apply credit"]');
    await apply.click();
    // The second click lands on the form or, once the receipt has replaced it, on the receipt's first button, My
    // budget: a double-click never reaches Undo.
    await apply.click({ timeout: 2_000 }).catch(() => {});
    await chat.waitForMessage(['Credit applied', '$12.00', 'ACME-88'], { after: seen - 1 });
    await screenshot('form-replaced-by-receipt');
    const asked = await chat.say('history');
    const history = await chat.waitForMessage(['Your credits in', 'ACME-88'], { after: asked });
    assert.equal((await history.innerText()).match(/ACME-88/g).length, 1, 'one credit to ACME-88 in the history');
  });

  step('"can I give ACME-9 $40 for a missing item?" gets the decision with an Apply button, and nothing is applied until the click', async () => {
    const seen = await chat.say('can I give ACME-9 $40 for a missing item?');
    const answer = await chat.waitForMessage(['Yes, you can give this credit', '$40.00', 'ACME-9', 'Nothing has been applied'], { after: seen });
    await screenshot('question-answered');
    const asked = await chat.say('budget');
    const budget = await chat.waitForMessage(['Your budget for'], { after: asked });
    assert.ok(!(await budget.innerText()).includes('ACME-9'), 'the question applied nothing');

    // The receipt takes the answer's place (or follows it, where a client cannot replace a message).
    await answer.locator('button[aria-label="Apply"]').click();
    await chat.waitForMessage(['Credit applied', '$40.00', 'ACME-9'], { after: seen });
    await screenshot('question-applied');
  });

  step('"what can I give without asking?" shows the rep\'s own limits, every rule with its figure', async () => {
    const seen = await chat.say('what can I give without asking?');
    const limits = await chat.waitForMessage(['Your credit limits', '$100.00', '$500.00', 'Goodwill up to $20.00', 'cash refund', '15 minutes'], { after: seen });
    await limits.scrollIntoViewIfNeeded();
    await screenshot('limits', { height: 1400 });
  });

  step('"obstacle the refunds mailbox isn\'t monitored" is logged with a number, ready for colleagues to back', async () => {
    const seen = await chat.say("obstacle the refunds mailbox isn't monitored");
    await chat.waitForMessage(['logged as #1', 'refunds mailbox'], { after: seen });
    await screenshot('obstacle');
  });

  step('"break 10" starts a quiet break and says when it ends', async () => {
    const seen = await chat.say('break 10');
    await chat.waitForMessage(['quiet break has started'], { after: seen });
    await screenshot('break');
  });
});
