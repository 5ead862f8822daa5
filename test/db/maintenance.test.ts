import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { claimDelivery } from '../../src/domain/deliveries.ts';
import { startScheduler } from '../../src/scheduler.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, resetDatabase } from '../helpers/database.ts';

let app: App;
const clock = new Date('2026-12-04T03:30:00Z');

beforeAll(async () => {
  app = await createTestApp(await createTestDatabase(), {}, () => clock);
});
afterAll(async () => {
  await app?.close();
});
beforeEach(async () => {
  await resetDatabase(app.database);
});

describe('daily housekeeping', () => {
  it('forgets delivery receipts older than a day, and vacuums and analyzes every embedded table', async () => {
    const db = app.database.prisma;
    await claimDelivery(db, 'slack:command:T1:old');
    await db.deliveryReceipt.update({
      where: { key: 'slack:command:T1:old' },
      data: { createdAt: new Date('2026-12-02T12:00:00Z') },
    });
    await claimDelivery(db, 'slack:command:T1:recent');
    await db.deliveryReceipt.update({
      where: { key: 'slack:command:T1:recent' },
      data: { createdAt: new Date('2026-12-03T12:00:00Z') },
    });
    const scheduler = startScheduler(app, '0 0 1 1 *', { startupSync: false });
    try {
      await scheduler.started;
      const done = await scheduler.housekeeping();
      expect(done?.forgotten).toBe(1);
      expect((await db.deliveryReceipt.findMany()).map((row) => row.key)).toEqual([
        'slack:command:T1:recent',
      ]);
      if (app.database.kind === 'embedded') {
        expect(done?.vacuumed).toBeGreaterThan(20);
        // Single-user PostgreSQL gathers no statistics on its own: VACUUM counts the table's rows
        // (pg_class.reltuples; -1 until a table is first vacuumed or analyzed) and ANALYZE stamps it.
        const [stats] = await app.database.sql.query<{ rows: number; analyzed: boolean }>(
          `SELECT c.reltuples::int AS rows, s.last_analyze IS NOT NULL AS analyzed
           FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relname = 'delivery_receipt'`,
        );
        expect(stats).toEqual({ rows: 1, analyzed: true });
      } else {
        expect(done?.vacuumed).toBe(0);
      }
    } finally {
      await scheduler.stop();
    }
  });
});
