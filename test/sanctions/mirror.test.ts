import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { designationStats, mirrorGaps, mirrorOf } from '../../src/sanctions/mirror.ts';
import { blankEntry } from '../../src/sanctions/sources/model.ts';
import { importListSnapshot } from '../../src/sanctions/store.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { importMirrorFixtures } from '../helpers/lists.ts';

/**
 * Who mirrored whom, on the real files: OFAC's 2021-12-10 list, the UK's ConList of 2025-04-10 and
 * Canada's list of 2025-05-25. The 2021 joint letter asked the UK and Canada to follow the US on
 * Chen Quanguo; Canada did on 2024-12-09, the UK files we hold do not list him.
 */
const _FIXTURES = new URL('../../../shared/fixtures/', import.meta.url).pathname;
const day = (text: string) => new Date(`${text}T00:00:00Z`);
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
    const rows = await mirrorOf(database.prisma, 'Chen Quanguo');
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
    const rows = await mirrorOf(database.prisma, 'Zhu Hailun');
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
    const gaps = await mirrorGaps(database.prisma, { from: 'us', to: ['uk'], program: 'GLOMAG' });
    const names = gaps.map((gap) => gap.name);
    expect(names).toContain('CHEN, Quanguo');
    expect(names).not.toContain('ZHU, Hailun');
    // The US list came in one import: no date is invented for its entries.
    expect(gaps.every((gap) => gap.listedOn === null && gap.dateKind === 'before')).toBe(true);
    const byTheme = await mirrorGaps(database.prisma, { from: 'us', to: ['uk'], program: 'human-rights' });
    expect(byTheme.length).toBeGreaterThanOrEqual(gaps.length);
    const stats = await designationStats(database.prisma, {
      list: 'uk',
      program: 'Global Human Rights',
      by: 'year',
    });
    expect(stats.find((item) => item.key === '2021')?.count).toBeGreaterThan(0);
    const countries = await designationStats(database.prisma, { list: 'ca', by: 'country' });
    expect(countries.reduce((sum, item) => sum + item.count, 0)).toBe(4759);
  }, 120_000);
});
