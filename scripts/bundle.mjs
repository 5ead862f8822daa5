// The one set of esbuild options for everything that runs as compiled JavaScript: the bot and its
// CLI (scripts/build.mjs), and the benchmark steps (bench/bundle.ts), which are measured as the bot
// runs, without a TypeScript loader in the process.
import { build } from 'esbuild';

/** Bundles `entryPoints` ({ name: source }) into `outdir`, one ESM file per entry, shared chunks beside them. */
export function bundle(root, entryPoints, outdir) {
  return build({
    absWorkingDir: root,
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    packages: 'external',
    sourcemap: true,
    chunkNames: 'chunk-[hash]',
    logLevel: 'warning',
  });
}
