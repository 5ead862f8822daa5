import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../scripts/bundle.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, '.cache', 'bench');

/**
 * The measured steps compiled as the bot is (scripts/bundle.mjs), with the link worker beside them:
 * run through tsx, each process would carry the TypeScript loader (~55 MB), and the link worker,
 * which registers tsx for itself from the sources, would start at 58 MB where the compiled one
 * starts at 24.
 * Returns the compiled sanctions-step.js.
 */
export async function compiledSteps(): Promise<string> {
  await rm(OUT, { recursive: true, force: true });
  await bundle(
    ROOT,
    { 'sanctions-step': 'bench/sanctions-step.ts', 'links-worker': 'src/sanctions/links-worker.ts' },
    OUT,
  );
  return join(OUT, 'sanctions-step.js');
}
