import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { identifiersOf, refreshLinks } from '../../src/sanctions/links.ts';
import type { ListCode } from '../../src/sanctions/lists.ts';
import type { SdnEntry } from '../../src/sanctions/sdn.ts';
import { blankEntry } from '../../src/sanctions/sources/model.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { importSyntheticList, syntheticPerson } from '../helpers/lists.ts';

/**
 * How two lists' entries are linked beyond their names: every date of birth an entry gives (OFAC
 * keeps alternates in its remarks), and the document numbers both lists give.
 */
describe('document numbers', () => {
  it('are read as their digits, part by part, without countries or short numbers', () => {
    const numbers = identifiersOf({
      documents: [
        'Passport D 0001203',
        'Passport (1) 223611 (2) C00146605 (Egypt)',
        'SSN 523-33-8386 (United States)',
        'Other identification number 34409/129',
        'Passport 92/664 (Egypt)',
      ],
    });
    expect([...numbers.keys()]).toEqual(['0001203', '223611', '00146605', '523338386', '34409129']);
    expect(numbers.get('00146605')).toBe('Passport (1) 223611 (2) C00146605 (Egypt)');
  });
});

let database: Database;
const _day = (text: string) => new Date(`${text}T00:00:00Z`);
/** The clock every link resolution is given: links record it, never the machine's. */
const NOW = new Date('2026-12-01T12:00:00Z');

const importList = (list: ListCode, entries: SdnEntry[], publishedOn: string) =>
  importSyntheticList(database.prisma, list, entries, publishedOn);
const person = syntheticPerson;

beforeAll(async () => {
  database = await createTestDatabase();
  await importList(
    'eu',
    [
      // Two dates of birth, the other list giving the second: one man.
      person('e1', { name: 'Jamil Mukulu', datesOfBirth: ['1964-01-01', '1965'] }),
      // Names a little apart, one passport: linked by the passport.
      person('e2', { name: 'Abdul Hai Hazem', documents: ['National passport D 0001203'] }),
      // A name match the passport confirms.
      person('e3', { name: 'Tariq Mikhail Aziz', documents: ['Other identification number 34409/129'] }),
      // The same number on a company: not the person.
      blankEntry({
        type: 'entity',
        key: 'e4',
        listId: 'e4',
        name: 'Hazem Trading',
        documents: ['Registration 0001203'],
      }),
    ],
    '2024-01-01',
  );
  await importList(
    'au',
    [
      person('a1', {
        name: 'MUKULU, Jamil',
        datesOfBirth: ['1965'],
        remarks: 'DOB 1965; alt. DOB 01 Jan 1964',
      }),
      person('a2', { name: 'Abdelhay Hazim Abd al-Qadir', documents: ['Passport D0001203 (Iraq)'] }),
      person('a3', { name: 'AZIZ, Tariq Mikhail', documents: ['Passport NO34409/129 issued Jul 1997'] }),
      // A namesake of the first, born well after, and of the second, born apart, same number.
      person('a4', { name: 'Jamil MUKULU', datesOfBirth: ['1990'] }),
    ],
    '2024-02-01',
  );
  await refreshLinks(database.prisma, { now: NOW });
}, 120_000);
afterAll(async () => {
  await database?.close();
});

async function linkOf(eu: string, au: string) {
  const db = database.prisma;
  const uidOf = async (list: string, key: string) =>
    (await db.sanctionsEntryKey.findFirstOrThrow({ where: { list, key } })).uid;
  return db.mirrorLink.findFirst({
    where: { listA: 'au', uidA: await uidOf('AU', au), listB: 'eu', uidB: await uidOf('EU', eu) },
  });
}

describe('cross-list links', () => {
  it('link an entry to one whose dates of birth include one of its own', async () => {
    const link = await linkOf('e1', 'a1');
    expect(link?.score).toBeGreaterThanOrEqual(0.88);
    expect(link?.evidence).toEqual(expect.arrayContaining([expect.stringContaining('1965')]));
    expect(await linkOf('e1', 'a4')).toBeNull();
  });

  it('link names too far apart to match alone when both lists give one passport number', async () => {
    const link = await linkOf('e2', 'a2');
    expect(link?.score).toBe(0.95);
    // Quoted from whichever list was searched for (here Australia's: the lists are as long).
    expect(link?.evidence).toEqual([
      expect.stringMatching(/^names alike: "Abdelhay Hazim Abd al-Qadir" ~ "Abdul Hai Hazem" \(0\.\d\d\)$/),
      'the same document number 0001203: "Passport D0001203 (Iraq)" ~ "National passport D 0001203"',
    ]);
    // The company giving that number as its registration is not the man.
    expect(await linkOf('e4', 'a2')).toBeNull();
  });

  it('raise a name link the document number confirms, and say so', async () => {
    const link = await linkOf('e3', 'a3');
    expect(link?.score).toBeGreaterThanOrEqual(0.97);
    expect(link?.evidence).toEqual(
      expect.arrayContaining([
        'the same document number 34409129: "Passport NO34409/129 issued Jul 1997" ~ "Other identification number 34409/129"',
      ]),
    );
  });
});
