import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { ensureConsoleAdmin } from '../../src/domain/members.ts';
import { refreshLinks } from '../../src/sanctions/links.ts';
import {
  borderlinePairs,
  type CountryBasis,
  decidePair,
  designationStats,
  mirrorGaps,
  mirrorOf,
} from '../../src/sanctions/mirror.ts';
import { readCsvSnapshot } from '../../src/sanctions/snapshot.ts';
import { blankEntry } from '../../src/sanctions/sources/model.ts';
import { importListSnapshot, importPublication } from '../../src/sanctions/store.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { FIXTURES, importMirrorFixtures } from '../helpers/lists.ts';

/**
 * Who mirrored whom, on the real files: OFAC's 2021-12-10 list, the UK's ConList of 2025-04-10 and
 * Canada's list of 2025-05-25. The 2021 joint letter asked the UK and Canada to follow the US on
 * Chen Quanguo; Canada did on 2024-12-09, the UK files we hold do not list him.
 */
const day = (text: string) => new Date(`${text}T00:00:00Z`);
/** The clock every link resolution is given: links record it, never the machine's. */
const NOW = new Date('2026-12-01T12:00:00Z');
let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.prisma;
  await importMirrorFixtures(db);
  // Australia's list here is one made-up namesake of Zhu Hailun, born in another year.
  const namesake = blankEntry({
    name: 'ZHU Hailun',
    type: 'individual',
    key: '9001',
    listId: '9001',
    datesOfBirth: ['1980'],
    listedOn: '2023-01-01',
  });
  await importListSnapshot(
    db,
    {
      list: 'au',
      entries: new Map([['9001', namesake]]),
      sha256: 'synthetic',
      recordCount: 1,
      source: 'test',
      publishedOn: '2024-12-17',
    },
    { publishedOn: day('2024-12-17'), holdShare: 0.1 },
  );
}, 180_000);
afterAll(async () => {
  await database?.close();
});

const row = (rows: Awaited<ReturnType<typeof mirrorOf>>, list: string) =>
  rows.find((item) => item.list === list);

describe('mirror tracker', () => {
  it('shows Chen Quanguo listed by the US and Canada (2024-12-09), not by the UK', async () => {
    const rows = await mirrorOf(database.prisma, 'Chen Quanguo', { now: NOW });
    expect(rows.map((item) => item.list)).toEqual(['us', 'uk', 'ca', 'au']);
    expect(row(rows, 'us')).toMatchObject({ listed: true, id: '29220', listedOn: null, dateKind: 'before' });
    expect(row(rows, 'uk')).toMatchObject({ listed: false, id: null, listedOn: null });
    expect(row(rows, 'ca')).toMatchObject({
      listed: true,
      name: 'Chen, Quanguo',
      listedOn: '2024-12-09',
      dateKind: 'listed',
    });
  }, 60_000);

  it('shows Zhu Hailun listed by all three, by the UK on 2021-03-22, and does not link a namesake born in another year', async () => {
    const rows = await mirrorOf(database.prisma, 'Zhu Hailun', { now: NOW });
    expect(row(rows, 'us')).toMatchObject({ listed: true, id: '29219' });
    expect(row(rows, 'uk')).toMatchObject({
      listed: true,
      id: '14078',
      listedOn: '2021-03-22',
      dateKind: 'listed',
    });
    expect(row(rows, 'ca')).toMatchObject({ listed: true, listedOn: '2021-03-21' });
    expect(row(rows, 'au')).toMatchObject({ listed: false });
    expect(row(rows, 'uk')?.lagDays).toBe(1);
  }, 60_000);

  it('lists the US human-rights designations the UK has not mirrored, with honest dates, and counts by stated country', async () => {
    const gaps = await mirrorGaps(database.prisma, { from: 'us', to: ['uk'], program: 'GLOMAG', now: NOW });
    const names = gaps.map((gap) => gap.name);
    expect(names).toContain('CHEN, Quanguo');
    expect(names).not.toContain('ZHU, Hailun');
    // The US list came in one import: no date is invented for its entries.
    expect(gaps.every((gap) => gap.listedOn === null && gap.dateKind === 'before')).toBe(true);
    const byTheme = await mirrorGaps(database.prisma, {
      from: 'us',
      to: ['uk'],
      program: 'human-rights',
      now: NOW,
    });
    expect(byTheme.length).toBeGreaterThanOrEqual(gaps.length);
    const stats = await designationStats(database.prisma, {
      list: 'uk',
      program: 'Global Human Rights',
      by: 'year',
    });
    expect(stats.find((item) => item.key === '2021')?.count).toBeGreaterThan(0);
    const bases = new Map<CountryBasis, number>();
    const countries = await designationStats(database.prisma, { list: 'ca', by: 'country', bases });
    expect(countries.reduce((sum, item) => sum + item.count, 0)).toBe(4759);
    // Canada states no nationality: its country regulations name the country of conduct, and its
    // thematic ones (JVCFOR, Hamas, settler violence) none, which are counted as such.
    expect([...bases.keys()].sort()).toEqual(['none stated', 'regime country']);
    expect(countries.find((item) => item.key === 'Russia')?.count).toBeGreaterThan(2000);
    expect(countries.find((item) => item.key === 'China')?.count).toBeGreaterThan(0);
    const unstated = countries.find((item) => item.key === 'no country stated')?.count ?? 0;
    expect(unstated).toBe(bases.get('none stated'));
    expect(unstated).toBeGreaterThanOrEqual(80 + 39 + 22);
  }, 120_000);

  it('lets a coordinator link or split a pair, audited, and every answer follows the decision', async () => {
    const db = database.prisma;
    const au = await db.sanctionsEntryKey.findFirstOrThrow({ where: { list: 'AU', key: '9001' } });
    const coordinator = await ensureConsoleAdmin(db, 'coordinator');
    const pairs = await borderlinePairs(db, 'Zhu Hailun');
    for (const pair of pairs) {
      expect(pair.score).toBeGreaterThanOrEqual(0.75);
      expect(pair.score).toBeLessThan(0.88);
    }
    // The namesake born in another year, linked by hand (say the list's year is a typo).
    await decidePair(db, coordinator, `au:${au.uid}~us:29219`, true, new Date('2026-12-02T12:00:00Z'));
    expect(row(await mirrorOf(db, 'Zhu Hailun', { now: NOW }), 'au')).toMatchObject({
      listed: true,
      id: '9001',
    });
    // And split again: never linked, whatever the score.
    await decidePair(db, coordinator, `us:29219~au:${au.uid}`, false, new Date('2026-12-02T12:05:00Z'));
    expect(row(await mirrorOf(db, 'Zhu Hailun', { now: NOW }), 'au')).toMatchObject({ listed: false });
    const uk = await db.sanctionsEntryKey.findFirstOrThrow({ where: { list: 'UK', key: '14078' } });
    await decidePair(db, coordinator, `uk:${uk.uid}~us:29219`, false, new Date('2026-12-02T12:10:00Z'));
    const afterSplit = await mirrorOf(db, 'Zhu Hailun', { now: NOW });
    expect(row(afterSplit, 'uk')?.id, JSON.stringify(afterSplit)).not.toBe('14078');
    const audit = await db.auditLog.findMany({
      where: { entityType: 'mirror_pair' },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((item) => [item.action, item.entityId])).toEqual([
      ['mirror.confirm', `au:${au.uid}~us:29219`],
      ['mirror.split', `au:${au.uid}~us:29219`],
      ['mirror.split', `uk:${uk.uid}~us:29219`],
    ]);
    await expect(decidePair(db, coordinator, 'us:1~us:2', true, new Date())).rejects.toThrow(
      /pair: give it as shown/,
    );
    await expect(decidePair(db, coordinator, 'uk:99999999~us:29219', true, new Date())).rejects.toThrow(
      /no entry 99999999/,
    );
  }, 60_000);
});

describe('stored cross-list links', () => {
  it('are recomputed only for the entries a publication changed', async () => {
    const db = database.prisma;
    // The answers above brought the links up to date with every list.
    expect(await refreshLinks(db, { now: NOW })).toEqual({ lists: [], entries: 0, links: 0 });
    const zhu = await db.mirrorLink.findFirstOrThrow({ where: { listB: 'us', uidB: 29219, listA: 'uk' } });
    expect(zhu.score).toBeGreaterThanOrEqual(0.88);
    expect(zhu.evidence).toEqual(expect.arrayContaining([expect.stringContaining('ZHU')]));
    const before = await db.mirrorLink.count();

    await importPublication(
      db,
      await readCsvSnapshot({ sdn: join(FIXTURES, 'ofac/history/sdn-2021-12-22.csv.gz') }),
      { publishedOn: day('2021-12-22'), holdShare: 0.1 },
    );
    const changed = await db.sanctionsEntryVersion.findMany({
      where: { list: 'SDN', OR: [{ validFromId: { gt: 1 } }, { validToId: { not: null } }] },
      distinct: ['uid'],
      select: { uid: true },
    });
    const later = new Date('2026-12-02T08:30:00Z');
    const resolution = await refreshLinks(db, { now: later });
    expect(resolution.lists).toEqual(['us']);
    // The resolution is stamped with the clock it was given.
    expect((await db.mirrorResolution.findUniqueOrThrow({ where: { list: 'us' } })).resolvedAt).toEqual(
      later,
    );
    // Only what changed was matched again (the others keep their links as they were).
    const current = await db.sanctionsEntryVersion.count({
      where: { list: 'SDN', validToId: null, uid: { in: changed.map((row) => row.uid) } },
    });
    expect(resolution.entries).toBe(current);
    expect(resolution.entries).toBeLessThan(500);
    expect(await db.mirrorLink.findFirst({ where: { listB: 'us', uidB: 29219, listA: 'uk' } })).toEqual(zhu);
    expect(Math.abs((await db.mirrorLink.count()) - before)).toBeLessThanOrEqual(resolution.entries * 4);
    expect(row(await mirrorOf(db, 'Chen Quanguo', { now: NOW }), 'ca')).toMatchObject({ listed: true });
  }, 120_000);
});
