import fs from 'node:fs';
import { it } from 'node:test';

/**
 * The steps of one story in the Playground: each a test, numbered screenshots, and after a failure the rest skipped
 * (they would fail for the same reason) with a screenshot of the moment and the peers' exit, if any, in the error.
 * `chat()` and `peers()` are read when needed, since they are made in the suite's before().
 */
export function story({ chat, peers, notes = () => [] }) {
  let brokenAt = null;
  let shot = 0;
  const screenshot = async (name, options) => chat()?.screenshot(`${String(++shot).padStart(2, '0')}-${name}`, options);
  const nextShot = (name) => `${String(++shot).padStart(2, '0')}-${name}.png`;
  const step = (name, body) => it(name, { timeout: 60_000 }, async (t) => {
    if (brokenAt) {
      t.skip(`an earlier step failed: ${brokenAt}`);
      return;
    }
    try {
      await body(t);
    } catch (error) {
      brokenAt = name;
      await screenshot('FAILED').catch(() => {});
      for (const peer of peers()) {
        try { peer?.assertRunning(); } catch (exited) { error.message += `\n${exited.message}`; }
      }
      const notable = notes();
      if (notable.length > 0) error.message += `\nthe bot's log says:\n${notable.join('\n')}`;
      throw error;
    }
  });
  return { step, screenshot, nextShot };
}

/** The bot's warnings, errors and dropped outbox messages, the first place to look when a step fails. */
export function notableLog(bot) {
  return (bot?.output() ?? '')
    .split(/\n(?=[a-z]+: )/)
    .filter((entry) => /^(warn|fail|crit): /.test(entry) || /dropped/.test(entry))
    .filter((entry) => !entry.includes('LOCAL DEVELOPMENT MODE'))
    .map((entry) => entry.replace(/\s+/g, ' ').trim())
    .slice(-8);
}

/** Stops the story's browser, Playground and bot, each on its own (one that fails to stop keeps no other running), and removes its folder. */
export async function tearDown({ browser, playground, bot, workDir }) {
  await browser?.close().catch((error) => console.error(`closing the browser: ${error.message}`));
  await playground?.stop().catch((error) => console.error(`stopping the Playground: ${error.message}`));
  await bot?.stop().catch((error) => console.error(`stopping the bot: ${error.message}`));
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
}
