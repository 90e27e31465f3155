import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startProcess, waitForHttp } from './processes.mjs';
import { modulesDir } from './paths.mjs';

const cli = path.join(modulesDir, '@microsoft', 'm365agentsplayground', 'cli.js');
const loopback = fileURLToPath(new URL('./loopback.cjs', import.meta.url));

/**
 * The Microsoft 365 Agents Playground (the Teams client emulator) from tests/e2e/node_modules, on a free loopback
 * port, talking to `botEndpoint`. It runs in `workDir` because it reads `.m365agentsplayground.yml` from its
 * working folder (none there: the default users, Alex Wilber as the current user) and writes its devTools/ log there.
 */
export async function startPlayground({ botEndpoint, workDir, logDir }) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const playground = startProcess({
    name: 'Agents Playground',
    command: process.execPath,
    args: ['--require', loopback, cli, '--disable-telemetry', '-p', String(port), '--service-url', `${url}/_connector`],
    cwd: workDir,
    env: { TEAMSAPPTESTER_BROWSER: 'none', BOT_ENDPOINT: botEndpoint },
    logFile: path.join(logDir, 'playground.log'),
  });
  try {
    // It takes another port when the one asked for is busy; the connector URL given to the bot would then be wrong.
    const [, listening] = await playground.waitForOutput(/Listening on (\d+)/, { timeoutMs: 30_000 });
    if (Number(listening) !== port) throw new Error(`the Playground took port ${listening} instead of ${port}`);
    await waitForHttp(url, { timeoutMs: 15_000, message: `the Playground at ${url}` });
  } catch (error) {
    await playground.stop();
    throw new Error(`${error.message}\n--- Playground output ---\n${playground.output().slice(-3_000)}`);
  }

  return {
    ...playground,
    url,
    port,
    /**
     * An `adaptiveCard/action` invoke as `userId`, exactly as the Playground's own UI sends it when a user clicks an
     * Action.Execute button (POST /_conversation/v1/invoke). Returns the bot's invoke response.
     */
    /**
     * What the Playground's "Mock an Activity" menu sends (GET /_internal/v1/customActivities/template, then POST
     * /_internal/v1/customActivities): the template of `type` ("userAdded", "userRemoved", …) for the conversation,
     * changed by `edit`, sent to the bot.
     */
    async mockActivity({ conversationId, type, edit = (activity) => activity }) {
      const template = await fetch(`${url}/_internal/v1/customActivities/template?${new URLSearchParams({ conversationId, type })}`,
        { signal: AbortSignal.timeout(10_000) });
      if (!template.ok) throw new Error(`the ${type} template answered ${template.status}: ${await template.text()}`);
      const activity = edit(await template.json());
      const sent = await fetch(`${url}/_internal/v1/customActivities`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity), signal: AbortSignal.timeout(10_000),
      });
      if (!sent.ok) throw new Error(`sending the ${type} activity answered ${sent.status}: ${await sent.text()}`);
      return activity;
    },
    async invokeCardAction({ userId, conversationId, replyToId, action }) {
      const response = await fetch(`${url}/_conversation/v1/invoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'adaptiveCard/action',
          value: { action: { type: action.type, title: action.title, verb: action.verb, data: action.data } },
          from: { id: userId },
          conversation: { id: conversationId },
          replyToId,
        }),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`invoke as ${userId} answered ${response.status}: ${text}`);
      return JSON.parse(text);
    },
  };
}
