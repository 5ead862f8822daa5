import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import type pg from 'pg';

/**
 * The raw SQL the migrator and operational commands need: multi-statement scripts and parameterized
 * queries, on the same connection the Prisma client uses.
 */
export interface SqlRunner {
  exec(script: string): Promise<void>;
  query<Row extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

export function pgliteRunner(db: PGlite | PGliteTransaction): SqlRunner {
  return {
    async exec(script) {
      await db.exec(script);
    },
    async query<Row extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
      const result = await db.query<Row>(sql, params);
      return result.rows;
    },
    async transaction(work) {
      if (!('transaction' in db)) return work(pgliteRunner(db));
      return db.transaction((tx) => work(pgliteRunner(tx)));
    },
  };
}

/** exec and query on anything pg can query: the pool, or one client inside a transaction. */
function pgStatements(queryable: pg.Pool | pg.PoolClient): Pick<SqlRunner, 'exec' | 'query'> {
  return {
    async exec(script) {
      await queryable.query(script);
    },
    async query<Row extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
      const result = await queryable.query<Row>(sql, params);
      return result.rows;
    },
  };
}

export function pgPoolRunner(pool: pg.Pool): SqlRunner {
  return {
    ...pgStatements(pool),
    async transaction(work) {
      const { client, release } = await checkOut(pool);
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const value = await work(pgClientRunner(client));
        await client.query('COMMIT');
        return value;
      } catch (error) {
        // A connection that cannot even roll back is gone: closed, not handed to the next caller.
        await client.query('ROLLBACK').catch((rollback: unknown) => {
          broken = rollback instanceof Error ? rollback : new Error(String(rollback));
        });
        throw error;
      } finally {
        release(broken);
      }
    },
  };
}

/**
 * A client out of the pool, listened to while it is out: a connection the server drops emits
 * 'error' on it, which unheard ends the process (the pool listens only to idle clients). Its
 * query in progress rejects either way.
 */
export async function checkOut(
  pool: pg.Pool,
): Promise<{ client: pg.PoolClient; release: (broken?: Error | boolean) => void }> {
  const client = await pool.connect();
  const heard = () => undefined;
  client.on('error', heard);
  return {
    client,
    release(broken) {
      client.removeListener('error', heard);
      client.release(broken);
    },
  };
}

function pgClientRunner(client: pg.PoolClient): SqlRunner {
  const runner: SqlRunner = {
    ...pgStatements(client),
    // Already inside a transaction on this client: nest by running in place.
    async transaction(work) {
      return work(runner);
    },
  };
  return runner;
}
