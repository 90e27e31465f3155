import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Debian's Chromium, headless, with a fresh profile in `workDir` and nothing that phones home. */
export async function launchBrowser({ workDir, viewport = { width: 1280, height: 900 } }) {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: install Debian's chromium (tests/e2e/run.sh does).`);
  }
  const profile = fs.mkdtempSync(path.join(workDir, 'chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}
