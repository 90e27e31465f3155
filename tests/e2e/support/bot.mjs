import fs from 'node:fs';
import path from 'node:path';
import { freePort, startProcess, waitForHttp } from './processes.mjs';
import { repoRoot } from './paths.mjs';

export const botDll = path.join(repoRoot, 'bot', 'bin', 'Release', 'net10.0', 'EmpowerBot.dll');

/**
 * The bot as built by `dotnet build -c Release`, in local development mode, on a free loopback port, with a fresh
 * SQLite file in `workDir`; the repository's appsettings.json and cards/ as they are, with `env` over them.
 */
export async function startBot({ workDir, logDir, env = {} }) {
  if (!fs.existsSync(botDll)) {
    throw new Error(`${botDll} is missing: run \`dotnet build -c Release EmpowerBot.sln\` first.`);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const bot = startProcess({
    name: 'EmpowerBot',
    command: 'dotnet',
    args: [botDll],
    cwd: workDir,
    env: {
      ASPNETCORE_ENVIRONMENT: 'Development',
      ASPNETCORE_URLS: url,
      Storage__SqlitePath: path.join(workDir, 'e2e.db'),
      EMPOWERBOT_ROOT: repoRoot,
      DOTNET_NOLOGO: '1',
      ...env,
    },
    logFile: path.join(logDir, 'bot.log'),
  });
  try {
    await waitForHttp(`${url}/healthz`, { timeoutMs: 60_000, message: `the bot's /healthz at ${url}` });
  } catch (error) {
    await bot.stop();
    throw new Error(`${error.message}\n--- bot output ---\n${bot.output().slice(-3_000)}`);
  }
  return { ...bot, url, port, messagesUrl: `${url}/api/messages` };
}
