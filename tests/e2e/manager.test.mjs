// End to end in the Microsoft 365 Agents Playground as Megan Bowen, the demo team's manager (the Playground started
// with docs/playground/manager/.m365agentsplayground.yml): she changes the team's limits in the policy card and
// exports the month for finance, then downloads the ledger through the link the bot gave her.
// Needs the bot built in Release (`dotnet build -c Release EmpowerBot.sln`).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { startBot } from './support/bot.mjs';
import { launchBrowser } from './support/browser.mjs';
import { outputDir, repoRoot } from './support/paths.mjs';
import { startPlayground } from './support/playground.mjs';
import { PlaygroundChat } from './support/playground-chat.mjs';
import { waitFor } from './support/processes.mjs';
import { notableLog, story, tearDown } from './support/story.mjs';

const megan = { id: 'user-id-1', name: 'Megan Bowen' };
const screenshots = path.join(outputDir, 'manager');
const logDir = path.join(outputDir, 'logs-manager');

describe('A manager in the Agents Playground', { timeout: 150_000 }, () => {
  let workDir;
  let bot;
  let playground;
  let browser;
  let chat;
  const { step, screenshot } = story({ chat: () => chat, peers: () => [bot, playground], notes: () => notableLog(bot) });

  before(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'empowerbot-e2e-manager-'));
    for (const dir of [screenshots, logDir]) {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
    }
    // The Playground reads its users from its working folder: Megan is the current user.
    fs.copyFileSync(path.join(repoRoot, 'docs', 'playground', 'manager', '.m365agentsplayground.yml'), path.join(workDir, '.m365agentsplayground.yml'));
    // Megan is also an org admin here, so she can make the managers of a team the app is installed in.
    // And the customer-service executive, so she gets the organisation view.
    bot = await startBot({ workDir, logDir, env: { Organization__Admins__0: '00000000-0000-0000-0000-0000000000021', Organization__Executives__0: '00000000-0000-0000-0000-0000000000021' } });
    playground = await startPlayground({ botEndpoint: bot.messagesUrl, workDir, logDir });
    browser = await launchBrowser({ workDir });
  }, { timeout: 120_000 });

  after(() => tearDown({ browser, playground, bot, workDir }));

  step('on install, Megan is welcomed as the manager she is', async () => {
    chat = await PlaygroundChat.open(browser, { url: playground.url, screenshotDir: screenshots });
    await chat.waitForMessage(['Megan']);
  });

  step('"policy" shows the team\'s limits in the card\'s inputs, and the organisation\'s rules as fixed', async () => {
    const seen = await chat.say('policy');
    const card = await chat.waitForMessage(['Frontline Demo: credit policy', 'Fixed by the organisation', '$500.00', 'cash refund'], { after: seen });
    const values = await card.locator('input').evaluateAll((inputs) => inputs.map((i) => i.value));
    // Budget, single-credit limit, undo window, repeat rule; then one cap per reason (Goodwill's is 20).
    assert.deepStrictEqual(values.slice(0, 5), ['200', '100', '15', '2', '30'], `the inputs show the team's limits: ${values}`);
    assert.ok(values.includes('20'), `Goodwill's cap is shown: ${values}`);
    await card.scrollIntoViewIfNeeded();
    await screenshot('policy-card', { height: 1600 });
  });

  step('a single-credit limit above the hard maximum is refused with the reason, and nothing is saved', async () => {
    const before = await chat.botMessages.count();
    const card = chat.botMessages.nth(before - 1);
    await card.locator('input').nth(1).fill('900');
    await card.locator('button[aria-label="Save"]').click();
    await chat.waitForMessage(['can be at most $500.00', "the organisation's hard maximum"], { after: before - 1 });
    await screenshot('policy-refused', { height: 1600 });
  });

  step('Megan raises the single-credit limit to $150 and saves: the bot confirms what changed', async () => {
    const seen = await chat.say('policy');
    const card = await chat.waitForMessage(['Frontline Demo: credit policy'], { after: seen });
    await card.locator('input').nth(1).fill('150');
    await card.locator('button[aria-label="Save"]').click();
    await chat.waitForMessage(["Saved. Frontline Demo's limits from now on", 'Single-credit limit: $100.00 → $150.00'], { after: seen });
    await screenshot('policy-saved');
  });

  step('"export" answers an org admin with the organisation\'s month as three CSV files, and the audit trail link downloads a CSV', async () => {
    const seen = await chat.say('export');
    await chat.waitForMessage(['Export: the organisation', 'Ledger (CSV)', 'Audit trail (CSV)'], { after: seen }); // Megan is an org admin here
    await screenshot('export');
    const sent = await waitFor(() => chat.messagesSentTo(megan.id).map((m) => m.activity)
      .find((a) => JSON.stringify(a).includes('/api/export/audit.csv')), { message: 'the export card among the messages to Megan' });
    const urls = sent.attachments[0].content.actions.map((a) => a.url);
    const audit = urls.find((u) => u.includes('/api/export/audit.csv'));
    assert.ok(audit, `the export card links the audit trail: ${JSON.stringify(urls)}`);
    const response = await fetch(audit, { signal: AbortSignal.timeout(10_000) });
    assert.equal(response.status, 200);
    const csv = (await response.text()).replace(/^\uFEFF/, '');
    assert.ok(csv.startsWith('at,team,by,by_name,what,field,from,to'), csv.slice(0, 200));
    assert.ok(csv.includes('Megan Bowen,Single-credit limit,threshold,$100.00,$150.00'), csv);
  });

  step('opening the team\'s General channel installs the app there: the channel hears that My Team is linked, with its members', async () => {
    await chat.page.getByText('General', { exact: true }).first().click();
    // A channel is shown as posts, not as chat messages: read the page.
    await waitFor(async () => {
      const text = await chat.page.innerText('body');
      return ['EmpowerBot is linked to My Team', 'its 4 members', 'a month on their own', 'Alex Wilber and Megan Bowen stay in the teams they are already in']
        .every((t) => text.includes(t));
    }, { message: "the channel post that My Team is linked, with Adele, Isaiah, Patti and Lynne as its members" });
    await screenshot('team-linked');
    assert.ok(chat.activityLog.some((e) => e.activityName === 'getConversationPagedMembers' && e.response?.statusCode === 200),
      "the bot read the team's members from the Playground's connector");
  });

  step('back in her 1:1 chat, Megan (an org admin) makes Adele a manager of My Team; Adele is told', async () => {
    await chat.page.getByText('Personal Chat', { exact: true }).first().click();
    const seen = await chat.say('make Adele a manager of My Team');
    await chat.waitForMessage(['Done: Adele Vance is a manager of My Team', "I've told them"], { after: seen });
    await screenshot('manager-made');
    await waitFor(() => chat.messagesSentTo('user-id-2').some((m) => JSON.stringify(m.activity).includes('made you a manager of My Team')),
      { message: 'the message to Adele' });
  });

  // Isaiah Langer, one of the Playground team's members, leaves it and comes back, as the Playground's "Mock an
  // Activity" menu sends it (Remove user / Add user), edited to name him.
  const isaiah = { id: 'user-id-3', aadObjectId: '00000000-0000-0000-0000-0000000000023' };
  const isaiahIn = (activity, key) => ({ ...activity, [key]: [{ id: isaiah.id, aadObjectId: isaiah.aadObjectId }] });

  step('Isaiah leaves the Teams team: he is out of My Team at once, so the bot no longer knows him there', async () => {
    const sent = await playground.mockActivity({ conversationId: 'team-id', type: 'userRemoved', edit: (a) => isaiahIn(a, 'membersRemoved') });
    assert.equal(sent.channelData?.eventType, 'teamMemberRemoved', JSON.stringify(sent));
    await waitFor(() => chat.activityLog.some((e) => e.activityName === 'conversationUpdate' && e.response?.statusCode === 200
      && JSON.stringify(e.request?.body ?? {}).includes('teamMemberRemoved')), { message: 'the bot to take the removal' });
    const seen = await chat.say('remove Isaiah from My Team');
    await chat.waitForMessage(['I don\'t know anyone called "Isaiah" yet'], { after: seen });
  });

  step('Isaiah is added back: he joins My Team with his name from the team roster, and Megan makes him a team lead', async () => {
    const sent = await playground.mockActivity({ conversationId: 'team-id', type: 'userAdded', edit: (a) => isaiahIn(a, 'membersAdded') });
    assert.equal(sent.channelData?.eventType, 'teamMemberAdded', JSON.stringify(sent));
    await waitFor(() => chat.activityLog.some((e) => e.activityName === 'conversationUpdate' && e.response?.statusCode === 200
      && JSON.stringify(e.request?.body ?? {}).includes('"membersAdded"') && JSON.stringify(e.request?.body ?? {}).includes(isaiah.aadObjectId)),
      { message: 'the bot to take the addition' });
    const seen = await chat.say('make Isaiah a team lead of My Team up to $250');
    await chat.waitForMessage(['Done: Isaiah Langer is a team lead (approving up to $250.00) of My Team'], { after: seen });
    await screenshot('member-joined-made-lead');
  });

  step('"team" shows Megan her team\'s month, budget use drawn as a bar chart', async () => {
    await chat.page.getByText('Personal Chat', { exact: true }).first().click();
    const seen = await chat.say('team');
    const card = await chat.waitForMessage(['Frontline Demo ·', 'Frontline resolution rate', 'Budget use', 'Exceptions'], { after: seen });
    await waitFor(async () => (await card.locator('svg').count()) > 0, { message: "the team card's budget-use bar chart" });
    await card.scrollIntoViewIfNeeded();
    await screenshot('team-view', { height: 1400 });
  });

  step('"org" shows Megan, the executive, every team side by side, budget use drawn as a chart, and a team too small to show kept to the totals', async () => {
    await chat.page.getByText('Personal Chat', { exact: true }).first().click();
    const seen = await chat.say('org');
    const card = await chat.waitForMessage(['All teams ·', 'Frontline resolution rate, all teams', 'Team by team, last six months', 'Budget use', 'Exceptions'], { after: seen });
    const text = await card.innerText();
    // Frontline Demo has one rep (Alex) here, and My Team only Isaiah's colleagues without credits: no team shows figures of its own.
    assert.ok(/of fewer than 3 reps: counted in the totals/.test(text), text);
    for (const name of ['Alex', 'Adele', 'Isaiah', 'Patti', 'Lynne']) assert.ok(!text.includes(name), `no person's name on the executive's card: ${name}\n${text}`);
    // The Playground draws Adaptive Cards charts, as Teams does: budget use is a bar chart here, not the fallback columns.
    await waitFor(async () => (await card.locator('svg').count()) > 0, { message: 'the budget-use bar chart drawn on the card' });
    await card.scrollIntoViewIfNeeded();
    await screenshot('org-view', { height: 1400 });
  });
});
