import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { SnapshotError } from '../../src/sanctions/csv.ts';
import { readCsvSnapshot } from '../../src/sanctions/snapshot.ts';
import { latestChanges, releasePublication } from '../../src/sanctions/store.ts';
import { createTestDatabase, resetDatabase } from '../helpers/database.ts';
import { uidsOf } from '../helpers/fake-ofac.ts';
import { importOfacDay } from '../helpers/lists.ts';

/** Real OFAC snapshots from shared/fixtures, imported as publications one after another. */
const HISTORY = new URL('../../../shared/fixtures/ofac/history/', import.meta.url).pathname;
const FULL = new URL('../../../shared/fixtures/ofac/full-2021-07-07/', import.meta.url).pathname;
const file = (day: string) => join(HISTORY, `sdn-${day}.csv.gz`);

let database: Database;
let scratch: string;

beforeAll(async () => {
  database = await createTestDatabase();
  scratch = await mkdtemp(join(tmpdir(), 'ofac-'));
});
afterAll(async () => {
  await database?.close();
  await rm(scratch, { recursive: true, force: true });
});
beforeEach(async () => {
  await resetDatabase(database);
});

const db = () => database.prisma;

async function importDay(day: string, path = file(day)) {
  return (await importOfacDay(db(), day, { file: path })).result;
}

const currentCount = () => db().sanctionsEntryVersion.count({ where: { validToId: null } });

describe('importing OFAC SDN snapshots', () => {
  it('finds the 217 additions of 2022-12-09, 182 of them Global Magnitsky', async () => {
    expect(await importDay('2022-12-08')).toMatchObject({
      baseline: true,
      status: 'applied',
      recordCount: 11164,
    });
    const result = await importDay('2022-12-09');
    expect(result).toMatchObject({ baseline: false, status: 'applied', added: 217, removed: 0 });
    const changes = await latestChanges(db());
    expect(changes).toMatchObject({ published: '2022-12-09', held: false });
    expect(changes.added).toHaveLength(217);
    expect(changes.added.filter((change) => change.programs.includes('GLOMAG'))).toHaveLength(182);
    expect(changes.added.find((change) => change.uid === 33674)).toEqual({
      uid: 33674,
      id: '33674',
      name: 'ZHUO, Xinrong',
      type: 'individual',
      programs: ['GLOMAG'],
    });
    const glomag = await latestChanges(db(), ['GLOMAG']);
    expect(glomag.added).toHaveLength(182);
    expect(await currentCount()).toBe(11381);
    // The entry's history: designated in the publication where it first appeared.
    const [version] = await db().sanctionsEntryVersion.findMany({ where: { uid: 33674 } });
    const first = await db().sanctionsPublication.findUniqueOrThrow({
      where: { id: version?.validFromId ?? 0 },
    });
    expect(first.publishedOn.toISOString().slice(0, 10)).toBe('2022-12-09');
    expect(version?.data).toMatchObject({
      lastName: 'ZHUO',
      firstName: 'Xinrong',
      datesOfBirth: ['10 Nov 1964'],
      placesOfBirth: ['Fuzhou, China'],
      nationalities: ['Hong Kong'],
    });
  });

  it('refuses an empty download and a truncated file, leaving the list as it was', async () => {
    await importDay('2022-12-08');
    const before = await currentCount();
    await expect(importDay('2022-12-10', join(HISTORY, 'sdn-empty-download.csv.gz'))).rejects.toThrow(
      new SnapshotError('SDN.CSV is empty (a failed download); nothing was imported.'),
    );
    const whole = gunzipSync(await readFile(file('2022-12-09')));
    const truncated = join(scratch, 'truncated.csv');
    await writeFile(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(importDay('2022-12-10', truncated)).rejects.toThrow(
      /the download is truncated; nothing was imported/,
    );
    const atRecord = join(scratch, 'cut-at-record.csv');
    await writeFile(atRecord, whole.subarray(0, whole.indexOf('\r\n', Math.floor(whole.length / 2)) + 2));
    await expect(importDay('2022-12-10', atRecord)).rejects.toThrow(
      /end-of-file marker \(0x1A\): the download is truncated/,
    );
    expect(await currentCount()).toBe(before);
    expect(await db().sanctionsPublication.count()).toBe(1);
    await expect(importDay('2022-12-08')).rejects.toThrow(/already imported as publication 1/);
  });

  it('follows the Human Rights Day week day by day', async () => {
    const days = ['2021-12-06', '2021-12-07', '2021-12-08', '2021-12-09', '2021-12-10'];
    await importDay(days[0] as string);
    for (let index = 1; index < days.length; index++) {
      const day = days[index] as string;
      const before = await uidsOf(file(days[index - 1] as string));
      const after = await uidsOf(file(day));
      const result = await importDay(day);
      expect(result.added, day).toBe([...after].filter((uid) => !before.has(uid)).length);
      expect(result.removed, day).toBe([...before].filter((uid) => !after.has(uid)).length);
      expect((await latestChanges(db())).added.map((change) => change.uid).sort()).toEqual(
        [...after].filter((uid) => !before.has(uid)).sort(),
      );
    }
  });

  it('records the 150 delistings of 2021-12-30', async () => {
    await importDay('2021-12-22');
    const result = await importDay('2021-12-30');
    expect(result).toMatchObject({ status: 'applied', added: 0, removed: 150 });
    expect((await latestChanges(db())).removed).toHaveLength(150);
  });

  it('holds a publication that removes too much of the list until an admin releases it', async () => {
    await importDay('2022-12-08');
    const whole = gunzipSync(await readFile(file('2022-12-08'))).toString('latin1');
    const lines = whole.split('\r\n');
    const half = join(scratch, 'half.csv');
    await writeFile(half, Buffer.from(`${lines.slice(0, 5000).join('\r\n')}\r\n\u001a`, 'latin1'));
    const held = await importDay('2022-12-09', half);
    expect(held).toMatchObject({ status: 'held', removed: 11164 - 5000 });
    expect(await currentCount()).toBe(11164);
    expect(await latestChanges(db())).toMatchObject({ held: true });
    await releasePublication(db(), held.publicationId, new Date());
    expect(await currentCount()).toBe(5000);
  });

  it('lets the next publication confirm a held mass removal by agreeing with it', async () => {
    await importDay('2022-12-08');
    const lines = gunzipSync(await readFile(file('2022-12-08')))
      .toString('latin1')
      .split('\r\n');
    const half = (name: string, extra = '') => {
      const path = join(scratch, name);
      return writeFile(
        path,
        Buffer.from(`${lines.slice(0, 5000).join('\r\n')}\r\n${extra}\u001a`, 'latin1'),
      ).then(() => path);
    };
    const first = await importDay('2022-12-09', await half('a.csv'));
    expect(first.status).toBe('held');
    const second = await importDay('2022-12-10', await half('b.csv', '\r\n'));
    expect(second).toMatchObject({ status: 'applied', superseded: [first.publicationId] });
    expect(await currentCount()).toBe(5000);
  });

  it('reads the ALT and ADD files into aliases and addresses', async () => {
    const snapshot = await readCsvSnapshot({
      sdn: join(FULL, 'sdn.csv.gz'),
      alt: join(FULL, 'alt.csv.gz'),
      add: join(FULL, 'add.csv.gz'),
    });
    const withAliases = [...snapshot.entries.values()].filter((entry) =>
      entry.aliases.some((alias) => alias.strength === 'strong'),
    );
    const withAddresses = [...snapshot.entries.values()].filter((entry) => entry.addresses.length > 0);
    expect(withAliases.length).toBeGreaterThan(1000);
    expect(withAddresses.length).toBeGreaterThan(1000);
    expect(snapshot.entries.get(36)).toMatchObject({
      name: 'AEROCARIBBEAN AIRLINES',
      type: 'entity',
      programs: ['CUBA'],
    });
  });
});
