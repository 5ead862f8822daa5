import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../src/db/migrator.ts';
import { pgliteRunner } from '../../src/db/sql.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplates: { empty: string; migrated: string } | null;
  }
}

/**
 * Creating a PGlite database runs initdb (about 4 s here); loading a dumped one takes about 1 s.
 * So the embedded suite dumps two templates once, before and after migrations, and every test
 * database starts from one of them.
 */
export async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE_URL) {
    project.provide('pgliteTemplates', null);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'coalition-bot-templates-'));
  const pglite = await PGlite.create();
  const empty = join(dir, 'empty.tar');
  const migrated = join(dir, 'migrated.tar');
  await writeFile(empty, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
  await migrate(pgliteRunner(pglite));
  await writeFile(migrated, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
  await pglite.close();
  project.provide('pgliteTemplates', { empty, migrated });
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
