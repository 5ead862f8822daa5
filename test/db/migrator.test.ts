import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { MIGRATIONS_DIR, MigrationError, migrate, readMigrations } from '../../src/db/migrator.ts';
import { createTestDatabase } from '../helpers/database.ts';

let database: Database;
let dir: string;

// One database for the file, its schema dropped before each test: as new, for a tenth of the time
// a new database takes to start.
beforeAll(async () => {
  database = await createTestDatabase({ migrated: false });
});
afterAll(async () => {
  await database?.close();
});
beforeEach(async () => {
  const [{ schema }] = (await database.sql.query<{ schema: string }>(
    'SELECT current_schema() AS schema',
  )) as [{ schema: string }];
  await database.sql.exec(`DROP SCHEMA "${schema}" CASCADE; CREATE SCHEMA "${schema}"`);
  dir = await mkdtemp(join(tmpdir(), 'migrations-'));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function addMigration(name: string, sql: string) {
  await mkdir(join(dir, name));
  await writeFile(join(dir, name, 'migration.sql'), sql);
}

const history = () =>
  database.sql.query<{
    migration_name: string;
    checksum: string;
    applied_steps_count: number;
    finished_at: Date | null;
  }>(
    'SELECT migration_name, checksum, applied_steps_count, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
  );

describe('migrate', () => {
  it("applies every migration once and records it the way Prisma's history table does", async () => {
    const files = await readMigrations(dir);
    expect(await migrate(database.sql, dir)).toEqual({
      applied: files.map((file) => file.name),
      alreadyApplied: 0,
    });
    const rows = await history();
    expect(rows.map((row) => row.migration_name)).toEqual(files.map((file) => file.name));
    for (const [index, row] of rows.entries()) {
      const file = files[index];
      expect(row.checksum).toBe(
        createHash('sha256')
          .update(file?.sql ?? '')
          .digest('hex'),
      );
      expect(row.applied_steps_count).toBe(1);
      expect(row.finished_at).toBeInstanceOf(Date);
    }
    const columns = await database.sql.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns.map((column) => column.column_name)).toEqual([
      'id',
      'checksum',
      'finished_at',
      'migration_name',
      'logs',
      'rolled_back_at',
      'started_at',
      'applied_steps_count',
    ]);
  });

  it('is idempotent, and applies only what is new', async () => {
    const count = (await readMigrations(dir)).length;
    await migrate(database.sql, dir);
    expect(await migrate(database.sql, dir)).toMatchObject({ applied: [], alreadyApplied: count });
    await addMigration('29990101000000_add_note', 'ALTER TABLE "organization" ADD COLUMN "note" TEXT;');
    expect(await migrate(database.sql, dir)).toEqual({
      applied: ['29990101000000_add_note'],
      alreadyApplied: count,
    });
    expect((await history()).length).toBe(count + 1);
  });

  it('refuses to start when an applied migration was edited', async () => {
    await migrate(database.sql, dir);
    const [first] = await readMigrations(dir);
    await writeFile(join(dir, first?.name ?? '', 'migration.sql'), `${first?.sql}\n-- edited\n`);
    await expect(migrate(database.sql, dir)).rejects.toThrow(MigrationError);
    await expect(migrate(database.sql, dir)).rejects.toThrow(/was modified after it was applied/);
  });

  it('refuses to start when an applied migration is missing from the code', async () => {
    await addMigration('29990101000000_extra', 'CREATE TABLE "extra" ("id" INTEGER);');
    await migrate(database.sql, dir);
    await rm(join(dir, '29990101000000_extra'), { recursive: true });
    await expect(migrate(database.sql, dir)).rejects.toThrow(
      /29990101000000_extra is applied to the database but missing/,
    );
  });

  it('rolls a failing migration back whole: no half-applied schema, no history row', async () => {
    await addMigration(
      '29990101000000_broken',
      'CREATE TABLE "half" ("id" INTEGER);\nALTER TABLE "no_such_table" ADD COLUMN "x" TEXT;',
    );
    await expect(migrate(database.sql, dir)).rejects.toThrow(/no_such_table/);
    const tables = await database.sql.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('half', 'organization')`,
    );
    expect(tables).toEqual([]);
    await rm(join(dir, '29990101000000_broken'), { recursive: true });
    expect((await migrate(database.sql, dir)).applied).toHaveLength((await readMigrations(dir)).length);
  });
});
