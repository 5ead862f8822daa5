import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LeasedQueue, type LeasedWork, type QueueHost } from '../../src/chat/leased-queue.ts';
import { Pump } from '../../src/chat/pump.ts';
import { createLogger } from '../../src/log.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * The loop every posting job runs on (outbox, poll messages, case threads), with rows in memory:
 * what it leases, works, retries and logs. The jobs themselves are tested against FakePlatform in
 * posting-loops.test.ts.
 */
type Row = { id: number; holder?: string; until?: number; attempts: number; done: boolean };

function host(): QueueHost & {
  logs: Array<{ level: number; msg: string; [key: string]: unknown }>;
  signal(): void;
} {
  const events = new EventEmitter();
  const logs: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({
    write(chunk, _encoding, next) {
      logs.push(JSON.parse(String(chunk)));
      next();
    },
  });
  return {
    now: () => new Date(),
    logger: createLogger('info', sink),
    onOutbox(listener) {
      events.on('outbox', listener);
      return () => events.off('outbox', listener);
    },
    signal: () => events.emit('outbox'),
    logs,
  };
}

/** A job over rows in memory; `failing` posts throw; `taken` rows are leased by another process. */
function job(rows: Row[], options: { failing?: Set<number>; taken?: Set<number>; dueFails?: number } = {}) {
  const worked: number[] = [];
  const failures: Array<{ id: number; error: string }> = [];
  let dueFails = options.dueFails ?? 0;
  const work: LeasedWork<Row> = {
    name: 'test post',
    async due(now) {
      if (dueFails-- > 0) throw new Error('database away');
      return rows.filter((row) => !row.done && (row.until ?? 0) <= now.getTime());
    },
    async lease(row, _now, until) {
      if (options.taken?.has(row.id)) return false;
      row.until = until.getTime();
      return true;
    },
    async work(row) {
      if (options.failing?.has(row.id)) throw new Error(`post ${row.id} refused`);
      worked.push(row.id);
      row.done = true;
    },
    async failed(row, error) {
      row.attempts++;
      row.until = 0;
      failures.push({ id: row.id, error: (error as Error).message });
    },
    describe: (row) => ({ row: row.id }),
  };
  return { work, worked, failures };
}

describe('leased queue', () => {
  it('works each due row it could lease, once, and leaves rows another process holds', async () => {
    const rows: Row[] = [1, 2, 3].map((id) => ({ id, attempts: 0, done: false }));
    const app = host();
    const { work, worked } = job(rows, { taken: new Set([2]) });
    const queue = new LeasedQueue(app, 'slack', work, { intervalMs: 60_000, leaseMs: 30_000 });
    await queue.kick();
    await queue.kick();
    expect(worked).toEqual([1, 3]);
    expect(rows.find((row) => row.id === 2)?.done).toBe(false);
  });

  it('records a failed post for a retry, logs it without content, and carries on with the next row', async () => {
    const rows: Row[] = [1, 2].map((id) => ({ id, attempts: 0, done: false }));
    const app = host();
    const { work, worked, failures } = job(rows, { failing: new Set([1]) });
    const queue = new LeasedQueue(app, 'discord', work, { intervalMs: 60_000, leaseMs: 30_000 });
    await queue.kick();
    expect(worked).toEqual([2]);
    expect(failures).toEqual([{ id: 1, error: 'post 1 refused' }]);
    expect(rows[0]).toMatchObject({ attempts: 1, done: false });
    expect(app.logs).toContainEqual(
      expect.objectContaining({
        msg: 'test post failed',
        platform: 'discord',
        row: 1,
        err: 'post 1 refused',
      }),
    );
  });

  it('survives a pass that fails as a whole, and a committed change wakes the next one', async () => {
    const rows: Row[] = [{ id: 1, attempts: 0, done: false }];
    const app = host();
    const { work, worked } = job(rows, { dueFails: 1 });
    const queue = new LeasedQueue(app, 'slack', work, { intervalMs: 60_000, leaseMs: 30_000 });
    queue.start();
    try {
      await waitFor(
        () => app.logs.some((log) => log.msg === 'test post pass failed'),
        5_000,
        'the failed pass',
      );
      expect(worked).toEqual([]);
      app.signal();
      await waitFor(() => worked.length === 1, 5_000, 'the woken pass');
    } finally {
      await queue.stop();
    }
    app.signal();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(worked).toEqual([1]);
  });
});

describe('pump', () => {
  it('never runs two passes at once, and a kick during a pass runs exactly one more', async () => {
    let active = 0;
    let most = 0;
    let passes = 0;
    const pump = new Pump(async () => {
      active++;
      most = Math.max(most, active);
      await new Promise((resolve) => setTimeout(resolve, 30));
      passes++;
      active--;
    }, 60_000);
    const first = pump.kick();
    for (let i = 0; i < 5; i++) void pump.kick();
    await first;
    await waitFor(() => passes === 2, 2_000, 'the second pass');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect({ passes, most }).toEqual({ passes: 2, most: 1 });
  });

  it('with a minimum gap, turns a burst of kicks after a pass into one pass when the gap has run', async () => {
    const starts: number[] = [];
    const pump = new Pump(
      async () => {
        starts.push(Date.now());
      },
      60_000,
      200,
    );
    await pump.kick();
    const burst = Array.from({ length: 10 }, () => pump.kick());
    await Promise.all(burst);
    expect(starts).toHaveLength(2);
    expect((starts[1] as number) - (starts[0] as number)).toBeGreaterThanOrEqual(190);
    await pump.stop();
  });
});
