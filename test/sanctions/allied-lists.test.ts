import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as XLSX from '@e965/xlsx';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { SnapshotError } from '../../src/sanctions/csv.ts';
import { currentListIndex } from '../../src/sanctions/match/list.ts';
import { searchIndex } from '../../src/sanctions/match/matcher.ts';
import { readAustraliaList } from '../../src/sanctions/sources/au/read.ts';
import { readCanadaList } from '../../src/sanctions/sources/ca/read.ts';
import { readEuList } from '../../src/sanctions/sources/eu/read.ts';
import { readUkList } from '../../src/sanctions/sources/uk/read.ts';
import { importListSnapshot, latestChanges } from '../../src/sanctions/store.ts';
import { createTestDatabase, resetDatabase } from '../helpers/database.ts';

/** The UK, Canadian, Australian and EU lists, read from the real files in shared/fixtures. */
const FIXTURES = new URL('../../../shared/fixtures/', import.meta.url).pathname;
const file = (path: string) => join(FIXTURES, path);

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});
beforeEach(async () => {
  await resetDatabase(database);
});

const db = () => database.prisma;
const importAs = (snapshot: Awaited<ReturnType<typeof readUkList>>, day: string) =>
  importListSnapshot(db(), snapshot, { publishedOn: new Date(`${day}T00:00:00Z`), holdShare: 0.1 });

/** Cells of one named column, read straight from the sheet (not through our readers). */
async function rawColumn(path: string, headerRow: number, name: string): Promise<string[]> {
  const book = XLSX.read(await readFile(path), { type: 'buffer', dense: true });
  const rows = XLSX.utils.sheet_to_json(book.Sheets[book.SheetNames[0] as string] as XLSX.WorkSheet, {
    header: 1,
    raw: false,
    defval: '',
  }) as string[][];
  const index = (rows[headerRow] ?? []).indexOf(name);
  return rows.slice(headerRow + 1).map((row) => String(row[index] ?? '').trim());
}

describe('UK lists', () => {
  it('diffs ConList 2022-05-04 -> 2025-04-10 by Group ID, as a raw count of the files says', async () => {
    const before = new Set(
      (await rawColumn(file('uk/ofsi-conlist-2022-05-04.xlsx'), 1, 'Group ID')).filter(Boolean),
    );
    const after = new Set(
      (await rawColumn(file('uk/ofsi-conlist-2025-04-10.xlsx'), 1, 'Group ID')).filter(Boolean),
    );
    const first = await importAs(await readUkList(file('uk/ofsi-conlist-2022-05-04.xlsx')), '2022-05-04');
    expect(first).toMatchObject({ baseline: true, recordCount: before.size });
    const second = await importAs(await readUkList(file('uk/ofsi-conlist-2025-04-10.xlsx')), '2025-04-10');
    expect(second.status).toBe('applied');
    const changes = await latestChanges(db(), [], 'UK');
    expect(changes.added.map((change) => change.id).sort()).toEqual(
      [...after].filter((id) => !before.has(id)).sort(),
    );
    expect(changes.removed.map((change) => change.id).sort()).toEqual(
      [...before].filter((id) => !after.has(id)).sort(),
    );
    expect(changes.published).toBe('2025-04-10');
  }, 120_000);

  it('shows the Xinjiang designations of 22 March 2021 with their listing dates, and no Chen Quanguo', async () => {
    const list = await readUkList(file('uk/ofsi-conlist-2025-04-10.xlsx'));
    const byName = (pattern: RegExp) =>
      [...list.entries.values()].filter((entry) => pattern.test(entry.name));
    for (const pattern of [
      /^ZHU, HAILUN$/,
      /^WANG, JUNZHENG$/,
      /^WANG, MINGSHAN$/,
      /^CHEN, MINGGUO$/,
      /XINJIANG PRODUCTION AND CONSTRUCTION CORPS PUBLIC SECURITY BUREAU/,
    ]) {
      const [entry] = byName(pattern);
      expect(entry, String(pattern)).toBeDefined();
      expect(entry?.listedOn, String(pattern)).toBe('2021-03-22');
      expect(entry?.programs).toContain('Global Human Rights');
    }
    expect(byName(/CHEN, QUANGUO/)).toEqual([]);
    expect(byName(/^ZHU, HAILUN$/)[0]).toMatchObject({ key: '14078', type: 'individual' });
  });

  it('continues ConList entries in the FCDO export through the Group ID: no mass delisting', async () => {
    await importAs(await readUkList(file('uk/ofsi-conlist-2025-04-10.xlsx')), '2025-04-10');
    const fcdo = await readUkList(file('uk/fcdo-summary-2025-08-11.ods'));
    const rows = await rawColumn(file('uk/fcdo-summary-2025-08-11.ods'), 0, 'OFSI Group ID');
    expect(rows.filter((group) => group === '').length).toBe(447);
    const result = await importAs(fcdo, '2025-08-11');
    expect(result.status).toBe('applied');
    expect(result.removed).toBeLessThan(0.01 * 4686);
    const changes = await latestChanges(db(), [], 'UK');
    // Zhu Hailun is the same entry (group 14078), now shown by its FCDO Unique ID.
    expect([...changes.added, ...changes.removed].some((change) => change.name.includes('HAILUN'))).toBe(
      false,
    );
    const index = await currentListIndex(db(), 'UK');
    const zhu = index.entries.find((entry) => entry.key === '14078');
    expect(zhu).toMatchObject({ listId: 'GHR0078', listedOn: '2021-03-22' });
    // Rows without a Group ID (ships, mostly) are entries of their own, keyed by Unique ID.
    expect(index.entries.some((entry) => entry.type === 'vessel' && entry.key === entry.listId)).toBe(true);
  }, 120_000);
});

describe('Canadian list', () => {
  it('diffs 2022-05-11 (older layout) -> 2025-05-25 (newer layout) sensibly', async () => {
    const older = await readCanadaList(file('canada/sema-lmes-2022-05-11.xml'));
    const newer = await readCanadaList(file('canada/sema-lmes-2025-05-25.xml'));
    expect(older.recordCount).toBe(2606);
    expect(newer.recordCount).toBe(4759);
    await importAs(older, '2022-05-11');
    const result = await importAs(newer, '2025-05-25');
    expect(result.status).toBe('applied');
    const changes = await latestChanges(db(), [], 'CA');
    // Renumbered schedules ("1" -> "1, Part 1") and a renamed regime (Burma -> Myanmar) are no
    // delistings; what is removed is what Canada lifted (most of the Zimbabwe listings).
    expect(changes.removed.filter((change) => /^Myanmar|^Burma/.test(change.id))).toEqual([]);
    expect(changes.removed.length).toBeLessThan(150);
    expect(changes.removed.filter((change) => change.id.startsWith('Zimbabwe')).length).toBe(100);
    const chen = changes.added.find((change) => change.name === 'Chen, Quanguo');
    expect(chen?.id).toBe('China, schedule Part 1, item 5');
    // Zhu Hailun, listed in both files, is the same entry.
    expect([...changes.added, ...changes.removed].some((change) => change.name === 'Zhu, Hailun')).toBe(
      false,
    );
  }, 120_000);

  it('shows the 22 March 2021 officials with the date the file gives, and Chen Quanguo from 2024-12-09', async () => {
    const list = await readCanadaList(file('canada/sema-lmes-2025-05-25.xml'));
    const find = (name: string) => [...list.entries.values()].find((entry) => entry.name === name);
    for (const name of ['Zhu, Hailun', 'Wang, Junzheng', 'Wang, Mingshan', 'Chen, Mingguo'])
      expect(find(name)?.listedOn, name).toBe('2021-03-21');
    expect(find('Chen, Quanguo')).toMatchObject({ listedOn: '2024-12-09', datesOfBirth: ['1955-11'] });
    const bureau = [...list.entries.values()].find((entry) =>
      /Xinjiang Production and Construction Corps Public Security Bureau/i.test(entry.name),
    );
    expect(bureau?.listedOn).toBe('2021-03-21');
    // The older layout has no listing dates: none is made up.
    const older = await readCanadaList(file('canada/sema-lmes-2022-05-11.xml'));
    expect([...older.entries.values()].every((entry) => entry.listedOn === null)).toBe(true);
  });
});

describe('Australian list', () => {
  it('reads one entry per reference, with its other names as aliases', async () => {
    const references = new Set(
      (await rawColumn(file('australia/dfat-consolidated-2024-12-17.xlsx'), 0, 'Reference'))
        .map((reference) => /^(\d+)/.exec(reference)?.[1])
        .filter(Boolean),
    );
    const list = await readAustraliaList(file('australia/dfat-consolidated-2024-12-17.xlsx'));
    expect(list.entries.size).toBe(references.size);
    const general = [...list.entries.values()].find((entry) => entry.name === 'Min Aung Hlaing');
    expect(general).toMatchObject({ type: 'individual', programs: ['Autonomous (Myanmar)'] });
    const akhund = list.entries.get('2');
    expect(akhund?.aliases.map((alias) => alias.name)).toContain('محمد حسن أخوند');
    expect(akhund?.listedOn).toBe('2001-01-25');
    await importAs(list, '2024-12-17');
    const index = await currentListIndex(db(), 'AU');
    // Names in other scripts are recorded with their script.
    expect(index.entries.find((entry) => entry.key === '2')?.aliases).toContainEqual({
      name: 'محمد حسن أخوند',
      strength: 'strong',
      script: 'Arabic',
    });
    expect(searchIndex(index, { name: 'Min Aung Hlaing' })[0]?.name).toBe('Min Aung Hlaing');
  }, 60_000);
});

describe('EU list', () => {
  it('reads the excerpt and refuses the file cut off in the middle of an element', async () => {
    const excerpt = await readEuList(file('eu/fsf-2022-03-18-excerpt.xml.gz'));
    const raw = gunzipSync(await readFile(file('eu/fsf-2022-03-18-excerpt.xml.gz'))).toString('utf8');
    const logicalIds = new Set(
      [...raw.matchAll(/<sanctionEntity [^>]*logicalId="(\d+)"/g)].map((match) => match[1]),
    );
    expect(raw.match(/<sanctionEntity /g)?.length).toBe(1044);
    expect(excerpt.entries.size).toBe(logicalIds.size);
    expect(excerpt.publishedOn).toBe('2022-03-18');
    expect(excerpt.entries.get('13')).toMatchObject({
      name: 'Saddam Hussein Al-Tikriti',
      listId: 'EU.27.28',
      type: 'individual',
      programs: ['IRQ'],
      listedOn: '2003-07-08',
      nationalities: ['IRAQ'],
    });
    await expect(readEuList(file('eu/fsf-2022-03-18-as-saved-truncated.xml.gz'))).rejects.toThrow(
      SnapshotError,
    );
    await expect(readEuList(file('eu/fsf-2022-03-18-as-saved-truncated.xml.gz'))).rejects.toThrow(
      /nothing was imported/,
    );
  });
});

describe('bad files', () => {
  it('refuses another layout, an empty file and XML cut short, and imports nothing', async () => {
    await expect(readUkList(file('australia/dfat-consolidated-2024-12-17.xlsx'))).rejects.toThrow(
      /neither OFSI's Consolidated List .* nor the FCDO's UK Sanctions List export/,
    );
    await expect(readAustraliaList(file('uk/ofsi-conlist-2022-05-04.xlsx'))).rejects.toThrow(
      /another layout \(no column Reference/,
    );
    const empty = join(tmpdir(), `empty-${process.pid}.xlsx`);
    await writeFile(empty, '');
    await expect(readUkList(empty)).rejects.toThrow(/the file is empty/);
    const xml = await readFile(file('canada/sema-lmes-2022-05-11.xml'));
    const cut = join(tmpdir(), `cut-${process.pid}.xml`);
    await writeFile(cut, xml.subarray(0, Math.floor(xml.length / 2)));
    await expect(readCanadaList(cut)).rejects.toThrow(/stops before its end|cannot be read/);
    const noRecords = join(tmpdir(), `none-${process.pid}.xml`);
    await writeFile(noRecords, '<?xml version="1.0"?><data-set></data-set>');
    await expect(readCanadaList(noRecords)).rejects.toThrow(/no records/);
    expect(await db().sanctionsPublication.count()).toBe(0);
  });
});
