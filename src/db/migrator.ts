import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageFile } from '../paths.ts';
import type { SqlRunner } from './sql.ts';

export const MIGRATIONS_DIR = packageFile('prisma/migrations');

/** Refusal to start: the database and the migration files disagree in a way a person must resolve. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

export type MigrationFile = { name: string; sql: string; checksum: string };

export type MigrationResult = { applied: string[]; alreadyApplied: number };

// Same columns as the table `prisma migrate deploy` creates, so Prisma's own tooling sees one history.
const CREATE_HISTORY_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// Any constant works; it only has to be the same for every process migrating this database.
const MIGRATION_LOCK_KEY = 7_214_436_019;

export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

type HistoryRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
};

/**
 * Applies pending migrations in order, each recorded in `_prisma_migrations`, all under one
 * transaction-scoped advisory lock so concurrent starts against one server cannot race.
 * Refuses (MigrationError) when an applied migration's file changed or disappeared, or a failed one is recorded.
 */
export async function migrate(sql: SqlRunner, dir: string = MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = await readMigrations(dir);
  return sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(CREATE_HISTORY_TABLE);
    const history = await tx.query<HistoryRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at
         FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY started_at`,
    );
    const byName = new Map(files.map((file) => [file.name, file]));
    const applied = new Set<string>();
    for (const row of history) {
      if (row.finished_at === null) {
        throw new MigrationError(
          `Migration ${row.migration_name} is recorded as started but not finished; repair the database, then mark it rolled back in _prisma_migrations.`,
        );
      }
      const file = byName.get(row.migration_name);
      if (!file) {
        throw new MigrationError(
          `Migration ${row.migration_name} is applied to the database but missing from prisma/migrations; this code is older than the database.`,
        );
      }
      if (file.checksum !== row.checksum) {
        throw new MigrationError(
          `Migration ${row.migration_name} was modified after it was applied (checksum differs); restore the original file and add a new migration instead.`,
        );
      }
      applied.add(row.migration_name);
    }
    const pending = files.filter((file) => !applied.has(file.name));
    for (const file of pending) {
      const id = randomUUID();
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), 0)`,
        [id, file.checksum, file.name],
      );
      await tx.exec(file.sql);
      await tx.query(
        `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
        [id],
      );
    }
    return { applied: pending.map((file) => file.name), alreadyApplied: applied.size };
  });
}
