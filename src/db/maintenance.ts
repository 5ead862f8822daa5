import { type Database, quoteIdent } from './client.ts';

/**
 * VACUUM (ANALYZE) of every table of the embedded database, one table a statement so requests get
 * through between them. PGlite runs PostgreSQL in single-user mode: autovacuum never runs and no
 * statistics are gathered, so without this the planner guesses every table's size (a list of 45k
 * entries was planned as 5 rows) and the space of deleted and updated rows (delivery receipts, poll
 * versions, closed entry versions) is never reused. A PostgreSQL server's autovacuum does this itself.
 */
export async function vacuumEmbedded(database: Pick<Database, 'kind' | 'sql'>): Promise<number> {
  if (database.kind !== 'embedded') return 0;
  const tables = await database.sql.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`,
  );
  // ANALYZE holds its sample rows in memory, and PGlite's heap never gives memory back: a tenth of
  // the default sample (3,000 rows a table) keeps the bot's resident size where it was.
  await database.sql.exec('SET default_statistics_target = 10');
  try {
    for (const { name } of tables) await database.sql.exec(`VACUUM (ANALYZE) ${quoteIdent(name)}`);
  } finally {
    await database.sql.exec('RESET default_statistics_target');
  }
  return tables.length;
}
