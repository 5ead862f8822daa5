import { join } from 'node:path';
import type { Db } from '../../src/domain/tx.ts';
import { readCsvSnapshot } from '../../src/sanctions/snapshot.ts';
import { readCanadaList } from '../../src/sanctions/sources/ca/read.ts';
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
    await readCsvSnapshot({ sdn: join(FIXTURES, 'ofac/history/sdn-2021-12-10.csv.gz') }),
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
