import { databaseOptions } from './app.ts';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/client.ts';
import { migrate, readMigrations } from './db/migrator.ts';
import { operatorMessage } from './operator-errors.ts';

/** Operational commands: `npm run cli -- <command>`. Exit code 0 on success, 1 with one line on failure. */
const USAGE = `Usage: npm run cli -- <command>
  migrate      apply pending database migrations
  migrations   list migrations and whether each is applied`;

const commands: Record<string, () => Promise<void>> = {
  async migrate() {
    const database = await openDatabase(databaseOptions(loadConfig()));
    try {
      const { applied, alreadyApplied } = await migrate(database.sql);
      for (const name of applied) process.stdout.write(`applied ${name}\n`);
      process.stdout.write(`${applied.length} applied, ${alreadyApplied} already applied\n`);
    } finally {
      await database.close();
    }
  },
  async migrations() {
    const database = await openDatabase(databaseOptions(loadConfig()));
    try {
      const [files, rows] = await Promise.all([
        readMigrations(),
        database.sql
          .query<{ migration_name: string; finished_at: Date | null }>(
            'SELECT migration_name, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
          )
          .catch(() => []),
      ]);
      const applied = new Map(rows.map((row) => [row.migration_name, row.finished_at]));
      for (const file of files) {
        const at = applied.get(file.name);
        process.stdout.write(`${at ? `applied ${at.toISOString()}` : 'pending'.padEnd(32)}  ${file.name}\n`);
      }
    } finally {
      await database.close();
    }
  },
};

const [name] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  process.stderr.write(`${name ? `Unknown command: ${name}\n` : ''}${USAGE}\n`);
  process.exit(2);
}
command().catch((error: unknown) => {
  process.stderr.write(`coalition-bot: ${operatorMessage(error) ?? String(error)}\n`);
  process.exit(1);
});
