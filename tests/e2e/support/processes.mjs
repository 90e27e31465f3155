import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

// Process groups still running, killed when this test process exits however it exits, so a failed or interrupted
// run never leaves a bot or a Playground behind.
const running = new Set();
function killAll() {
  for (const pid of running) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
  }
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killAll();
    process.kill(process.pid, signal);
  });
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `probe` until it returns something truthy; throws `message` (and the last error) after `timeoutMs`. */
export async function waitFor(probe, { timeoutMs = 15_000, intervalMs = 200, message = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${message}${lastError ? `: ${lastError.message}` : ''}`);
    }
    await sleep(intervalMs);
  }
}

/** Waits until `url` answers 200. */
export function waitForHttp(url, options = {}) {
  return waitFor(async () => (await fetch(url, { signal: AbortSignal.timeout(2_000) })).status === 200,
    { message: `${url} to answer 200`, ...options });
}

/**
 * Starts a command in its own process group (so stopping it also stops whatever it started), with its output
 * written to `logFile` and kept for error messages.
 */
export function startProcess({ name, command, args, cwd, env, logFile }) {
  const log = fs.createWriteStream(logFile);
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child.pid);
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    running.delete(child.pid);
    resolve({ code, signal });
  }));
  let exit = null;
  exited.then((result) => { exit = result; });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      log.write(chunk);
      output = (output + chunk).slice(-20_000);
    });
  }

  return {
    name,
    pid: child.pid,
    output: () => output,
    /** Throws with the tail of the output if the process has already ended. */
    assertRunning() {
      if (exit) throw new Error(`${name} exited (${exit.signal ?? exit.code}):\n${output.slice(-3_000)}`);
    },
    /** Waits for a line of output matching `pattern`; returns the match. */
    waitForOutput(pattern, options = {}) {
      return waitFor(() => {
        this.assertRunning();
        return output.match(pattern);
      }, { message: `${name} to print ${pattern}`, ...options });
    },
    /** SIGTERM to the group, then SIGKILL if it is still there after a few seconds. */
    async stop() {
      if (exit === null) {
        try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
        const killed = await Promise.race([exited, sleep(5_000).then(() => null)]);
        if (!killed) {
          try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
          await exited;
        }
      }
      running.delete(child.pid);
      await new Promise((resolve) => log.end(resolve));
    },
  };
}
