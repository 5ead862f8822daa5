import { readFile, writeFile } from 'node:fs/promises';
import { type Evaluation, evaluate, type Label } from '../src/sanctions/match/evaluate.ts';
import { buildIndex, MATCH_THRESHOLD, nameSimilarity, searchIndex } from '../src/sanctions/match/matcher.ts';
import { tokenize } from '../src/sanctions/match/normalize.ts';
import type { SdnEntry } from '../src/sanctions/sdn.ts';
import { readCsvSnapshot } from '../src/sanctions/snapshot.ts';
import { pairScore, readLabelledPairs } from '../test/helpers/labelled-pairs.ts';

const HISTORY = new URL('../../shared/fixtures/ofac/history/', import.meta.url).pathname;
const LABELS = new URL('../test/fixtures/match-labels.json', import.meta.url).pathname;
const RESULTS = new URL('./results/match.json', import.meta.url).pathname;

export type MatchBenchResult = {
  list: number;
  targets: number;
  /** Reading every listed and target name alone (normalize and split): what any matcher pays. */
  floorMs: number;
  indexMs: number;
  /** The median of three runs, and the fastest and slowest. */
  fullListMs: number;
  fullListSpreadMs: [number, number];
  perTargetMs: number;
  /** One query's time, each timed on its own. */
  queryMs: { p50: number; p95: number; max: number };
  ratios: { index: number; allTargets: number };
  publicationAdditions: number;
  publicationMs: number;
  candidatesAboveThreshold: number;
  labelled: { queries: number; precision: number; recall: number };
  /** Per class of the labelled set: queries, and how many were answered right (claim or no claim). */
  classes: Evaluation['byCategory'];
  /** moov-io/watchman's cross-script pairs: how many match at our threshold. */
  crossScript: { pairs: number; matched: number; failed: string[] };
  /** moov-io/watchman's labelled company and vessel pairs: ours at our threshold, theirs beside. */
  cascade: CascadeResult[];
};

let seed = 7;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const any = <T>(items: T[]): T => items[Math.floor(random() * items.length)] as T;

/**
 * Matching 1,000 coalition targets against a 40,000-entry list (five lists' worth): the real
 * 2022-12-09 list (11,381 entries) topped up with entries whose names recombine real first names and surnames, and the
 * cost per publication in practice (the 217 additions of 2022-12-09 against the same targets).
 */
export async function runMatchBench(): Promise<MatchBenchResult> {
  const before = await readCsvSnapshot({ sdn: `${HISTORY}sdn-2022-12-08.csv.gz` });
  const after = await readCsvSnapshot({ sdn: `${HISTORY}sdn-2022-12-09.csv.gz` });
  const real = [...after.entries.values()];
  const people = real.filter((entry) => entry.type === 'individual' && entry.firstName && entry.lastName);
  const list: SdnEntry[] = [...real];
  let uid = 900_000;
  while (list.length < 40_000) {
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

  // The floor: reading the names alone, as every matcher must, in the same run.
  let start = performance.now();
  let tokens = 0;
  for (const entry of list) {
    tokens += tokenize(entry.name).core.length;
    for (const alias of entry.aliases) tokens += tokenize(alias.name).core.length;
  }
  for (const target of targets) tokens += tokenize(target.name).core.length;
  const floorMs = performance.now() - start;
  if (tokens === 0) throw new Error('no names read');

  // Machines here are shared and noisy: three cold runs (a new index each), the median reported.
  const runs: Array<{ indexMs: number; fullListMs: number; times: number[]; above: number }> = [];
  for (let run = 0; run < 3; run++) {
    start = performance.now();
    const fresh = buildIndex(list);
    const indexMs = performance.now() - start;
    const times: number[] = [];
    let above = 0;
    start = performance.now();
    for (const target of targets) {
      const one = performance.now();
      above += searchIndex(fresh, target).length;
      times.push(performance.now() - one);
    }
    runs.push({ indexMs, fullListMs: performance.now() - start, times, above });
  }
  runs.sort((a, b) => a.fullListMs - b.fullListMs);
  const median = runs[1] as (typeof runs)[number];
  const { indexMs, fullListMs, above } = median;
  const times = [...median.times].sort((a, b) => a - b);
  const spread = {
    fullListMs: [
      Math.round((runs[0] as (typeof runs)[number]).fullListMs),
      Math.round((runs[2] as (typeof runs)[number]).fullListMs),
    ],
  };
  const at = (share: number) =>
    Math.round((times[Math.floor(share * (times.length - 1))] as number) * 100) / 100;

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
    floorMs: Math.round(floorMs),
    indexMs: Math.round(indexMs),
    fullListMs: Math.round(fullListMs),
    perTargetMs: Math.round((fullListMs / targets.length) * 100) / 100,
    fullListSpreadMs: spread.fullListMs as [number, number],
    queryMs: { p50: at(0.5), p95: at(0.95), max: at(1) },
    ratios: {
      index: Math.round((indexMs / floorMs) * 10) / 10,
      allTargets: Math.round((fullListMs / floorMs) * 10) / 10,
    },
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
    cascade: await cascadePairs(),
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

export type CascadeResult = {
  file: string;
  pairs: number;
  truePairs: number;
  ours: {
    threshold: number;
    truePositives: number;
    falsePositives: number;
    precision: number;
    recall: number;
  };
  watchman: {
    threshold: number;
    truePositives: number;
    falsePositives: number;
    precision: number;
    recall: number;
  };
};

/**
 * Watchman scores these pairs on names alone, where an exact name lands at 0.855 (its
 * testdata's own note): its 0.88 threshold claims nothing there, so it is compared at the same
 * share of that ceiling (0.88 x 0.855).
 */
const WATCHMAN_THRESHOLD = Math.round(MATCH_THRESHOLD * 0.855 * 1000) / 1000;

async function cascadePairs(): Promise<CascadeResult[]> {
  const results: CascadeResult[] = [];
  for (const file of ['cascade-name-pairs.csv', 'cascade-name-pairs-2.csv']) {
    const pairs = readLabelledPairs(
      await readFile(new URL(`../test/fixtures/watchman/${file}`, import.meta.url), 'utf8'),
    );
    const count = { ours: { tp: 0, fp: 0 }, watchman: { tp: 0, fp: 0 } };
    for (const pair of pairs) {
      const ours = pairScore(pair.name1, pair.name2) >= MATCH_THRESHOLD;
      const theirs = pair.watchmanScore >= WATCHMAN_THRESHOLD;
      if (ours) count.ours[pair.same ? 'tp' : 'fp']++;
      if (theirs) count.watchman[pair.same ? 'tp' : 'fp']++;
    }
    const truePairs = pairs.filter((pair) => pair.same).length;
    const summary = (threshold: number, { tp, fp }: { tp: number; fp: number }) => ({
      threshold,
      truePositives: tp,
      falsePositives: fp,
      precision: tp + fp ? Math.round((tp / (tp + fp)) * 1000) / 1000 : 1,
      recall: Math.round((tp / truePairs) * 1000) / 1000,
    });
    results.push({
      file,
      pairs: pairs.length,
      truePairs,
      ours: summary(MATCH_THRESHOLD, count.ours),
      watchman: summary(WATCHMAN_THRESHOLD, count.watchman),
    });
  }
  return results;
}
