import { join } from 'node:path';
import type { Db } from '../../src/domain/tx.ts';
import type { ListCode } from '../../src/sanctions/lists.ts';
import { matchPublication } from '../../src/sanctions/match/designations.ts';
import type { SdnEntry } from '../../src/sanctions/sdn.ts';
import { readCsvSource } from '../../src/sanctions/snapshot.ts';
import { readCanadaList } from '../../src/sanctions/sources/ca/read.ts';
import { blankEntry } from '../../src/sanctions/sources/model.ts';
import { readUkList } from '../../src/sanctions/sources/uk/read.ts';
import { importListSnapshot, importPublication } from '../../src/sanctions/store.ts';

export const FIXTURES = new URL('../../../shared/fixtures/', import.meta.url).pathname;

const day = (text: string) => new Date(`${text}T00:00:00Z`);

/**
 * The three real lists of the mirror-tracker examples: OFAC's of 2021-12-10, the UK's ConList of
 * 2025-04-10 and Canada's list of 2025-05-25.
 */
export async function importMirrorFixtures(db: Db): Promise<void> {
  await importPublication(
    db,
    await readCsvSource({ sdn: join(FIXTURES, 'ofac/history/sdn-2021-12-10.csv.gz') }),
    {
      publishedOn: day('2021-12-10'),
      holdShare: 0.1,
    },
  );
  await importListSnapshot(db, await readUkList(join(FIXTURES, 'uk/ofsi-conlist-2025-04-10.xlsx')), {
    publishedOn: day('2025-04-10'),
    holdShare: 0.1,
  });
  await importListSnapshot(db, await readCanadaList(join(FIXTURES, 'canada/sema-lmes-2025-05-25.xml')), {
    publishedOn: day('2025-05-25'),
    holdShare: 0.1,
  });
}

/**
 * Imports OFAC's list of one day from the fixtures' history (`sdn-<day>.csv.gz`, or `file`), and
 * matches it against the targets unless it is the first (the baseline, never announced).
 */
export async function importOfacDay(
  db: Db,
  publishedOn: string,
  options: { file?: string; match?: boolean } = {},
) {
  const result = await importPublication(
    db,
    await readCsvSource({
      sdn: options.file ?? join(FIXTURES, 'ofac/history', `sdn-${publishedOn}.csv.gz`),
    }),
    { publishedOn: day(publishedOn), holdShare: 0.1 },
  );
  const matches =
    options.match && !result.baseline
      ? await matchPublication(db, result.publicationId, new Date())
      : undefined;
  return { result, matches };
}

/** A made-up list publication, stored as a real one is (entries keyed by their `key`). */
export async function importSyntheticList(db: Db, list: ListCode, entries: SdnEntry[], publishedOn: string) {
  await importListSnapshot(
    db,
    {
      list,
      entries: new Map(entries.map((entry) => [entry.key as string, entry])),
      sha256: `synthetic-${list}`,
      recordCount: entries.length,
      source: 'test',
      publishedOn,
    },
    { publishedOn: new Date(`${publishedOn}T00:00:00Z`), holdShare: 1 },
  );
}

/** A person as a list gives one, listed on 2020-01-01 unless said otherwise. */
export const syntheticPerson = (key: string, fields: Pick<SdnEntry, 'name'> & Partial<SdnEntry>) =>
  blankEntry({ type: 'individual', key, listId: key, listedOn: '2020-01-01', ...fields });
