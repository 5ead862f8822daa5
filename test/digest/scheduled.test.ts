import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { toInvocation } from '../../src/chat/dispatch.ts';
import { parseCommandLine } from '../../src/chat/syntax.ts';
import { openDatabase } from '../../src/db/client.ts';
import { startScheduler } from '../../src/scheduler.ts';
import { useSeededApp } from '../helpers/app.ts';
import { FakeOfac } from '../helpers/fake-ofac.ts';

/**
 * The scheduler as `npm start` runs it: a start-up OFAC check against the loopback service, then
 * the per-minute tick posting each channel's digest at its time.
 */
const ofac = await new FakeOfac().start();
let clock = new Date('2022-12-09T07:00:00Z');
const state = useSeededApp(
  {
    OFAC_BASE_URL: ofac.baseUrl,
    // Only the start-up check and explicit calls: no cron firing during the test.
    OFAC_CHECK_CRON: '0 0 1 1 *',
    OFAC_FILES: 'SDN.CSV',
    OFAC_TIMEOUT_SECONDS: '5',
  },
  () => clock,
);
const db = () => state.app.database.prisma;

afterAll(async () => {
  await ofac.stop();
});
beforeEach(() => {
  clock = new Date('2022-12-09T07:00:00Z');
});

async function subscribe(line: string, channelId: string) {
  return state.app.execute(
    toInvocation(state.app.registry, parseCommandLine(line)),
    state.cast.coordinator,
    'slack',
    { workspaceId: 'T1', channelId },
  );
}

const posted = async (channelId: string) =>
  (await db().outboxMessage.findMany({ where: { channelId }, orderBy: { id: 'asc' } })).map(
    (row) => row.view as { kind: string; title: string },
  );

describe('scheduled OFAC checks and digests', () => {
  it('imports at start-up, posts the digest once at its time, and says "nothing new" only where asked', async () => {
    await ofac.publishFixture('2022-12-08');
    await ofac.publishFixture('2022-12-09');
    ofac.today = '2022-12-08';
    const scheduler = startScheduler(state.app, '0 0 1 1 *');
    try {
      await scheduler.started; // the start-up tick and OFAC check
      await scheduler.stop();
      expect(await db().sanctionsPublication.count()).toBe(1);

      await subscribe('/digest subscribe programs:GLOMAG time:09:00 timezone:Europe/Brussels', 'C-QUIET');
      await subscribe(
        '/digest subscribe programs:GLOMAG time:09:00 timezone:Europe/Brussels empty:post',
        'C-CHATTY',
      );

      ofac.today = '2022-12-09';
      const running = startScheduler(state.app, '0 0 1 1 *');
      await running.syncSanctions();
      clock = new Date('2022-12-09T08:00:00Z');
      await running.tick();
      await running.tick();
      await running.stop();
      expect(await db().sanctionsPublication.count()).toBe(2);
      const quiet = await posted('C-QUIET');
      expect(quiet.length).toBeGreaterThan(1);
      expect(quiet.every((view) => view.kind === 'digest')).toBe(true);
      expect(await posted('C-CHATTY')).toEqual(quiet);

      // The next day nothing was published: one channel stays quiet, the other hears so once.
      clock = new Date('2022-12-10T08:30:00Z');
      const next = startScheduler(state.app, '0 0 1 1 *');
      await next.tick();
      await next.tick();
      await next.stop();
      expect(await posted('C-QUIET')).toHaveLength(quiet.length);
      const chatty = await posted('C-CHATTY');
      expect(chatty.slice(quiet.length)).toEqual([
        expect.objectContaining({ kind: 'notice', title: 'OFAC sanctions digest: nothing new' }),
      ]);
    } finally {
      await scheduler.stop();
    }
  });

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))(
    'on PostgreSQL, skips the tick while another replica holds the scheduler lock',
    async () => {
      const url = process.env.TEST_DATABASE_URL as string;
      const [row] = await state.app.database.sql.query<{ schema: string }>(
        'SELECT current_schema() AS schema',
      );
      const replica = await openDatabase({ kind: 'postgres', url, schema: row?.schema as string });
      try {
        await subscribe('/digest subscribe programs:GLOMAG time:09:00', 'C-LOCKED');
        clock = new Date('2022-12-09T10:00:00Z');
        const release = await replica.tryLock('scheduler');
        expect(release).toBeDefined();
        const scheduler = startScheduler(state.app, '0 0 1 1 *');
        await scheduler.tick();
        expect(await db().digestDelivery.count()).toBe(0);
        await release?.();
        await scheduler.tick();
        await scheduler.stop();
        expect(await db().digestDelivery.count()).toBe(1);
      } finally {
        await replica.close();
      }
    },
  );
});
