import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../src/db/migrator.ts';
import { pgliteRunner } from '../../src/db/sql.ts';
import { shippedTemplate } from '../../src/db/template.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplates: { empty: string; migrated: string } | null;
  }
}

/**
 * Loading a dumped PGlite database takes about 1 s; migrating one takes longer. So the embedded
 * suite keeps two templates, the shipped initdb output and the same migrated, and every test
 * database starts from one of them.
 */
export async function setup(project: TestProject) {
  // Spawned bots run the compiled bundle, as `npm start` does.
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (process.env.TEST_DATABASE_URL) {
    project.provide('pgliteTemplates', null);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'coalition-bot-templates-'));
  const shipped = await shippedTemplate();
  const pglite = await PGlite.create({ loadDataDir: shipped });
  const empty = join(dir, 'empty.tar');
  const migrated = join(dir, 'migrated.tar');
  await writeFile(empty, Buffer.from(await shipped.arrayBuffer()));
  await migrate(pgliteRunner(pglite));
  await writeFile(migrated, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
  await pglite.close();
  project.provide('pgliteTemplates', { empty, migrated });
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
