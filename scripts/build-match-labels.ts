/**
 * Builds the labelled set for `sanctions search` (test/fixtures/match-labels.json) from the real
 * 2022-12-09 SDN snapshot: deterministic picks (a seeded generator) of real entries, turned into the
 * queries people actually type. Hand-written queries (real-world spellings from the press, people
 * who are not listed) are kept in test/fixtures/match-labels-manual.json and merged in.
 *
 *   npx tsx scripts/build-match-labels.ts
 */
import { readFile, writeFile } from 'node:fs/promises';
import { toAscii } from '../src/sanctions/match/normalize.ts';
import type { SdnEntry } from '../src/sanctions/sdn.ts';
import { readCsvSnapshot } from '../src/sanctions/snapshot.ts';

type Label = {
  category: string;
  query: string;
  dob?: string;
  country?: string;
  /** The uid that must come first; null: nothing may be claimed. */
  expected: number | null;
  note?: string;
};

const SNAPSHOT = new URL('../../shared/fixtures/ofac/history/sdn-2022-12-09.csv.gz', import.meta.url)
  .pathname;
const OUT = new URL('../test/fixtures/match-labels.json', import.meta.url).pathname;
const MANUAL = new URL('../test/fixtures/match-labels-manual.json', import.meta.url).pathname;

let seed = 20221209;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
function pick<T>(items: T[], count: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length)
    out.push(pool.splice(Math.floor(random() * pool.length), 1)[0] as T);
  return out;
}

const snapshot = await readCsvSnapshot({ sdn: SNAPSHOT });
const entries = [...snapshot.entries.values()];
const keyCount = new Map<string, number>();
const key = (name: string) => toAscii(name).split(' ').sort().join(' ');
for (const entry of entries) keyCount.set(key(entry.name), (keyCount.get(key(entry.name)) ?? 0) + 1);
const unique = entries.filter((entry) => keyCount.get(key(entry.name)) === 1);
const people = unique.filter(
  (entry): entry is SdnEntry & { lastName: string; firstName: string } =>
    entry.type === 'individual' && Boolean(entry.firstName) && Boolean(entry.lastName),
);
const natural = (entry: { firstName: string; lastName: string }) => `${entry.firstName} ${entry.lastName}`;
const labels: Label[] = [];

for (const entry of pick(people, 25)) {
  labels.push({ category: 'reordered', query: natural(entry), expected: entry.uid });
}

for (const entry of pick(people, 15)) {
  // One typo in the surname: two neighbouring letters swapped, or one dropped.
  const last = entry.lastName;
  const at = 1 + Math.floor(random() * Math.max(1, last.length - 2));
  const typo =
    random() < 0.5
      ? `${last.slice(0, at)}${last[at + 1] ?? ''}${last[at] ?? ''}${last.slice(at + 2)}`
      : `${last.slice(0, at)}${last.slice(at + 1)}`;
  labels.push({ category: 'typo', query: `${entry.firstName} ${typo}`, expected: entry.uid });
}

// A query is only labelled with one entry when no other entry carries all its words.
const tokenSets = entries.map(
  (entry) =>
    new Set(toAscii(`${entry.name} ${entry.aliases.map((alias) => alias.name).join(' ')}`).split(' ')),
);
const holders = (query: string) => {
  const words = toAscii(query).split(' ');
  return tokenSets.filter((set) => words.every((word) => set.has(word))).length;
};
const PARTICLE = /^(abu|al|el|bin|ibn|de|del)$/i;
const long = people.filter((entry) => {
  const first = entry.firstName.split(' ')[0] as string;
  const last = entry.lastName.split(' ')[0] as string;
  return (
    entry.firstName.split(' ').length >= 2 &&
    first.length >= 3 &&
    last.length >= 3 &&
    !PARTICLE.test(first) &&
    !PARTICLE.test(last) &&
    holders(`${first} ${last}`) === 1
  );
});
for (const entry of pick(long, 15)) {
  const first = entry.firstName.split(' ')[0] as string;
  labels.push({
    category: 'missing-middle-name',
    query: `${first} ${entry.lastName.split(' ')[0]}`,
    expected: entry.uid,
  });
}

const usableAlias = (entry: SdnEntry, alias: { name: string }) => {
  const words = toAscii(alias.name).split(' ');
  return (
    words.length >= 2 &&
    words.every((word) => word.length >= 3 && !PARTICLE.test(word)) &&
    key(alias.name) !== key(entry.name) &&
    holders(alias.name) === 1
  );
};
const aliased = unique.filter((entry) => entry.aliases.some((alias) => usableAlias(entry, alias)));
for (const entry of pick(aliased, 15)) {
  const alias = entry.aliases.find((item) => usableAlias(entry, item)) as { name: string };
  labels.push({ category: 'alias', query: alias.name, expected: entry.uid });
}

const dated = people.filter(
  (entry) =>
    /^\d\d [A-Z][a-z]{2} \d{4}$/.test(entry.datesOfBirth[0] ?? '') && entry.datesOfBirth.length === 1,
);
for (const entry of pick(dated, 15)) {
  const year = Number((entry.datesOfBirth[0] as string).slice(-4));
  labels.push({
    category: 'namesake-other-dob',
    query: natural(entry),
    dob: String(year + 9),
    expected: null,
    note: `listed ${entry.uid} was born ${entry.datesOfBirth[0]}`,
  });
}
for (const entry of pick(dated, 10)) {
  const date = new Date(`${entry.datesOfBirth[0]} UTC`);
  labels.push({
    category: 'same-dob',
    query: natural(entry),
    dob: date.toISOString().slice(0, 10),
    expected: entry.uid,
  });
}

// Names not on the list: a listed first name with a listed surname that no entry combines.
const firsts = people.map((entry) => entry.firstName.split(' ')[0] as string);
const lasts = people.map((entry) => entry.lastName.split(' ')[0] as string);
let made = 0;
while (made < 15) {
  const first = firsts[Math.floor(random() * firsts.length)] as string;
  const last = lasts[Math.floor(random() * lasts.length)] as string;
  const [a, b] = [toAscii(first), toAscii(last)];
  if (a.length < 3 || b.length < 3 || tokenSets.some((set) => set.has(a) && set.has(b))) continue;
  labels.push({ category: 'not-listed-recombined', query: `${first} ${last}`, expected: null });
  made += 1;
}

const manual = JSON.parse(await readFile(MANUAL, 'utf8')) as Label[];
// A hand-written label for a generated query overrides it in place (a second look at the case).
const overrides = new Map(manual.map((label) => [label.query, label]));
const generated = labels.map((label) => overrides.get(label.query) ?? label);
const all = [...generated, ...manual.filter((label) => !labels.some((made) => made.query === label.query))];
await writeFile(OUT, `${JSON.stringify(all, null, 1)}\n`);
process.stdout.write(
  `${all.length} labelled queries (${labels.length} generated, ${manual.length} hand-written)\n`,
);
