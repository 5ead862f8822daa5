import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaClient } from '../generated/prisma/client.ts';
import { BackupError, verifyBackup } from './backup.ts';
import { MigrationError } from './migrator.ts';
import { checkOut, pgliteRunner, pgPoolRunner, type SqlRunner } from './sql.ts';
import { shippedTemplate, unpackTemplate } from './template.ts';

export type Db = PrismaClient;

export type Database = {
  prisma: PrismaClient;
  sql: SqlRunner;
  kind: 'embedded' | 'postgres';
  /**
   * Takes a lock named `name` shared by every process on this database, or answers undefined when
   * another process holds it. On the server: a session advisory lock on a connection of its own
   * (replicas share the database). Embedded: always granted, one process owns the data directory.
   */
  tryLock(name: string): Promise<(() => Promise<void>) | undefined>;
  /** Embedded only: the whole data directory as one gzipped tarball (PGlite's own format). */
  dump?(): Promise<Blob>;
  /**
   * Settles when the database can no longer be used by this process (the embedded database failed
   * to write, e.g. a full disk): the process must stop. Never settles for the server.
   */
  fatal: Promise<DatabaseUnavailableError>;
  close(): Promise<void>;
};

export type DatabaseOptions =
  /** dataDir undefined: in memory. template: a dumped data directory to start from (tests). */
  | { kind: 'embedded'; dataDir: string | undefined; template?: Blob }
  | { kind: 'postgres'; url: string; schema?: string; maxConnections?: number };

const runners = new WeakMap<PrismaClient, SqlRunner>();

/**
 * The raw SQL runner on the same database (the same PGlite, the same pool) as a Prisma client that
 * openDatabase opened: for the few paths where Prisma's own work per statement is the cost (a list
 * import's multi-megabyte parameters, which Prisma serializes again and keeps in its debug log).
 */
export function sqlOf(prisma: PrismaClient): SqlRunner {
  const runner = runners.get(prisma);
  if (!runner) throw new Error('This Prisma client was not opened by openDatabase: it has no SQL runner.');
  return runner;
}

function registered(prisma: PrismaClient, sql: SqlRunner): SqlRunner {
  runners.set(prisma, sql);
  return sql;
}

export class DatabaseLockedError extends Error {
  override readonly name = 'DatabaseLockedError';
}

/** The PostgreSQL server cannot be reached (or the embedded database cannot write): nothing was saved. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  // PostgreSQL: admin shutdown, crash shutdown, cannot connect now, and the connection exceptions.
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  // PostgreSQL: disk full, I/O error.
  '53100',
  '58030',
  // Prisma: cannot reach the server, server closed the connection.
  'P1001',
  'P1017',
]);

/**
 * Whether an error means the database is out of reach rather than that the query was wrong: the
 * codes node-postgres, PostgreSQL and Prisma use, looked for along the error's causes.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 6; depth++) {
    if (current instanceof DatabaseUnavailableError) return true;
    if (typeof current !== 'object') return false;
    const { code, originalCode, kind, message, cause, severity } = current as Record<string, unknown>;
    if (severity === 'PANIC' || severity === 'FATAL') return true;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
    if (typeof originalCode === 'string' && UNREACHABLE_CODES.has(originalCode)) return true;
    if (kind === 'DatabaseNotReachable' || kind === 'ConnectionClosed') return true;
    if (
      typeof message === 'string' &&
      /embedded database could not write|Connection terminated|connection (?:is )?(?:closed|refused)|terminating connection|ECONNREFUSED|ECONNRESET|timeout exceeded when trying to connect/i.test(
        message,
      )
    )
      return true;
    current = cause;
  }
  return false;
}

/**
 * Both database clients are WebAssembly (PGlite's PostgreSQL, Prisma's query compiler). V8 first
 * compiles WebAssembly with its baseline compiler (Liftoff), then recompiles hot functions with its
 * optimizing one, keeping both: ~45 MB more resident for PGlite alone. Measured on the bot's own
 * work (imports, a vote rush) the optimized code saved no time worth that memory on a 1 GB server,
 * so the baseline code is kept. Set before the first module is compiled.
 */
function preferLeanWebAssembly(): void {
  setFlagsFromString('--liftoff-only');
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  preferLeanWebAssembly();
  return options.kind === 'embedded'
    ? openEmbedded(options.dataDir, options.template)
    : openPostgres(options);
}

/**
 * PostgreSQL's 128 MB of shared buffers suits a server of its own. Embedded, the buffers live in
 * the bot's memory, all allocated at start-up, while the kernel caches the same files anyway:
 * 16 MB opens 86 MB smaller, and reading every list's current entries grows it by 7 MB, not 37.
 */
const EMBEDDED_START = ['-c', 'shared_buffers=16MB'];

async function isEmptyDir(path: string): Promise<boolean> {
  const entries = await readdir(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries.length === 0;
}

async function openEmbedded(dataDir: string | undefined, template: Blob | undefined): Promise<Database> {
  // Each database's client libraries load only when that database is used: pg alone is 17 MB resident.
  const [{ PGlite }, { PrismaPGlite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('pglite-prisma-adapter'),
  ]);
  const releaseLock = dataDir ? await lockDataDir(dataDir) : async () => undefined;
  const pgdata = dataDir ? join(dataDir, 'pgdata') : undefined;
  let pglite: PGlite;
  try {
    // A new database starts from the shipped template rather than PGlite's initdb, which peaks near
    // 900 MB and takes seconds.
    let start = template;
    if (!start && !pgdata) start = await shippedTemplate();
    if (!start && pgdata && (await isEmptyDir(pgdata))) await unpackTemplate(pgdata);
    pglite = await PGlite.create({
      ...(pgdata ? { dataDir: pgdata } : {}),
      ...(start ? { loadDataDir: start } : {}),
      startParams: [...PGlite.defaultStartParams, ...EMBEDDED_START],
    });
  } catch (error) {
    await releaseLock();
    throw error;
  }
  yieldBetweenStatements(pglite);
  const fatal = stopAfterPanic(pglite);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  let closed = false;
  return {
    prisma,
    sql: registered(prisma, pgliteRunner(pglite)),
    kind: 'embedded',
    fatal,
    async tryLock() {
      return async () => undefined;
    },
    async dump() {
      await prisma.$disconnect();
      return pglite.dumpDataDir('gzip');
    },
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pglite.close();
      await releaseLock();
    },
  };
}

async function openPostgres(options: {
  url: string;
  schema?: string;
  maxConnections?: number;
}): Promise<Database> {
  const [{ default: pg }, { PrismaPg }] = await Promise.all([import('pg'), import('@prisma/adapter-pg')]);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    // During an outage a command must fail within Slack's 3 seconds, not wait for TCP's timeout.
    connectionTimeoutMillis: 2_000,
    // @prisma/adapter-pg ignores ?schema= in the URL; a search_path per connection is what isolates a schema.
    ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
  });
  // An idle connection the server drops emits here; unhandled, it would end the process.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    const { hostname, port, pathname } = new URL(options.url);
    const code = (error as { code?: string }).code;
    throw new DatabaseUnavailableError(
      `DATABASE_URL: cannot use the PostgreSQL server at ${hostname}:${port || 5432}${pathname} (${code ?? (error as Error).message}).`,
    );
  }
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool, options.schema ? { schema: options.schema } : undefined),
  });
  let closed = false;
  return {
    prisma,
    sql: registered(prisma, pgPoolRunner(pool)),
    kind: 'postgres',
    fatal: new Promise(() => undefined),
    async tryLock(name) {
      // Held for the whole job: listened to, so a dropped connection does not end the process.
      const { client, release } = await checkOut(pool);
      try {
        // Keyed by schema too: test files (and tenants) sharing one server do not block each other.
        const [row] = (
          await client.query<{ locked: boolean }>(
            'SELECT pg_try_advisory_lock(hashtext(current_schema() || $1)) AS locked',
            [`:${name}`],
          )
        ).rows;
        if (!row?.locked) {
          release();
          return undefined;
        }
      } catch (error) {
        release(error instanceof Error ? error : true);
        throw error;
      }
      return async () => {
        try {
          await client.query('SELECT pg_advisory_unlock(hashtext(current_schema() || $1))', [`:${name}`]);
          release();
        } catch (error) {
          // A connection whose unlock failed may still hold the lock: close it rather than reuse it.
          release(error instanceof Error ? error : true);
        }
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** Whether a PostgreSQL server answers at `url` within 2 seconds (benchmarks and tests that need one). */
export async function serverAnswers(url: string): Promise<boolean> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * Prisma's `?schema=` convention, which @prisma/adapter-pg ignores: taken out of the URL and applied
 * as the search path and the adapter's schema.
 */
export function postgresOptions(url: string): DatabaseOptions {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  return { kind: 'postgres', url: parsed.toString(), ...(schema ? { schema } : {}) };
}

/**
 * PGlite runs PostgreSQL in this thread, one statement at a time. Its own queue hands the database
 * from one waiting statement to the next as promise continuations, so a burst of requests (a vote
 * rush) runs back to back without returning to the event loop: timers and network I/O, Slack's
 * 3-second acknowledgement among them, starve for seconds. This gate takes over the queue: callers
 * enter in arrival order, each statement (or whole transaction) alone, and every hand-over waits
 * for the event loop's next turn, so acknowledgements and new requests get through between them.
 * Inside a transaction each statement also yields before it runs.
 */
function yieldBetweenStatements(pglite: PGlite): void {
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const waiting: Array<() => void> = [];
  let busy = false;
  const enter = (): Promise<void> => {
    if (!busy) {
      busy = true;
      return turn();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const leave = () => {
    const next = waiting.shift();
    if (next) setImmediate(next);
    else busy = false;
  };
  const gated =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await enter();
      try {
        return await call(...args);
      } finally {
        leave();
      }
    };
  const pausing = <F extends (...args: never[]) => Promise<unknown>>(call: F): F =>
    (async (...args: Parameters<F>) => {
      await turn();
      return call(...args);
    }) as F;
  const transaction = pglite.transaction.bind(pglite);
  pglite.query = gated(pglite.query.bind(pglite)) as PGlite['query'];
  pglite.exec = gated(pglite.exec.bind(pglite)) as PGlite['exec'];
  pglite.transaction = gated((callback: Parameters<PGlite['transaction']>[0]) =>
    transaction((tx) => {
      tx.query = pausing(tx.query.bind(tx));
      tx.exec = pausing(tx.exec.bind(tx));
      return callback(tx);
    }),
  ) as PGlite['transaction'];
}

/**
 * After a PANIC (a write that failed: disk full, file size limit, I/O error) PostgreSQL would
 * restart its server process; in PGlite there is none to restart, and the next statement spins in
 * WebAssembly forever, deaf to signals. So the first PANIC closes the door: every later statement
 * (rollbacks included) fails at once without entering PostgreSQL, and `fatal` settles so the
 * process can stop with one clear line. The data on disk is as PostgreSQL left it after its last
 * good write; a restart recovers from the write-ahead log.
 */
function stopAfterPanic(pglite: PGlite): Promise<DatabaseUnavailableError> {
  let broken: DatabaseUnavailableError | undefined;
  let report: (error: DatabaseUnavailableError) => void = () => undefined;
  const fatal = new Promise<DatabaseUnavailableError>((resolve) => {
    report = resolve;
  });
  const guard = <F extends (...args: never[]) => Promise<unknown>>(call: F): F =>
    (async (...args: Parameters<F>) => {
      if (broken) throw broken;
      try {
        return await call(...args);
      } catch (error) {
        const severity = (error as { severity?: unknown }).severity;
        if (severity === 'PANIC' || severity === 'FATAL') {
          broken ??= new DatabaseUnavailableError(
            `the embedded database could not write (${(error as Error).message}); is the disk full?`,
          );
          report(broken);
        }
        throw error;
      }
    }) as F;
  pglite.execProtocol = guard(pglite.execProtocol.bind(pglite));
  pglite.execProtocolStream = guard(pglite.execProtocolStream.bind(pglite));
  return fatal;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * PGlite is a single in-process PostgreSQL: two processes on one data directory corrupt it.
 * A lock file holding our pid refuses the second process; a stale one (dead pid) is taken over.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const lockPath = join(dataDir, 'bot.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await rm(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new DatabaseLockedError(
          `The embedded database in ${dataDir} is in use by process ${holder}; stop it first (one process per DATA_DIR).`,
        );
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new DatabaseLockedError(`Could not lock ${dataDir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Restores a backup made by `db backup` into `dataDir`. The whole archive is verified first, then
 * loaded and migrated in a directory of its own beside the live one; only then are the two swapped,
 * the old database kept aside (pgdata.before-restore-<time>, with `force`; refused without it).
 * Any failure leaves the live database as it was. Holds the directory lock throughout, so a running
 * bot on it is refused too.
 */
export async function restoreEmbedded(
  dataDir: string,
  backup: Buffer,
  options: { force: boolean; name: string; migrate: (sql: SqlRunner) => Promise<unknown> },
): Promise<string | undefined> {
  await verifyBackup(backup, options.name);
  const releaseLock = await lockDataDir(dataDir);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = join(dataDir, 'pgdata');
  const staging = join(dataDir, `pgdata.restoring-${stamp}`);
  try {
    const existing = await readdir(target).catch(() => []);
    if (existing.length > 0 && !options.force) {
      throw new DatabaseLockedError(
        `${dataDir} already holds a database; add --force to keep it aside as pgdata.before-restore-<time> and restore over it.`,
      );
    }
    try {
      const { PGlite } = await import('@electric-sql/pglite');
      const pglite = await PGlite.create({ dataDir: staging, loadDataDir: new Blob([backup]) });
      try {
        await pglite.query('SELECT 1');
        // A backup from an older version comes up to date here, or fails here, before any swap.
        await options.migrate(pgliteRunner(pglite));
      } finally {
        await pglite.close();
      }
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      if (error instanceof BackupError || error instanceof MigrationError) throw error;
      throw new BackupError(
        `${options.name} could not be loaded as a database (${error instanceof Error ? error.message : String(error)}); nothing was changed.`,
      );
    }
    let keptAside: string | undefined;
    if (existing.length > 0) {
      keptAside = `${target}.before-restore-${stamp}`;
      await rename(target, keptAside);
    } else {
      await rm(target, { recursive: true, force: true });
    }
    try {
      await rename(staging, target);
    } catch (error) {
      if (keptAside) await rename(keptAside, target);
      await rm(staging, { recursive: true, force: true });
      throw new BackupError(
        `Could not put the restored database in place (${(error as Error).message}); the previous one is back.`,
      );
    }
    return keptAside;
  } finally {
    await releaseLock();
  }
}
