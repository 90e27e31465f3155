// Card conformance: every template in cards/, bound to its sample in cards/samples/ by the bot's own binder,
// must equal what the official adaptivecards-templating engine makes of it, parse cleanly with the official
// adaptivecards object model, and render in Chromium with the official renderer showing its text.
// Templates are found at run time, so new ones are covered as soon as they land with their sample data.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { launchBrowser } from './support/browser.mjs';
import { CardHost } from './support/card-host.mjs';
import {
  bindWithOfficialEngine, bindWithOurBinder, cardsDir, officialParseProblems, readJson, samplesDir, templateNames,
  variantsOf, visibleTexts,
} from './support/cards.mjs';
import { outputDir } from './support/paths.mjs';

// This renderer draws no Adaptive Cards charts (Teams and the Agents Playground do): it says so and shows the chart's
// fallback, which every chart in cards/ must have (CardTemplatesTests). That is the fallback path working, not a problem.
const chartFallsBack = (problem) => /^UnknownElementType: Unknown element type "Chart\.[A-Za-z.]+"\. Fallback will be used if present\.$/.test(problem);

const names = templateNames();
const screenshots = path.join(outputDir, 'cards');

describe('Card templates agree with the official Adaptive Cards libraries', { timeout: 120_000 }, () => {
  let workDir;
  let ours;
  let browser;
  let host;

  before(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'empowerbot-cards-'));
    fs.rmSync(screenshots, { recursive: true, force: true });
    fs.mkdirSync(screenshots, { recursive: true });

    // The samples and their variants, bound by our binder in one run.
    const samples = path.join(workDir, 'samples');
    fs.mkdirSync(samples);
    for (const name of names) {
      const file = path.join(samplesDir, `${name}.data.json`);
      if (!fs.existsSync(file)) continue;
      const sample = readJson(file);
      fs.writeFileSync(path.join(samples, `${name}.data.json`), JSON.stringify(sample));
      for (const [variant, data] of Object.entries(variantsOf(sample))) {
        fs.writeFileSync(path.join(samples, `${name}.${variant}.data.json`), JSON.stringify(data));
      }
    }
    ours = bindWithOurBinder(samples);

    browser = await launchBrowser({ workDir, viewport: { width: 560, height: 900 } });
    host = await CardHost.open(browser);
  });

  after(async () => {
    await browser?.close().catch(() => {});
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('finds the templates in cards/', () => {
    assert.ok(names.length > 0, `no *.json templates in ${cardsDir}`);
  });

  for (const name of names) {
    describe(name, () => {
      const template = readJson(path.join(cardsDir, `${name}.json`));
      const ourCard = () => {
        assert.ok(fs.existsSync(path.join(samplesDir, `${name}.data.json`)), `cards/${name}.json needs sample data in cards/samples/${name}.data.json`);
        const card = ours.cards[name];
        assert.ok(card, `our binder refused the sample: ${ours.refused[name] ?? 'no output'}`);
        return card;
      };

      it('our binder produces exactly what adaptivecards-templating produces from the sample', () => {
        const official = bindWithOfficialEngine(template, readJson(path.join(samplesDir, `${name}.data.json`)));
        assert.deepStrictEqual(ourCard(), official);
      });

      it('our binder agrees with adaptivecards-templating on variants of the sample (flags flipped, lists emptied, fields null or missing)', () => {
        ourCard();
        const disagreements = [];
        const variants = variantsOf(readJson(path.join(samplesDir, `${name}.data.json`)));
        for (const [variant, data] of Object.entries(variants)) {
          const key = `${name}.${variant}`;
          let official;
          let officialError;
          try {
            official = bindWithOfficialEngine(template, data);
          } catch (error) {
            officialError = error;
          }
          if (officialError) {
            // Where the official engine throws (a null spliced into text), ours must refuse too, not guess.
            if (key in ours.cards) disagreements.push(`${variant}: the official engine throws (${officialError.message}) but ours bound a card`);
          } else if (!(key in ours.cards)) {
            disagreements.push(`${variant}: ours refused (${ours.refused[key]}) but the official engine bound a card`);
          } else if (!isDeepStrictEqual(ours.cards[key], official)) {
            disagreements.push(`${variant}: the cards differ\n  official: ${JSON.stringify(official)}\n  ours:     ${JSON.stringify(ours.cards[key])}`);
          }
        }
        assert.ok(Object.keys(variants).length > 0);
        assert.deepStrictEqual(disagreements, [], `${disagreements.length} of ${Object.keys(variants).length} variants disagree:\n${disagreements.join('\n')}`);
      });

      it('the bound card parses with the adaptivecards object model without a parse or validation error', () => {
        assert.deepStrictEqual(officialParseProblems(ourCard()).filter((p) => !chartFallsBack(p)), []);
      });

      it('the bound card renders in Chromium with the adaptivecards renderer, showing its text', async () => {
        const card = ourCard();
        const { rendered, problems, frame } = await host.render(name, card);
        assert.ok(rendered, 'the renderer returned no element');
        assert.deepStrictEqual(problems.filter((p) => !chartFallsBack(p)), []);
        await frame.screenshot({ path: path.join(screenshots, `${name}.png`) });
        const box = await frame.locator('.ac-adaptiveCard').boundingBox();
        assert.ok(box && box.width > 0 && box.height > 40, `rendered card has size ${JSON.stringify(box)}`);
        const shown = (await frame.innerText()).replace(/\s+/g, ' ');
        const missing = visibleTexts(card).filter((text) => !shown.includes(text.replace(/\s+/g, ' ').trim()));
        assert.deepStrictEqual(missing, [], `text not shown on the rendered card:\n${shown}`);
      });
    });
  }
});
