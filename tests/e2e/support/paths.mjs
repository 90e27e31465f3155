import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const e2eDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(e2eDir, '..', '..');
/** Screenshots and logs of a run; gitignored. */
export const outputDir = path.join(e2eDir, 'output');
export const modulesDir = path.join(e2eDir, 'node_modules');
