import { recordAudit } from '../domain/audit.ts';
import { isoDate } from '../domain/dates.ts';
import { UserError } from '../domain/errors.ts';
import type { Db } from '../domain/tx.ts';
import {
  birthYear,
  entryOf,
  importedLists,
  type Link,
  listIndexes,
  loadLinks,
  orderedPair,
  pairKey,
  refreshLinks,
} from './links.ts';
import { isListCode, jurisdictionLabel, type ListCode, storedList } from './lists.ts';
import { currentListIndex } from './match/list.ts';
import { MATCH_THRESHOLD, type MatchIndex, REVIEW_THRESHOLD, searchIndex } from './match/matcher.ts';
import { themesOf, underProgram } from './regimes.ts';
import type { SdnEntry } from './sdn.ts';
import { displayId } from './store.ts';

/**
 * What kind of date a listing date is, always said beside it: the date the list itself gives; the
 * publication in which the bot first saw the entry; or, for entries already there at the first
 * import, only that they were listed before it.
 */
export type DateKind = 'listed' | 'first-seen' | 'before';

export type ListingDate = { on: string | null; kind: DateKind; before?: string };

export type MirrorRow = {
  list: ListCode;
  listed: boolean;
  id: string | null;
  name: string | null;
  regimes: string[];
  listedOn: string | null;
  dateKind: DateKind | null;
  /** Days after the first government that listed them, where both dates are known. */
  lagDays: number | null;
  score: number | null;
  evidence: string[];
};

/**
 * Coordinators' decisions on pairs of entries: every decision by `pairKey` (true: same, false:
 * different), and the confirmed partners by `from:uid>to`, so a look-up never scans a list.
 */
export type MirrorDecisions = { pairs: Map<string, boolean>; partners: Map<string, number> };

export async function loadDecisions(db: Db): Promise<MirrorDecisions> {
  const decisions: MirrorDecisions = { pairs: new Map(), partners: new Map() };
  for (const row of await db.mirrorDecision.findMany()) {
    const a = { list: row.listA as ListCode, uid: row.uidA };
    const b = { list: row.listB as ListCode, uid: row.uidB };
    decisions.pairs.set(pairKey(a, b), row.same);
    if (row.same) {
      decisions.partners.set(`${a.list}:${a.uid}>${b.list}`, b.uid);
      decisions.partners.set(`${b.list}:${b.uid}>${a.list}`, a.uid);
    }
  }
  return decisions;
}

/** The entry a query matches best on any list: the anchor its counterparts are looked for from. */
function bestMatchAcross(
  indexes: Map<ListCode, MatchIndex>,
  query: string,
  aliases: string[] = [],
): { list: ListCode; entry: SdnEntry; score: number } | undefined {
  let anchor: { list: ListCode; entry: SdnEntry; score: number } | undefined;
  for (const [list, index] of indexes) {
    const best = searchIndex(index, { name: query, aliases }, { limit: 1 })[0];
    const entry = best ? entryOf(index, best.uid) : undefined;
    if (best && entry && (!anchor || best.score > anchor.score)) anchor = { list, entry, score: best.score };
  }
  return anchor;
}

/** Whole days from one YYYY-MM-DD date to another. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/** The year a date stands for in counts: its own, or "before <first import>" when only that is known. */
function listingYear(date: ListingDate | undefined): string {
  return date?.on ? date.on.slice(0, 4) : `before ${date?.before ?? 'the first import'}`;
}

/** Every date with the kind of date it is, in words: never one presented as another. */
export function describeListingDate(on: string | null, kind: DateKind | null): string {
  if (kind === 'listed') return `listed on ${on}`;
  if (kind === 'first-seen') return `first seen in the publication of ${on}`;
  return 'listed before our first import of that list';
}

/** What every mirror answer follows: the stored links, and coordinators' decisions over them. */
export type MirrorContext = { decisions: MirrorDecisions; links: Map<string, Link[]> };

/**
 * The stored links brought up to date with the latest publications, and the decisions: read once
 * per answer.
 */
export async function mirrorContext(
  db: Db,
  indexes: Map<ListCode, MatchIndex>,
  now: Date,
): Promise<MirrorContext> {
  await refreshLinks(db, { indexes, now });
  return { decisions: await loadDecisions(db), links: await loadLinks(db) };
}

/**
 * An entry's counterpart on another list: its best stored link (names and aliases, type, and never
 * one born in another year), unless a coordinator split that pair. A pair a coordinator said is
 * the same is linked whatever its score.
 */
export function counterpartIn(
  index: MatchIndex,
  from: ListCode,
  entry: Pick<SdnEntry, 'uid'>,
  to: ListCode,
  context: MirrorContext,
): { entry: SdnEntry; score: number; evidence: string[] } | undefined {
  const partner = context.decisions.partners.get(`${from}:${entry.uid}>${to}`);
  const confirmed = partner === undefined ? undefined : entryOf(index, partner);
  if (confirmed) return { entry: confirmed, score: 1, evidence: ['confirmed by a coordinator'] };
  for (const link of context.links.get(`${from}:${entry.uid}>${to}`) ?? []) {
    if (
      context.decisions.pairs.get(pairKey({ list: from, uid: entry.uid }, { list: to, uid: link.uid })) ===
      false
    )
      continue;
    const found = entryOf(index, link.uid);
    if (found) return { entry: found, score: link.score, evidence: link.evidence };
  }
  return undefined;
}

/**
 * Pairs close enough to look but not to link (from the review threshold to the matching one),
 * for a coordinator to confirm or split: the anchor entry of a name against each other list.
 */
export async function borderlinePairs(
  db: Db,
  query: string,
): Promise<
  Array<{
    pair: string;
    a: { list: ListCode; id: string; name: string };
    b: { list: ListCode; id: string; name: string };
    score: number;
    evidence: string[];
  }>
> {
  const indexes = await listIndexes(db);
  const decisions = await loadDecisions(db);
  const found = bestMatchAcross(indexes, query);
  if (!found) return [];
  const pairs = [];
  for (const [list, index] of indexes) {
    if (list === found.list) continue;
    const candidates = searchIndex(
      index,
      {
        name: found.entry.name,
        aliases: found.entry.aliases.map((alias) => alias.name),
        dob: birthYear(found.entry),
      },
      { minScore: REVIEW_THRESHOLD, limit: 3 },
    ).filter((candidate) => candidate.score < MATCH_THRESHOLD);
    for (const candidate of candidates) {
      const other = entryOf(index, candidate.uid) as SdnEntry;
      const pair = pairKey({ list: found.list, uid: found.entry.uid }, { list, uid: other.uid });
      if (decisions.pairs.has(pair)) continue;
      pairs.push({
        pair,
        a: { list: found.list, id: displayId(found.entry, found.entry.uid), name: found.entry.name },
        b: { list, id: displayId(other, other.uid), name: other.name },
        score: candidate.score,
        evidence: candidate.evidence,
      });
    }
  }
  return pairs;
}

/** Records a coordinator's decision on a pair (audited); a later decision replaces an earlier one. */
export async function decidePair(
  db: Db,
  actor: { memberId: number },
  pair: string,
  same: boolean,
  now: Date,
): Promise<void> {
  const match = /^([a-z]{2}):(\d+)~([a-z]{2}):(\d+)$/.exec(pair.trim());
  if (!match || !isListCode(match[1] as string) || !isListCode(match[3] as string) || match[1] === match[3])
    throw new UserError('pair: give it as shown by /mirror review, like ca:5123~us:29220.');
  const [listA, uidA, listB, uidB] = [
    match[1] as ListCode,
    Number(match[2]),
    match[3] as ListCode,
    Number(match[4]),
  ];
  const sides = [
    { list: listA, uid: uidA },
    { list: listB, uid: uidB },
  ] as const;
  const key = pairKey(...sides);
  for (const { list, uid } of sides) {
    const exists = await db.sanctionsEntryVersion.count({ where: { list: storedList(list), uid } });
    if (!exists)
      throw new UserError(`pair: there is no entry ${uid} on the ${jurisdictionLabel(list)} list.`);
  }
  await db.$transaction(async (tx) => {
    const where = orderedPair(...sides);
    const before = await tx.mirrorDecision.findUnique({ where: { listA_uidA_listB_uidB: where } });
    await tx.mirrorDecision.upsert({
      where: { listA_uidA_listB_uidB: where },
      create: { ...where, same, decidedByMemberId: actor.memberId, decidedAt: now },
      update: { same, decidedByMemberId: actor.memberId, decidedAt: now },
    });
    await recordAudit(tx, {
      actorMemberId: actor.memberId,
      action: same ? 'mirror.confirm' : 'mirror.split',
      entityType: 'mirror_pair',
      entityId: key,
      before: before ? { same: before.same } : null,
      after: { same },
    });
  });
}

/**
 * When each entry was listed, by the best kind of date there is: the list's own, else the first
 * publication that carried it (not the first import), else "before" the first import.
 */
export async function listingDates(
  db: Db,
  list: ListCode,
  entries: SdnEntry[],
): Promise<Map<number, ListingDate>> {
  const dates = new Map<number, ListingDate>();
  const publications = await db.sanctionsPublication.findMany({
    where: { list: storedList(list), status: 'applied' },
    orderBy: { id: 'asc' },
    select: { id: true, publishedOn: true },
  });
  const first = publications[0];
  const dayOf = new Map(
    publications.map((publication) => [publication.id, isoDate(publication.publishedOn)]),
  );
  const missing = entries.filter((entry) => !entry.listedOn).map((entry) => entry.uid);
  const firstSeen = new Map<number, number>();
  if (missing.length) {
    const rows = await db.sanctionsEntryVersion.groupBy({
      by: ['uid'],
      where: { list: storedList(list), uid: { in: missing } },
      _min: { validFromId: true },
    });
    for (const row of rows) if (row._min.validFromId) firstSeen.set(row.uid, row._min.validFromId);
  }
  for (const entry of entries) {
    if (entry.listedOn) {
      dates.set(entry.uid, { on: entry.listedOn, kind: 'listed' });
      continue;
    }
    const seen = firstSeen.get(entry.uid);
    if (seen && first && seen !== first.id)
      dates.set(entry.uid, { on: dayOf.get(seen) ?? null, kind: 'first-seen' });
    else
      dates.set(entry.uid, {
        on: null,
        kind: 'before',
        ...(first ? { before: isoDate(first.publishedOn) } : {}),
      });
  }
  return dates;
}

/**
 * Who has listed a person or entity: one row per imported list. The best match across lists is the
 * anchor; the other lists are searched with its aliases, date of birth and type as well, so a
 * namesake born in another year is not taken for a mirror.
 */
export async function mirrorOf(
  db: Db,
  query: string,
  options: { now: Date; aliases?: string[]; indexes?: Map<ListCode, MatchIndex> },
): Promise<MirrorRow[]> {
  const all = options.indexes ?? (await listIndexes(db));
  const context = await mirrorContext(db, all, options.now);
  const anchor = bestMatchAcross(all, query, options.aliases);
  const rows: MirrorRow[] = [];
  for (const [list, index] of all) {
    let found: { entry: SdnEntry; score: number; evidence: string[] } | undefined;
    if (anchor)
      found =
        anchor.list === list
          ? { entry: anchor.entry, score: anchor.score, evidence: ['the entry the query matched best'] }
          : counterpartIn(index, anchor.list, anchor.entry, list, context);
    const date = found ? (await listingDates(db, list, [found.entry])).get(found.entry.uid) : undefined;
    rows.push({
      list,
      listed: Boolean(found),
      id: found ? displayId(found.entry, found.entry.uid) : null,
      name: found?.entry.name ?? null,
      regimes: found?.entry.programs ?? [],
      listedOn: date?.on ?? null,
      dateKind: date?.kind ?? null,
      lagDays: null,
      score: found ? Number(found.score.toFixed(3)) : null,
      evidence: found?.evidence ?? [],
    });
  }
  const known = rows.filter((row) => row.listedOn).map((row) => row.listedOn as string);
  const firstDate = known.sort()[0];
  if (firstDate) for (const row of rows) if (row.listedOn) row.lagDays = daysBetween(firstDate, row.listedOn);
  return rows;
}

export type GapRow = {
  list: ListCode;
  id: string;
  name: string;
  listedOn: string | null;
  dateKind: DateKind;
  regimes: string[];
};

/**
 * The entries one government listed that another has not: the annex of a joint letter. Optionally
 * only a program or regime (or a theme: human-rights, anti-corruption) and a country. Oldest first,
 * entries without a known date last.
 */
export async function mirrorGaps(
  db: Db,
  options: {
    from: ListCode;
    to: ListCode[];
    program?: string | undefined;
    country?: string | undefined;
    now: Date;
  },
): Promise<GapRow[]> {
  const indexes = await listIndexes(db);
  const context = await mirrorContext(db, indexes, options.now);
  const source = indexes.get(options.from);
  if (!source) return [];
  const country = options.country?.trim().toLowerCase();
  const candidates = source.entries.filter(
    (entry) =>
      (!options.program || underProgram(options.from, entry.programs, options.program)) &&
      (!country ||
        [...countriesOf(entry), statedCountry(options.from, entry).country ?? ''].some((value) =>
          value.toLowerCase().includes(country),
        )),
  );
  const gaps: SdnEntry[] = [];
  for (const entry of candidates) {
    const mirrored = options.to.every((list) => {
      const index = indexes.get(list);
      return Boolean(index && counterpartIn(index, options.from, entry, list, context));
    });
    if (!mirrored) gaps.push(entry);
  }
  const dates = await listingDates(db, options.from, gaps);
  return gaps
    .map((entry) => {
      const date = dates.get(entry.uid) as ListingDate;
      return {
        list: options.from,
        id: displayId(entry, entry.uid),
        name: entry.name,
        listedOn: date.on,
        dateKind: date.kind,
        regimes: entry.programs,
      };
    })
    .sort(
      (a, b) => (a.listedOn ?? '9999').localeCompare(b.listedOn ?? '9999') || a.name.localeCompare(b.name),
    );
}

/** The countries of an entry's addresses: the last part of each ("..., Moscow, Russia"). */
function addressCountries(entry: SdnEntry): string[] {
  return entry.addresses.map((address) => address.split(',').pop()?.trim() ?? '').filter(Boolean);
}

/** The countries a list states for an entry: nationalities first, then addresses' countries. */
function countriesOf(entry: SdnEntry): string[] {
  return [...entry.nationalities, ...addressCountries(entry)].filter(Boolean);
}

/** On what the country an entry is counted under rests: always one the list states. */
export type CountryBasis = 'nationality' | 'address' | 'regime country' | 'none stated';

/**
 * The country an entry is counted under, and what the list says that makes it so: a nationality or
 * citizenship, else an address, else (Canada, whose list is ordered by country regulations: "Russia",
 * "Belarus") the country of the regulation the person was listed under, the country of conduct.
 * Thematic regimes (JVCFOR, "Extremist Settler Violence") name no country. Never guessed.
 */
export function statedCountry(
  list: ListCode,
  entry: SdnEntry,
): { country: string | null; basis: CountryBasis } {
  const nationality = entry.nationalities[0];
  if (nationality) return { country: nationality, basis: 'nationality' };
  const address = addressCountries(entry)[0];
  if (address) return { country: address, basis: 'address' };
  const regime = entry.programs[0];
  if (list === 'ca' && regime && CANADA_COUNTRY_REGIMES.has(regime))
    return { country: regime, basis: 'regime country' };
  return { country: null, basis: 'none stated' };
}

/** Canada's regulations named after a country (the others are thematic). */
const CANADA_COUNTRY_REGIMES = new Set([
  'Russia',
  'Ukraine',
  'Iran',
  'Belarus',
  'Syria',
  'Myanmar (Burma)',
  'Venezuela',
  'Zimbabwe',
  'Nicaragua',
  'Haiti',
  'Moldova',
  'Sudan',
  'China',
  'Sri Lanka',
  'Guatemala',
  'South Sudan',
  'Libya',
  'North Korea',
  'Mali',
]);

export type StatRow = { key: string; count: number };

/**
 * Designations counted by country, year or program on one list. The country is the one the list
 * states (`statedCountry`), never guessed: entries without one count as "no country stated".
 * Years are listing years by the best date kind there is; entries listed before the first import
 * count as "before <date>".
 */
export async function designationStats(
  db: Db,
  options: {
    list: ListCode;
    program?: string | undefined;
    by: 'country' | 'year' | 'program';
    /** Filled, when counting by country, with how many entries each kind of attribution placed. */
    bases?: Map<CountryBasis, number>;
  },
): Promise<StatRow[]> {
  const index = await currentListIndex(db, storedList(options.list));
  const entries = index.entries.filter(
    (entry) => !options.program || underProgram(options.list, entry.programs, options.program),
  );
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  if (options.by === 'year') {
    const dates = await listingDates(db, options.list, entries);
    for (const entry of entries) {
      add(listingYear(dates.get(entry.uid)));
    }
  } else if (options.by === 'program') {
    for (const entry of entries) for (const regime of entry.programs) add(regime);
  } else {
    for (const entry of entries) {
      const { country, basis } = statedCountry(options.list, entry);
      add(country ?? 'no country stated');
      options.bases?.set(basis, (options.bases.get(basis) ?? 0) + 1);
    }
  }
  return [...counts]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** "1 y 8 m", "3 m", "12 d": a lag as advocates quote it. */
export function describeLag(days: number): string {
  if (days < 31) return `${days} d`;
  const months = Math.round(days / 30.44);
  const years = Math.floor(months / 12);
  return years ? `${years} y${months % 12 ? ` ${months % 12} m` : ''}` : `${months} m`;
}

export type MirrorShare = {
  list: ListCode;
  /** Year of the first list's listing ("before 2021-12-10" when only that is known). */
  year: string;
  total: number;
  mirrored: number;
  medianLagDays: number | null;
};

/**
 * Per jurisdiction and year of the first government's listing: how many of its human-rights and
 * anti-corruption designations the others have listed too, and the median lag where both dates
 * are known.
 */
export async function mirrorShares(db: Db, from: ListCode, now: Date): Promise<MirrorShare[]> {
  const indexes = await listIndexes(db);
  const context = await mirrorContext(db, indexes, now);
  const source = indexes.get(from);
  if (!source) return [];
  const followed = source.entries.filter((entry) =>
    entry.programs.some((regime) => themesOf(from, regime).length > 0),
  );
  const dates = await listingDates(db, from, followed);
  const others = [...indexes.keys()].filter((list) => list !== from);
  const shares = new Map<string, MirrorShare & { lags: number[] }>();
  for (const list of others) {
    const index = indexes.get(list) as MatchIndex;
    const found: Array<{ entry: SdnEntry; mirror: SdnEntry }> = [];
    for (const entry of followed) {
      const mirror = counterpartIn(index, from, entry, list, context)?.entry;
      if (mirror) found.push({ entry, mirror });
    }
    const theirDates = await listingDates(
      db,
      list,
      found.map((item) => item.mirror),
    );
    const mirrored = new Map(found.map((item) => [item.entry.uid, item.mirror]));
    for (const entry of followed) {
      const date = dates.get(entry.uid) as ListingDate;
      const year = listingYear(date);
      const key = `${list}|${year}`;
      const share = shares.get(key) ?? { list, year, total: 0, mirrored: 0, medianLagDays: null, lags: [] };
      share.total++;
      const mirror = mirrored.get(entry.uid);
      if (mirror) {
        share.mirrored++;
        const theirs = theirDates.get(mirror.uid)?.on;
        if (date.on && theirs) share.lags.push(daysBetween(date.on, theirs));
      }
      shares.set(key, share);
    }
  }
  return [...shares.values()]
    .map(({ lags, ...share }) => {
      const sorted = [...lags].sort((a, b) => a - b);
      return {
        ...share,
        medianLagDays: sorted.length ? (sorted[Math.floor(sorted.length / 2)] as number) : null,
      };
    })
    .sort((a, b) => a.list.localeCompare(b.list) || a.year.localeCompare(b.year));
}

/** Named groups of countries the coalition keeps (e.g. "US security partners"), from a JSON file. */
export type CountryGroups = Record<string, string[]>;

/** "by nationality 120, address 30, regime country 50, none stated 10": how the countries were read. */
export function describeBases(bases: Map<CountryBasis, number>): string {
  return `country read from: ${[...bases].map(([basis, count]) => `${basis} ${count}`).join(', ')}`;
}

/** How many of the counted designations fall in each group (countries compared case-insensitively). */
export function countryGroupShares(
  rows: StatRow[],
  groups: CountryGroups,
): Array<{ name: string; count: number }> {
  return Object.entries(groups).map(([name, countries]) => {
    const members = new Set(countries.map((country) => country.toLowerCase()));
    return {
      name,
      count: rows
        .filter((row) => members.has(row.key.toLowerCase()))
        .reduce((sum, row) => sum + row.count, 0),
    };
  });
}

/**
 * For entries a list has just added, who listed them first: lines for the digest such as
 * "Mirrored: UK designated ZHU HAILUN (US since 2020-07-31, 1 y 8 m later)".
 */
export async function mirroredLines(
  db: Db,
  list: ListCode,
  added: SdnEntry[],
  publishedOn: string,
  now: Date,
): Promise<string[]> {
  if (added.length === 0 || (await importedLists(db)).length < 2) return [];
  const indexes = await listIndexes(db);
  const context = await mirrorContext(db, indexes, now);
  const lines: string[] = [];
  for (const entry of added) {
    let first: { list: ListCode; date: ListingDate } | undefined;
    for (const [other, index] of indexes) {
      if (other === list) continue;
      const mirror = counterpartIn(index, list, entry, other, context)?.entry;
      if (!mirror) continue;
      const date = (await listingDates(db, other, [mirror])).get(mirror.uid) as ListingDate;
      if (!first || (date.on && (!first.date.on || date.on < first.date.on))) first = { list: other, date };
    }
    if (!first) continue;
    const since = first.date.on
      ? `since ${first.date.on}${first.date.kind === 'first-seen' ? ' (first seen)' : ''}, ${describeLag(Math.max(0, daysBetween(first.date.on, entry.listedOn ?? publishedOn)))} later`
      : `since before ${first.date.before ?? 'our first import'}`;
    lines.push(
      `Mirrored: ${jurisdictionLabel(list)} designated ${entry.name} (${jurisdictionLabel(first.list)} ${since}).`,
    );
  }
  return lines;
}

/** The chart of mirror shares, as /mirror chart and the CLI draw it. */
export function mirrorChart(shares: MirrorShare[]) {
  return {
    title: 'US human-rights and anti-corruption designations mirrored',
    subtitle:
      'Per government and year of US listing: share mirrored (a full bar is 100%), mirrored/total, median lag',
    max: 100,
    rows: shares.map((share) => ({
      label: `${jurisdictionLabel(share.list)} · US ${share.year}`,
      value: share.total ? Math.round((share.mirrored / share.total) * 100) : 0,
      note: `${share.total ? Math.round((share.mirrored / share.total) * 100) : 0}% · ${share.mirrored}/${share.total}${share.medianLagDays !== null ? ` · ${describeLag(share.medianLagDays)}` : ''}`,
    })),
  };
}
