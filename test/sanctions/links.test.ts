import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { identifiersOf, type LinkRow, refreshLinks, resolveLinks } from '../../src/sanctions/links.ts';
import type { ListCode } from '../../src/sanctions/lists.ts';
import { currentListIndex } from '../../src/sanctions/match/list.ts';
import type { SdnEntry } from '../../src/sanctions/sdn.ts';
import { blankEntry } from '../../src/sanctions/sources/model.ts';
import { importListSnapshot } from '../../src/sanctions/store.ts';
import { createTestDatabase } from '../helpers/database.ts';

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
const day = (text: string) => new Date(`${text}T00:00:00Z`);
/** The clock every link resolution is given: links record it, never the machine's. */
const NOW = new Date('2026-12-01T12:00:00Z');

async function importList(list: ListCode, entries: SdnEntry[], publishedOn: string, into = database) {
  await importListSnapshot(
    into.prisma,
    {
      list,
      entries: new Map(entries.map((entry) => [entry.key as string, entry])),
      sha256: `synthetic-${list}`,
      recordCount: entries.length,
      source: 'test',
      publishedOn,
    },
    { publishedOn: day(publishedOn), holdShare: 1 },
  );
}

const person = (key: string, fields: Pick<SdnEntry, 'name'> & Partial<SdnEntry>) =>
  blankEntry({ type: 'individual', key, listId: key, listedOn: '2020-01-01', ...fields });

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

describe('whole lists resolved in a worker thread', () => {
  it('find the links this thread finds, and no warning of a fallback', async () => {
    const other = await createTestDatabase();
    const warnings: string[] = [];
    const onWarning = (warning: Error & { code?: string }) => warnings.push(String(warning.code));
    process.on('warning', onWarning);
    try {
      const given = ['Ahmad', 'Olena', 'Viktor', 'Maryam', 'Hassan', 'Li', 'Tatiana', 'Omar'];
      const family = Array.from(
        { length: 160 },
        (_, n) => `Surname${String.fromCharCode(97 + (n % 26))}${n}`,
      );
      const names = family.flatMap((surname) => given.map((first) => `${first} ${surname}`));
      // 1,280 entries on each list (enough to be searched in the worker), the second spelling a
      // third of the names a little differently and giving no dates of birth.
      await importList(
        'au',
        names.map((name, n) => person(`a${n}`, { name, datesOfBirth: [String(1950 + (n % 40))] })),
        '2024-02-01',
        other,
      );
      await importList(
        'eu',
        names.map((name, n) =>
          person(`e${n}`, {
            name: n % 3 ? name : name.replace('Olena', 'Olana').replace('Surname', 'Sirname'),
          }),
        ),
        '2024-01-01',
        other,
      );
      const resolution = await refreshLinks(other.prisma, { now: NOW });
      expect(resolution.links).toBeGreaterThan(1_000);
      const stored = (await other.prisma.mirrorLink.findMany()).map(
        (row) => `${row.uidA}~${row.uidB} ${row.score}`,
      );
      const [au, eu] = [
        await currentListIndex(other.prisma, 'AU'),
        await currentListIndex(other.prisma, 'EU'),
      ];
      // As many names on both: Australia's (first in order) are searched in the EU's index.
      const here = resolveLinks([{ target: 'eu', from: 'au', uids: 'all' }], (code) =>
        code === 'au' ? au.entries : eu.entries,
      ).map((row: LinkRow) => `${row.uidA}~${row.uidB} ${row.score}`);
      expect(stored.sort()).toEqual(here.sort());
      expect(warnings).not.toContain('COALITION_LINK_WORKER');
    } finally {
      process.off('warning', onWarning);
      await other.close();
    }
  }, 120_000);
});
