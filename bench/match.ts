import { readFile, writeFile } from 'node:fs/promises';
import { evaluate, type Label } from '../src/sanctions/match/evaluate.ts';
import { buildIndex, MATCH_THRESHOLD, nameSimilarity, searchIndex } from '../src/sanctions/match/matcher.ts';
import { tokenize } from '../src/sanctions/match/normalize.ts';
import type { SdnEntry } from '../src/sanctions/sdn.ts';
import { readCsvSnapshot } from '../src/sanctions/snapshot.ts';

const HISTORY = new URL('../../shared/fixtures/ofac/history/', import.meta.url).pathname;
const LABELS = new URL('../test/fixtures/match-labels.json', import.meta.url).pathname;
const RESULTS = new URL('./results/match.json', import.meta.url).pathname;

export type MatchBenchResult = {
  list: number;
  targets: number;
  indexMs: number;
  fullListMs: number;
  perTargetMs: number;
  publicationAdditions: number;
  publicationMs: number;
  candidatesAboveThreshold: number;
  labelled: { queries: number; precision: number; recall: number };
  /** Per class of the labelled set: queries, and how many were answered right (claim or no claim). */
  classes: Record<string, { queries: number; correct: number }>;
  /** moov-io/watchman's cross-script pairs: how many match at our threshold. */
  crossScript: { pairs: number; matched: number; failed: string[] };
};

let seed = 7;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const any = <T>(items: T[]): T => items[Math.floor(random() * items.length)] as T;

/**
 * Matching 1,000 coalition targets against a 20,000-entry list: the real 2022-12-09 list (11,381
 * entries) topped up with entries whose names recombine real first names and surnames, and the
 * cost per publication in practice (the 217 additions of 2022-12-09 against the same targets).
 */
export async function runMatchBench(): Promise<MatchBenchResult> {
  const before = await readCsvSnapshot({ sdn: `${HISTORY}sdn-2022-12-08.csv.gz` });
  const after = await readCsvSnapshot({ sdn: `${HISTORY}sdn-2022-12-09.csv.gz` });
  const real = [...after.entries.values()];
  const people = real.filter((entry) => entry.type === 'individual' && entry.firstName && entry.lastName);
  const list: SdnEntry[] = [...real];
  let uid = 900_000;
  while (list.length < 20_000) {
    const template = any(people);
    const firstName = any(people).firstName as string;
    const lastName = any(people).lastName as string;
    list.push({
      ...template,
      uid: uid++,
      name: `${lastName}, ${firstName}`,
      lastName,
      firstName,
      aliases: [],
    });
  }
  // Targets: 100 listed people as a coalition would type them, 900 people who are not listed.
  const targets = [
    ...Array.from({ length: 100 }, () => {
      const entry = any(people);
      return { name: `${entry.firstName} ${entry.lastName}`, country: entry.nationalities[0] ?? null };
    }),
    ...Array.from({ length: 900 }, () => ({
      name: `${any(people).firstName} ${any(['Ivanova', 'Okonkwo', 'Haddad', 'Nguyen', 'Fernandes', 'Kowalczyk'])}`,
      country: null,
    })),
  ];

  let start = performance.now();
  const index = buildIndex(list);
  const indexMs = performance.now() - start;
  start = performance.now();
  let above = 0;
  for (const target of targets) above += searchIndex(index, target).length;
  const fullListMs = performance.now() - start;

  const additions = real.filter((entry) => !before.entries.has(entry.uid));
  start = performance.now();
  const additionsIndex = buildIndex(additions);
  for (const target of targets) searchIndex(additionsIndex, target);
  const publicationMs = performance.now() - start;

  const labels = JSON.parse(await readFile(LABELS, 'utf8')) as Label[];
  const quality = evaluate(buildIndex(real), labels);
  const result: MatchBenchResult = {
    list: list.length,
    targets: targets.length,
    indexMs: Math.round(indexMs),
    fullListMs: Math.round(fullListMs),
    perTargetMs: Math.round((fullListMs / targets.length) * 100) / 100,
    publicationAdditions: additions.length,
    publicationMs: Math.round(publicationMs),
    candidatesAboveThreshold: above,
    labelled: {
      queries: quality.queries,
      precision: Math.round(quality.precision * 1000) / 1000,
      recall: Math.round(quality.recall * 1000) / 1000,
    },
    classes: quality.byCategory,
    crossScript: await crossScriptPairs(),
  };
  await writeFile(
    RESULTS,
    `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, result }, null, 2)}\n`,
  );
  return result;
}

/** Watchman's cross-script pairs (all true pairs): how many our name similarity passes at the threshold. */
async function crossScriptPairs(): Promise<MatchBenchResult['crossScript']> {
  const text = await readFile(
    new URL('../test/fixtures/watchman/cross_script_pairs.csv', import.meta.url),
    'utf8',
  );
  const rows = text.split('\n').filter((line) => line.trim() && !line.startsWith('#'));
  const failed: string[] = [];
  for (const row of rows) {
    const [query, expected] = row.split(',') as [string, string];
    if (nameSimilarity(tokenize(query), tokenize(expected)) < MATCH_THRESHOLD)
      failed.push(`${query} / ${expected}`);
  }
  return { pairs: rows.length, matched: rows.length - failed.length, failed };
}
