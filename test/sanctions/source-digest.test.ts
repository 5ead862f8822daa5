import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { entryHash } from '../../src/sanctions/sdn.ts';
import {
  CSV_READER_VERSION,
  type CsvSnapshotFiles,
  readCsvSnapshot,
  readCsvSource,
} from '../../src/sanctions/snapshot.ts';
import { importPublication } from '../../src/sanctions/store.ts';
import { createTestDatabase, resetDatabase } from '../helpers/database.ts';

/**
 * OFAC's CSV imports read rows and build only the entries whose rows changed (readCsvSource). The
 * changes they find must be exactly those of building and hashing every entry (readCsvSnapshot).
 */
const OFAC = new URL('../../../shared/fixtures/ofac/', import.meta.url).pathname;
const history = (day: string) => ({ sdn: join(OFAC, 'history', `sdn-${day}.csv.gz`) });
const FULL = {
  sdn: join(OFAC, 'full-2021-07-07', 'sdn.csv.gz'),
  alt: join(OFAC, 'full-2021-07-07', 'alt.csv.gz'),
  add: join(OFAC, 'full-2021-07-07', 'add.csv.gz'),
};

let rowsDb: Database;
let fullDb: Database;
let scratch: string;
beforeAll(async () => {
  [rowsDb, fullDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  scratch = await mkdtemp(join(tmpdir(), 'source-digest-'));
});
afterAll(async () => {
  await Promise.all([rowsDb?.close(), fullDb?.close()]);
  await rm(scratch, { recursive: true, force: true });
});

const options = (day: string) => ({ publishedOn: new Date(`${day}T00:00:00Z`), holdShare: 0.5 });

/** What a database holds of its publications: every change, and every current version. */
async function state(database: Database) {
  const db = database.prisma;
  const changes = await db.sanctionsChange.findMany({
    select: { publicationId: true, uid: true, kind: true, details: true },
    orderBy: [{ publicationId: 'asc' }, { uid: 'asc' }],
  });
  const versions = await db.sanctionsEntryVersion.findMany({
    where: { validToId: null },
    select: { uid: true, hash: true, data: true, validFromId: true },
    orderBy: { uid: 'asc' },
  });
  return { changes, versions };
}

/** The CSV set rewritten: `edit` gets each file's records (lines) by name and returns the new lines. */
async function rewritten(
  files: Required<CsvSnapshotFiles>,
  edit: Partial<Record<'sdn' | 'alt' | 'add', (lines: string[]) => string[]>>,
): Promise<Required<CsvSnapshotFiles>> {
  const out = { ...files };
  for (const name of ['sdn', 'alt', 'add'] as const) {
    const change = edit[name];
    if (!change) continue;
    const text = gunzipSync(await readFile(files[name])).toString('latin1');
    const lines = text.split('\r\n').filter((line) => /^\d+,/.test(line));
    out[name] = join(scratch, `${name}-${Math.random().toString(36).slice(2)}.csv.gz`);
    await writeFile(out[name], gzipSync(Buffer.from(`${change(lines).join('\r\n')}\r\n\u001a`, 'latin1')));
  }
  return out;
}

describe('importing OFAC CSV by its rows', () => {
  it('finds exactly the changes of hashing every entry, day after day, from versions that had no digest', async () => {
    // The first day through the full path on both: versions without a digest, as written before
    // digests existed (or from SDN.XML). The rows path then checks every entry once.
    for (const database of [rowsDb, fullDb])
      await importPublication(
        database.prisma,
        await readCsvSnapshot(history('2021-12-06')),
        options('2021-12-06'),
      );
    const results = [];
    for (const day of ['2021-12-07', '2021-12-08', '2021-12-09', '2021-12-10']) {
      const byRows = await importPublication(rowsDb.prisma, await readCsvSource(history(day)), options(day));
      const byEntries = await importPublication(
        fullDb.prisma,
        await readCsvSnapshot(history(day)),
        options(day),
      );
      expect(byRows).toEqual(byEntries);
      results.push(byRows);
    }
    // Real changes on those days, so the comparison compares something.
    expect(
      results.reduce((sum, result) => sum + result.added + result.removed + result.amended, 0),
    ).toBeGreaterThan(10);
    expect(await state(rowsDb)).toEqual(await state(fullDb));
    // Every current version now carries its rows' digest: the next day skips them.
    expect(
      await rowsDb.prisma.sanctionsEntryVersion.count({ where: { validToId: null, sourceDigest: null } }),
    ).toBe(0);
  });

  it('reads aliases and addresses from ALT and ADD, and a reordering that changes no entry changes nothing', async () => {
    await Promise.all([resetDatabase(rowsDb), resetDatabase(fullDb)]);
    const first = FULL;
    // The next day: one alias gone, one address moved, and one entry's ALT records in another order.
    const altLines = gunzipSync(await readFile(FULL.alt))
      .toString('latin1')
      .split('\r\n');
    const uidOf = (line: string) => line.split(',')[0] as string;
    const counts = new Map<string, number>();
    for (const line of altLines.filter((each) => /^\d+,/.test(each)))
      counts.set(uidOf(line), (counts.get(uidOf(line)) ?? 0) + 1);
    const [reordered] = [...counts].find(([, count]) => count >= 3) ?? [];
    const [dropped] = [...counts].find(([uid, count]) => count >= 2 && uid !== reordered) ?? [];
    expect(reordered && dropped).toBeTruthy();
    const next = await rewritten(FULL as Required<CsvSnapshotFiles>, {
      alt: (lines) => {
        const mine = lines.filter((line) => uidOf(line) === reordered).reverse();
        let dropOne = true;
        return lines.flatMap((line) => {
          if (uidOf(line) === dropped && dropOne) {
            dropOne = false;
            return [];
          }
          if (uidOf(line) === reordered) return [mine.shift() as string];
          return [line];
        });
      },
      add: (lines) => {
        const [line] = lines;
        return [(line as string).replace(/,"([^"]*)",/, ',"$1 (moved)",'), ...lines.slice(1)];
      },
    });
    // Both days by rows here: the second must see the ALT and ADD changes through the digests.
    await importPublication(rowsDb.prisma, await readCsvSource(first), options('2021-07-07'));
    await importPublication(fullDb.prisma, await readCsvSnapshot(first), options('2021-07-07'));
    const byRows = await importPublication(rowsDb.prisma, await readCsvSource(next), options('2021-07-08'));
    const byEntries = await importPublication(
      fullDb.prisma,
      await readCsvSnapshot(next),
      options('2021-07-08'),
    );
    expect(byRows).toEqual(byEntries);
    expect(byRows).toMatchObject({ added: 0, removed: 0, amended: 2 });
    expect(await state(rowsDb)).toEqual(await state(fullDb));
    const changed = await rowsDb.prisma.sanctionsChange.findMany({
      where: { publicationId: byRows.publicationId },
      select: { uid: true },
    });
    expect(changed.map((change) => String(change.uid))).toContain(dropped);
    expect(changed.map((change) => String(change.uid))).not.toContain(reordered);
    // The reordered entry kept its version and took the new rows' digest.
    const digest = (await readCsvSource(next)).sourceDigest(Number(reordered));
    const kept = await rowsDb.prisma.sanctionsEntryVersion.findFirst({
      where: { uid: Number(reordered), validToId: null },
    });
    expect(kept).toMatchObject({ sourceDigest: digest });
    expect(kept?.validFromId).not.toBe(byRows.publicationId);
  });
});

describe('the rows-to-entry mapping', () => {
  it('is what CSV_READER_VERSION says it is (change one, change both)', async () => {
    // An import skips the entries whose rows it has seen, by a digest that includes
    // CSV_READER_VERSION. When this fails, the entries built from the same rows, or their hashes,
    // have changed: bump CSV_READER_VERSION (so that every stored entry is checked again) and pin
    // the new digest.
    const digest = createHash('sha256');
    for (const files of [FULL, history('2022-12-09')]) {
      for (const entry of (await readCsvSnapshot(files)).entries.values())
        digest.update(`${entryHash(entry)} ${JSON.stringify(entry)}\n`);
    }
    expect([CSV_READER_VERSION, digest.digest('hex').slice(0, 16)]).toEqual([1, '4d508bdaa7b24c4f']);
  });
});
