#!/usr/bin/env node
// Compiles the bot to dist/, so `npm start` and the CLI run plain JavaScript: no TypeScript loader
// in the running process (55 MB less) and no per-module transpiling at start-up. esbuild comes with
// tsx; bundling takes well under a second.
//
// `--if-stale` (what npm start and npm run cli use) builds only when a source is newer than the last
// build: a CLI command run beside a running bot must not replace the files that bot loads lazily.
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from './bundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const stamp = join(dist, '.built');

async function newestSource() {
  let newest = 0;
  const visit = async (path) => {
    const info = await stat(path).catch(() => undefined);
    if (!info) return;
    if (info.isDirectory()) {
      for (const name of await readdir(path)) await visit(join(path, name));
    } else newest = Math.max(newest, info.mtimeMs);
  };
  for (const path of ['src', 'commands', 'package-lock.json', 'scripts/build.mjs', 'scripts/bundle.mjs'])
    await visit(join(root, path));
  return newest;
}

if (process.argv.includes('--if-stale')) {
  const built = await stat(stamp).catch(() => undefined);
  if (built && built.mtimeMs >= (await newestSource())) process.exit(0);
}

// Chunk names carry a hash: without clearing, old chunks would pile up beside the new ones.
await rm(dist, { recursive: true, force: true });
await bundle(
  root,
  { main: 'src/main.ts', cli: 'src/cli.ts', 'links-worker': 'src/sanctions/links-worker.ts' },
  'dist',
);
await writeFile(stamp, '');
