import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrator.ts';

/**
 * A fresh database for one test file: embedded PGlite by default, or an isolated schema on the
 * PostgreSQL server named by TEST_DATABASE_URL (dropped again on close).
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<Database> {
  const migrated = options.migrated ?? true;
  const url = process.env.TEST_DATABASE_URL;
  if (url) return createServerDatabase(url, migrated);
  const templates = inject('pgliteTemplates');
  if (!templates) throw new Error('global setup provided no PGlite template');
  const template = new Blob([await readFile(migrated ? templates.migrated : templates.empty)]);
  const database = await openDatabase({ kind: 'embedded', dataDir: undefined, template });
  if (migrated) await migrate(database.sql);
  return database;
}

async function createServerDatabase(url: string, migrated: boolean): Promise<Database> {
  const schema = `test_${process.env.VITEST_POOL_ID ?? '0'}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.end();
  const database = await openDatabase({ kind: 'postgres', url, schema, maxConnections: 4 });
  if (migrated) await migrate(database.sql);
  return {
    ...database,
    async close() {
      await database.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`DROP SCHEMA "${schema}" CASCADE`);
      await dropper.end();
    },
  };
}

/**
 * Empties every table but the migration history, so tests in one file start from the same state.
 * The append-only tables refuse TRUNCATE through a trigger; replica mode (superuser, tests only)
 * skips triggers for this one statement.
 */
export async function resetDatabase(database: Database): Promise<void> {
  const tables = await database.sql.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`,
  );
  if (tables.length === 0) return;
  await database.sql.exec(
    `SET session_replication_role = replica; TRUNCATE ${tables.map(({ tablename }) => `"${tablename}"`).join(', ')} RESTART IDENTITY CASCADE; SET session_replication_role = DEFAULT;`,
  );
}
