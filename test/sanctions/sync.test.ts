import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { ALERT_AFTER_FAILURES, type SyncOptions, syncSanctions } from '../../src/sanctions/sync.ts';
import { createTestDatabase, resetDatabase } from '../helpers/database.ts';
import { FakeOfac, HISTORY, uidsOf } from '../helpers/fake-ofac.ts';

let database: Database;
let ofac: FakeOfac;
const sleeps: number[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});
beforeEach(async () => {
  await resetDatabase(database);
  await ofac?.stop();
  ofac = await new FakeOfac().start();
  sleeps.length = 0;
});
afterAll(async () => {
  await ofac?.stop();
});

const db = () => database.prisma;

function options(day: string, extra: Partial<SyncOptions> = {}): SyncOptions {
  ofac.today = day;
  return {
    baseUrl: ofac.baseUrl,
    files: ['SDN.CSV'],
    timeoutMs: 2_000,
    attempts: 3,
    backoffMs: 100,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    holdShare: 0.1,
    now: new Date(`${day}T22:00:00Z`),
    ...extra,
  };
}

async function alertTitles(): Promise<string[]> {
  const rows = await db().outboxMessage.findMany({ where: { channelId: 'C-ADMIN' }, orderBy: { id: 'asc' } });
  return rows.map((row) => (row.view as { title: string }).title);
}

async function setAdminChannel(): Promise<void> {
  const organization = await db().organization.create({ data: { name: 'Ops', slug: 'ops' } });
  const member = await db().member.create({
    data: { displayName: 'Operator', organizationId: organization.id, role: 'admin' },
  });
  await db().channelSetting.create({
    data: {
      platform: 'slack',
      workspaceId: 'T1',
      channelId: 'C-ADMIN',
      purpose: 'admin',
      setByMemberId: member.id,
    },
  });
}

describe('sanctions sync from the Sanctions List Service', () => {
  it('follows the Human Rights Day week day by day, downloading only when the service lists something new', async () => {
    const days = ['2021-12-06', '2021-12-07', '2021-12-08', '2021-12-09', '2021-12-10'];
    for (const day of days) await ofac.publishFixture(day);

    const first = await syncSanctions(db(), options('2021-12-06'));
    expect(first).toMatchObject({
      status: 'imported',
      result: { baseline: true, publishedOn: '2021-12-06' },
    });
    // The redirect was followed to the signed storage URL.
    expect(ofac.count(/^\/storage\/[0-9a-f]+\/SDN\.CSV$/)).toBe(1);

    for (const [index, day] of days.slice(1).entries()) {
      const before = await uidsOf(`${HISTORY}sdn-${days[index]}.csv.gz`);
      const after = await uidsOf(`${HISTORY}sdn-${day}.csv.gz`);
      const outcome = await syncSanctions(db(), options(day));
      expect(outcome.status, day).toBe('imported');
      if (outcome.status !== 'imported') continue;
      expect(outcome.result.publishedOn).toBe(day);
      expect(outcome.result.added, day).toBe([...after].filter((uid) => !before.has(uid)).length);
      expect(outcome.result.removed, day).toBe([...before].filter((uid) => !after.has(uid)).length);
      const added = await db().sanctionsChange.findMany({
        where: { publicationId: outcome.result.publicationId, kind: 'added' },
        select: { uid: true },
      });
      expect(new Set(added.map((row) => row.uid))).toEqual(
        new Set([...after].filter((uid) => !before.has(uid))),
      );
    }

    // Same day again: the listing did not move, so nothing is downloaded.
    const downloads = ofac.count(/^\/storage\//);
    expect(await syncSanctions(db(), options('2021-12-10'))).toMatchObject({ status: 'unchanged' });
    expect(ofac.count(/^\/storage\//)).toBe(downloads);
    expect(await db().sanctionsPublication.count()).toBe(5);
  });

  it('gives 217 additions, 182 GLOMAG, for 2022-12-09 after 2022-12-08, checksum-deduplicated when the listing is down', async () => {
    await ofac.publishFixture('2022-12-08');
    await ofac.publishFixture('2022-12-09');
    await syncSanctions(db(), options('2022-12-08'));
    const outcome = await syncSanctions(db(), options('2022-12-09'));
    expect(outcome).toMatchObject({ status: 'imported', result: { added: 217 } });
    const glomag = await db().sanctionsChange.count({
      where: { kind: 'added', programs: { has: 'GLOMAG' } },
    });
    expect(glomag).toBe(182);

    // The cheap check fails: the file is downloaded and recognized by its checksum.
    ofac.fail({ path: /^\/changes\//, kind: 'status', status: 404, times: 10 });
    const again = await syncSanctions(db(), options('2022-12-09'));
    expect(again).toMatchObject({
      status: 'unchanged',
      reason: expect.stringMatching(/same file as publication/),
    });
    expect(await db().sanctionsPublication.count()).toBe(2);
  });

  it('retries server errors, cut-off bodies and bad checksums with doubling backoff', async () => {
    await ofac.publishFixture('2022-12-08');
    ofac.fail({ path: /^\/api\//, kind: 'status', status: 503, times: 1 });
    ofac.fail({ path: /^\/storage\//, kind: 'truncate', times: 1 });
    const outcome = await syncSanctions(db(), options('2022-12-08', { attempts: 4 }));
    expect(outcome).toMatchObject({ status: 'imported', result: { recordCount: 11164 } });
    expect(sleeps).toEqual([100, 200]);

    await resetDatabase(database);
    sleeps.length = 0;
    ofac.fail({ path: /^\/storage\//, kind: 'bad-checksum', times: 5 });
    const refused = await syncSanctions(db(), options('2022-12-08'));
    expect(refused).toMatchObject({ status: 'failed', reason: expect.stringMatching(/SHA-256 checksum/) });
    expect(sleeps).toEqual([100, 200]);
    expect(await db().sanctionsPublication.count()).toBe(0);
  });

  it('gives up on a request that hangs, after its timeout', async () => {
    await ofac.publishFixture('2022-12-08');
    ofac.fail({ path: /^\/storage\//, kind: 'hang', times: 2 });
    const outcome = await syncSanctions(db(), options('2022-12-08', { timeoutMs: 300, attempts: 2 }));
    expect(outcome).toMatchObject({ status: 'failed', reason: expect.stringMatching(/no answer within/) });
  });

  it('stops at once when the bot shuts down mid-download, without counting a failure', async () => {
    await ofac.publishFixture('2022-12-08');
    ofac.fail({ path: /^\/storage\//, kind: 'hang', times: 5 });
    const stopping = new AbortController();
    setTimeout(() => stopping.abort(), 200);
    const started = Date.now();
    const outcome = await syncSanctions(
      db(),
      options('2022-12-08', { timeoutMs: 30_000, sleep: undefined, signal: stopping.signal }),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(outcome).toMatchObject({ status: 'failed', reason: expect.stringMatching(/shutting down/) });
    expect(await db().sanctionsSource.findFirst()).toMatchObject({ failures: 0 });
  });

  it('refuses a real zero-byte download, keeps the list, and warns admins once when failures persist', async () => {
    await setAdminChannel();
    await ofac.publishFixture('2022-12-08');
    await syncSanctions(db(), options('2022-12-08'));
    await ofac.publishFixture('2022-12-09', 'sdn-empty-download.csv.gz');

    for (let check = 1; check <= ALERT_AFTER_FAILURES + 1; check++) {
      const outcome = await syncSanctions(db(), options('2022-12-09'));
      expect(outcome).toMatchObject({
        status: 'failed',
        reason: expect.stringMatching(/empty/),
        alerted: check === ALERT_AFTER_FAILURES,
      });
    }
    expect(await db().sanctionsPublication.count()).toBe(1);
    expect(await db().sanctionsEntryVersion.count({ where: { validToId: null } })).toBe(11164);
    expect(await alertTitles()).toEqual(['OFAC list updates are failing']);

    await ofac.publishFixture('2022-12-10', 'sdn-2022-12-09.csv.gz');
    expect(await syncSanctions(db(), options('2022-12-10'))).toMatchObject({
      status: 'imported',
      result: { added: 217 },
    });
    expect(await alertTitles()).toEqual(['OFAC list updates are failing', 'OFAC list updates work again']);
  });

  it('holds a publication that delists too much and tells the admin channel', async () => {
    await setAdminChannel();
    await ofac.publishFixture('2021-12-22');
    await ofac.publishFixture('2021-12-30');
    await syncSanctions(db(), options('2021-12-22'));
    // 150 delistings of ~9,900 entries: held with a 1% threshold.
    const outcome = await syncSanctions(db(), options('2021-12-30', { holdShare: 0.01 }));
    expect(outcome).toMatchObject({ status: 'imported', result: { status: 'held', removed: 150 } });
    const [alert] = await db().outboxMessage.findMany({ where: { channelId: 'C-ADMIN' } });
    expect(alert?.view).toMatchObject({
      title: expect.stringMatching(/is held$/),
      lines: expect.arrayContaining([expect.stringMatching(/sanctions release \d+/)]),
    });
  });
});
