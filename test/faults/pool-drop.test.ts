import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, serverAnswers } from '../../src/db/client.ts';
import { TcpProxy } from '../helpers/tcp-proxy.ts';

/**
 * A connection dropped while the bot holds it out of the pool: a scheduled job's lock, a ballot's
 * or an import's transaction. pg emits 'error' on such a client, and the pool listens only to idle
 * ones: unheard, that event ended the bot (a vote or an import during a database blip).
 */
const SERVER =
  process.env.TEST_DATABASE_URL ?? process.env.CI_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const available = await serverAnswers(SERVER);

let proxy: TcpProxy;
let database: Database | undefined;

beforeAll(async () => {
  if (!available) return;
  const url = new URL(SERVER);
  proxy = await new TcpProxy({ host: url.hostname, port: Number(url.port || 5432) }).start();
  const relayed = new URL(SERVER);
  relayed.host = `127.0.0.1:${proxy.port}`;
  database = await openDatabase({ kind: 'postgres', url: relayed.toString() });
});
afterAll(async () => {
  await database?.close().catch(() => undefined);
  await proxy?.cut();
});

describe.runIf(available)('a connection dropped while held out of the pool', () => {
  it('fails the work that held it, and the process carries on', async () => {
    const db = database as Database;
    const release = await db.tryLock('pool-drop-test');
    expect(release).toBeDefined();
    let cut: () => void = () => undefined;
    const dropped = new Promise<void>((resolve) => {
      cut = resolve;
    });
    const transaction = db.sql.transaction(async (tx) => {
      await tx.query('SELECT 1');
      await dropped;
      await tx.query('SELECT 1');
    });
    await sleep(50);
    await proxy.cut();
    // The 'error' events arrive now: an unheard one would be an uncaught exception in this process.
    await sleep(300);
    cut();
    await expect(transaction).rejects.toThrow();
    await release?.();

    await proxy.restore();
    const [row] = await db.sql.query<{ one: number }>('SELECT 1 AS one');
    expect(row?.one).toBe(1);
  });
});
