import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { startBot } from '../helpers/process.ts';

/** `npm run cli -- db backup|restore` on the embedded database, as an operator runs them. */
let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'coalition-backup-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function cli(dataDir: string, ...args: string[]) {
  const run = startBot({ program: 'cli', args, env: { DATA_DIR: dataDir }, stdin: '' });
  return { code: await run.exited, stdout: run.out(), stderr: run.err() };
}

async function console_(dataDir: string, input: string) {
  const run = startBot({ env: { DATA_DIR: dataDir }, stdin: input });
  expect(await run.exited).toBe(0);
  return run.out();
}

async function targetNames(dataDir: string): Promise<string[]> {
  const database = await openDatabase({ kind: 'embedded', dataDir });
  try {
    const rows = await database.prisma.target.findMany({ orderBy: { id: 'asc' } });
    return rows.map((row) => row.primaryName);
  } finally {
    await database.close();
  }
}

describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))('embedded database backup', () => {
  it('round-trips: what was in the database before the backup is there after a restore elsewhere', async () => {
    const source = join(scratch, 'source');
    const copy = join(scratch, 'copy');
    const file = join(scratch, 'backup.tgz');
    await console_(source, '/propose "Chen Quanguo" country:China\n/propose "Zhu Hailun"\n');
    const backup = await cli(source, 'db', 'backup', file);
    expect(backup).toMatchObject({ code: 0, stderr: '' });
    expect(backup.stdout).toMatch(/^Backed up .*source to .*backup\.tgz \(\d+ bytes\)\.\n$/);
    expect((await cli(source, 'db', 'backup', file)).stderr).toBe(
      `coalition-bot: ${file} exists; choose a new file name.\n`,
    );

    expect(await cli(copy, 'db', 'restore', file)).toMatchObject({ code: 0 });
    expect(await targetNames(copy)).toEqual(['Chen Quanguo', 'Zhu Hailun']);

    // A restore over a database is refused unless forced, and then keeps the old one aside.
    const database = await openDatabase({ kind: 'embedded', dataDir: copy });
    await database.sql.query(
      `INSERT INTO target (primary_name, proposed_by_member_id, proposed_by_organization_id, updated_at) SELECT 'Wang Mingshan', id, organization_id, now() FROM member LIMIT 1`,
    );
    await database.close();
    const refused = await cli(copy, 'db', 'restore', file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already holds a database; add --force');
    const forced = await cli(copy, 'db', 'restore', file, '--force');
    expect(forced.stdout).toContain('the previous database is kept in');
    expect(await targetNames(copy)).toEqual(['Chen Quanguo', 'Zhu Hailun']);
    expect((await readdir(copy)).some((name) => name.startsWith('pgdata.before-restore-'))).toBe(true);
  }, 180_000);
});
