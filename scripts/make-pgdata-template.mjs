#!/usr/bin/env node
// Writes prisma/pgdata-template.tar.br: an embedded database straight out of initdb, before any
// migration. The bot starts a new data directory from it instead of running initdb, which peaks
// near 900 MB (too much for a 1 GB server) and takes seconds. Regenerate after upgrading
// @electric-sql/pglite (test/db/template.test.ts fails when the two no longer agree):
//   node scripts/make-pgdata-template.mjs
import { writeFile } from 'node:fs/promises';
import { brotliCompressSync, constants } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';

const pglite = await PGlite.create();
// Written out now, so the template carries no work for recovery to redo at its first start.
await pglite.exec('CHECKPOINT');
const tar = Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer());
await pglite.close();
// Brotli at its best: 1.4 MB rather than gzip's 4.5 MB in the repository; unpacking takes ~0.1 s.
const packed = brotliCompressSync(tar, {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
    [constants.BROTLI_PARAM_LGWIN]: 24,
    [constants.BROTLI_PARAM_SIZE_HINT]: tar.length,
  },
});
await writeFile(new URL('../prisma/pgdata-template.tar.br', import.meta.url), packed);
process.stdout.write(`prisma/pgdata-template.tar.br: ${packed.length} bytes (${tar.length} unpacked)\n`);
