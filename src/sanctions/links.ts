import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Db, Tx } from '../domain/tx.ts';
import { codeOfStored, LIST_CODES, type ListCode, storedList } from './lists.ts';
import { birthDates } from './match/facts.ts';
import { currentListIndex } from './match/list.ts';
import { buildIndex, type MatchIndex, nameSimilarity, queryTokens, searchIndex } from './match/matcher.ts';
import type { SdnEntry } from './sdn.ts';

/**
 * Cross-list links, kept in `mirror_link`: for an entry on one list, the entries on the others the
 * matcher takes for the same person or entity (names and aliases, type, and never one born in
 * another year), with the score and its evidence. They are recomputed only for the entries a
 * publication changed since the links were last brought up to date (`mirror_resolution`), not from
 * scratch; a list never resolved is resolved whole, once.
 */

type Side = { list: ListCode; uid: number };

/** A pair of entries on two lists in a fixed order (list A before list B), as the tables keep it. */
export function orderedPair(
  a: Side,
  b: Side,
): { listA: ListCode; uidA: number; listB: ListCode; uidB: number } {
  const [first, second] = a.list <= b.list ? [a, b] : [b, a];
  return { listA: first.list, uidA: first.uid, listB: second.list, uidB: second.uid };
}

/** A pair of entries on two lists, in a fixed order: `ca:5123~us:29220`. */
export function pairKey(a: Side, b: Side): string {
  const pair = orderedPair(a, b);
  return `${pair.listA}:${pair.uidA}~${pair.listB}:${pair.uidB}`;
}

/** The names an entry is looked for with: its own and its aliases, not the weak ones (OFAC's
 * low-quality a.k.a.s, nicknames), which are searched for but not with. */
function searchNames(entry: Pick<SdnEntry, 'name' | 'aliases'>): string[] {
  return [
    entry.name,
    ...entry.aliases.filter((alias) => alias.strength !== 'weak').map((alias) => alias.name),
  ];
}

/** The year of a list's free-form date of birth ("01/1958", "1955-11", "Approximately 1955-1958"). */
export function birthYear(entry: Pick<SdnEntry, 'datesOfBirth'>): string | null {
  for (const text of entry.datesOfBirth) {
    const year = /\b(1[89]\d\d|20\d\d)\b/.exec(text)?.[1];
    if (year) return year;
  }
  return null;
}

const births = new WeakMap<object, Array<[number, number]>>();

/** The years an entry may have been born in: each of its dates of birth (OFAC's "alt. DOB" too). */
function birthYears(entry: SdnEntry): Array<[number, number]> {
  let years = births.get(entry);
  if (!years) {
    years = birthDates(entry).map((date): [number, number] => [date.from, date.to]);
    births.set(entry, years);
  }
  return years;
}

/**
 * Two entries both with dates of birth, none of them in a year the other's could be: namesakes,
 * however alike their names. One listing "1965" and another "1964 or 1965" can be one person.
 */
function bornApart(a: SdnEntry, b: SdnEntry): boolean {
  return birthYears(a).length > 0 && birthYears(b).length > 0 && sharedBirthYear(a, b) === undefined;
}

/** A year both entries' dates of birth allow, if any. */
function sharedBirthYear(a: SdnEntry, b: SdnEntry): number | undefined {
  for (const [from, to] of birthYears(a))
    for (const [otherFrom, otherTo] of birthYears(b))
      if (from <= otherTo && otherFrom <= to) return Math.max(from, otherFrom);
  return undefined;
}

/** The current entries of every list that has been imported, indexed for matching. */
export async function listIndexes(db: Db, except?: ListCode): Promise<Map<ListCode, MatchIndex>> {
  const indexes = new Map<ListCode, MatchIndex>();
  for (const code of LIST_CODES) {
    if (code === except) continue;
    const index = await currentListIndex(db, storedList(code));
    if (index.entries.length) indexes.set(code, index);
  }
  return indexes;
}

const PAGE = 5_000;

type Slim = Pick<SdnEntry, 'uid' | 'type' | 'name' | 'aliases' | 'datesOfBirth' | 'documents' | 'remarks'>;

/**
 * A list's current entries with only what linking reads (names, aliases, type, dates of birth,
 * documents, and the dates of birth OFAC's remarks give), one JSON text each: resolving whole lists
 * holds every list at once, and the rest of an entry would add to what it holds and to what the
 * embedded database has to hand over. Parsed where they are searched (`slimEntries`).
 */
async function linkingTexts(db: Db, code: ListCode): Promise<string[]> {
  const texts: string[] = [];
  let after = 0n;
  for (;;) {
    const rows = await db.$queryRaw<Array<{ id: bigint; entry: string }>>`
      SELECT id, jsonb_build_object(
        'uid', data->'uid', 'type', data->'type', 'name', data->'name', 'aliases', data->'aliases',
        'datesOfBirth', data->'datesOfBirth', 'documents', data->'documents',
        'remarks', (SELECT string_agg(found[1], '; ')
                    FROM regexp_matches(data->>'remarks', '(\\yDOB\\s+[^;]+)', 'g') AS found)
      )::text AS entry
      FROM sanctions_entry_version
      WHERE list = ${storedList(code)} AND valid_to_id IS NULL AND id > ${after}
      ORDER BY id LIMIT ${PAGE}`;
    for (const row of rows) texts.push(row.entry);
    if (rows.length < PAGE) break;
    after = (rows[rows.length - 1] as { id: bigint }).id;
  }
  return texts;
}

/** Entries from `linkingTexts` joined into one JSON array. */
export function slimEntries(json: string): SdnEntry[] {
  return (JSON.parse(json) as Slim[]).map((slim) => ({
    ...slim,
    aliases: slim.aliases ?? [],
    datesOfBirth: slim.datesOfBirth ?? [],
    documents: slim.documents ?? [],
    lastName: null,
    firstName: null,
    programs: NONE,
    title: null,
    nationalities: NONE,
    placesOfBirth: NONE,
    addresses: NONE,
    remarks: slim.remarks ?? null,
  }));
}

const NONE: string[] = [];

const byUid = new WeakMap<MatchIndex, Map<number, SdnEntry>>();

/** An index's entry by its uid, without scanning the list each time. */
export function entryOf(index: MatchIndex, uid: number): SdnEntry | undefined {
  let entries = byUid.get(index);
  if (!entries) {
    entries = new Map(index.entries.map((entry) => [entry.uid, entry]));
    byUid.set(index, entries);
  }
  return entries.get(uid);
}

export type Link = { uid: number; score: number; evidence: string[] };

/**
 * The matches of one entry on another list that are links: at the matching threshold, and not born
 * in another year (a namesake). Best first.
 */
export function linksOf(index: MatchIndex, entry: SdnEntry): Link[] {
  // Searched with its year of birth when it has one: of several, none is weighed against the others'.
  const years = new Set(birthYears(entry).map(([from, to]) => (from === to ? String(from) : '')));
  const year = years.size === 1 ? [...years][0] || null : null;
  const links: Link[] = [];
  const [name, ...aliases] = searchNames(entry);
  for (const candidate of searchIndex(
    index,
    {
      name: name as string,
      aliases,
      dob: year,
      type: entry.type === 'individual' ? 'individual' : 'entity',
    },
    // Namesakes are dropped after the search: they must not crowd out the best three.
    { limit: 8 },
  )) {
    const found = entryOf(index, candidate.uid);
    if (!found || bornApart(entry, found)) continue;
    links.push({ uid: candidate.uid, score: candidate.score, evidence: candidate.evidence });
    if (links.length === 3) break;
  }
  return links;
}

/**
 * An index's entries by a key each gives (a name's words in order, a document number), built once
 * per index and kept while it lives.
 */
function uidsByKey(
  cache: WeakMap<MatchIndex, Map<string, number[]>>,
  index: MatchIndex,
  keys: (file: (key: string, uid: number) => void) => void,
): Map<string, number[]> {
  let byKey = cache.get(index);
  if (!byKey) {
    const filed = new Map<string, number[]>();
    keys((key, uid) => {
      const holders = filed.get(key);
      if (!holders) filed.set(key, [uid]);
      else if (!holders.includes(uid)) holders.push(uid);
    });
    byKey = filed;
    cache.set(index, byKey);
  }
  return byKey;
}

const exactByIndex = new WeakMap<MatchIndex, Map<string, number[]>>();

/** An index's names by their words in sorted order ("hailunzhu"): the same name, however written. */
function exactNames(index: MatchIndex): Map<string, number[]> {
  return uidsByKey(exactByIndex, index, (file) => {
    for (const name of index.names) file(name.tokens.joined, (index.entries[name.entry] as SdnEntry).uid);
  });
}

/**
 * Links to the entries listed under the very same name (or alias) and type, not born in another
 * year: no fuzzy search is needed for them, which is most of the cost of resolving whole lists.
 * Undefined when there are none, and the entry is searched for.
 */
function sameNameLinks(exact: Map<string, number[]>, index: MatchIndex, entry: SdnEntry): Link[] | undefined {
  const individual = entry.type === 'individual';
  const links: Link[] = [];
  for (const written of searchNames(entry)) {
    const key = queryTokens(written).joined;
    for (const uid of (key && exact.get(key)) || []) {
      const found = entryOf(index, uid);
      if (!found || links.some((link) => link.uid === uid) || (found.type === 'individual') !== individual)
        continue;
      if (bornApart(entry, found)) continue;
      const year = sharedBirthYear(entry, found);
      links.push({
        uid,
        score: 1,
        evidence: [
          `the same name: "${written}" ~ "${found.name}"`,
          ...(year ? [`born the same year (${year})`] : []),
        ],
      });
    }
  }
  return links.length ? links : undefined;
}

/**
 * The document numbers an entry gives (passports, national ids, registration and IMO numbers), as
 * their digits: lists write one number as "D 0001203" and "D0001203", "523-33-8386" and
 * "523338386". Numbers of fewer than six digits identify too little to count.
 */
export function identifiersOf(entry: Pick<SdnEntry, 'documents'>): Map<string, string> {
  const found = new Map<string, string>();
  for (const document of entry.documents) {
    // "Passport (1) 223611 (2) C00146605 (Egypt)": numbered parts apart, countries and notes out.
    const parts = document
      .replace(/\(\s*\d{1,2}\s*\)/g, ';')
      .replace(/\([^)]*\)/g, ' ')
      .split(/[;,]/);
    for (const part of parts)
      for (const number of part.match(/\d[\d\s/.-]*\d/g) ?? []) {
        const digits = number.replace(/\D/g, '');
        if (digits.length >= 6 && !found.has(digits)) found.set(digits, document.trim());
      }
  }
  return found;
}

const identifiersByIndex = new WeakMap<MatchIndex, Map<string, number[]>>();

/** An index's entries by the document numbers they give. */
function identifierIndex(index: MatchIndex): Map<string, number[]> {
  return uidsByKey(identifiersByIndex, index, (file) => {
    for (const entry of index.entries)
      for (const digits of identifiersOf(entry).keys()) file(digits, entry.uid);
  });
}

/** A shared document number short of a name match still wants names at least this alike. */
const IDENTIFIED_NAME_FLOOR = 0.6;

/**
 * The links of an entry on another list, by name (`linksOf`), and by a document number both lists
 * give: that raises a name link to at least 0.97, and links names too far apart to match alone
 * (a transliteration the matcher misses) at 0.95, unless the two are namesakes born apart or of
 * another type.
 */
function linksAcross(index: MatchIndex, exact: Map<string, number[]>, entry: SdnEntry): Link[] {
  const links = sameNameLinks(exact, index, entry) ?? linksOf(index, entry);
  const numbers = identifiersOf(entry);
  if (numbers.size === 0) return links;
  const byNumber = identifierIndex(index);
  for (const [digits, document] of numbers) {
    for (const uid of byNumber.get(digits) ?? []) {
      const found = entryOf(index, uid);
      if (
        !found ||
        bornApart(entry, found) ||
        (found.type === 'individual') !== (entry.type === 'individual')
      )
        continue;
      const evidence = `the same document number ${digits}: "${document}" ~ "${identifiersOf(found).get(digits)}"`;
      const linked = links.find((link) => link.uid === uid);
      if (linked) {
        if (!linked.evidence.includes(evidence)) linked.evidence = [...linked.evidence, evidence];
        linked.score = Math.max(linked.score, 0.97);
        continue;
      }
      const names = Math.max(
        ...searchNames(entry).flatMap((name) =>
          searchNames(found).map((other) =>
            nameSimilarity(queryTokens(name), queryTokens(other), index.weight),
          ),
        ),
      );
      if (names < IDENTIFIED_NAME_FLOOR) continue;
      links.push({
        uid,
        score: 0.95,
        evidence: [`names alike: "${entry.name}" ~ "${found.name}" (${names.toFixed(2)})`, evidence],
      });
    }
  }
  return links;
}

/** How many names (and aliases) each list gives: of two lists, the one with fewer is searched for. */
async function nameCounts(db: Db): Promise<Map<ListCode, number>> {
  const rows = await db.$queryRaw<Array<{ list: string; names: number }>>`
    SELECT list, sum(1 + jsonb_array_length(coalesce(data->'aliases', '[]'::jsonb)))::int AS names
    FROM sanctions_entry_version WHERE valid_to_id IS NULL GROUP BY list`;
  return new Map(rows.map((row) => [codeOfStored(row.list), row.names]));
}

export type LinkRow = ReturnType<typeof orderedPair> & { score: number; evidence: string[] };

/** Entries of `from` (every current one, or those numbered) to be searched in `target`'s index. */
export type LinkSearch = { target: ListCode; from: ListCode; uids: number[] | 'all' };

/**
 * The links the searches find, one target list's index at a time (built from `entriesOf` unless
 * given): holding every list's index at once would take several times the memory.
 */
export function resolveLinks(
  searches: LinkSearch[],
  entriesOf: (code: ListCode) => SdnEntry[],
  indexOf: (code: ListCode) => MatchIndex = (code) => buildIndex(entriesOf(code)),
): LinkRow[] {
  const rows = new Map<string, LinkRow>();
  for (const target of new Set(searches.map((search) => search.target))) {
    const index = indexOf(target);
    const exact = exactNames(index);
    for (const { from, uids } of searches.filter((search) => search.target === target)) {
      const wanted = uids === 'all' ? undefined : new Set(uids);
      for (const entry of entriesOf(from)) {
        if (wanted && !wanted.has(entry.uid)) continue;
        for (const link of linksAcross(index, exact, entry)) keepBest(rows, from, entry.uid, target, link);
      }
    }
  }
  return [...rows.values()];
}

/** Keeps a pair's link unless one as good is kept already (a pair may be searched from both sides). */
function keepBest(
  rows: Map<string, LinkRow>,
  from: ListCode,
  uid: number,
  target: ListCode,
  link: Link,
): void {
  const [mine, theirs] = [
    { list: from, uid },
    { list: target, uid: link.uid },
  ];
  const key = pairKey(mine, theirs);
  const previous = rows.get(key);
  if (previous && previous.score >= link.score) return;
  rows.set(key, { ...orderedPair(mine, theirs), score: link.score, evidence: link.evidence });
}

/** Fewer entries to search than this are searched in the caller's thread: a worker costs more. */
const WORKER_FROM = 1_000;
/**
 * The worker's heap: whole-list resolution holds every list's entries and one index, about 110 MB
 * live. The cap makes V8 collect rather than grow: the process peaked 255-290 MB above its idle
 * size with 192 or 256 MB here, and up to 320 MB uncapped; 256 collects less often, so it is faster.
 */
const WORKER_HEAP_MB = 256;

/**
 * Runs the searches off the caller's thread, so the bot keeps answering Slack and Discord within
 * their few seconds while a first resolution of every list takes several: in one worker thread,
 * not more, since each would hold its own index. Small searches (a publication's changes) stay in
 * this thread, and so does everything when the worker fails (its heap cap, say): slower, not lost.
 */
async function resolveOffThread(searches: LinkSearch[], texts: Map<ListCode, string[]>): Promise<LinkRow[]> {
  const count = (search: LinkSearch) =>
    search.uids === 'all' ? (texts.get(search.from)?.length ?? 0) : search.uids.length;
  const searched = searches.reduce((sum, search) => sum + count(search), 0);
  const lists: Partial<Record<ListCode, string>> = {};
  for (const [code, entries] of texts) lists[code] = `[${entries.join(',')}]`;
  texts.clear();
  if (searched >= WORKER_FROM) {
    try {
      return await inWorker({ searches, lists });
    } catch (error) {
      process.emitWarning(`cross-list links resolved in the main thread: ${String(error)}`, {
        code: 'COALITION_LINK_WORKER',
      });
    }
  }
  return resolveLinks(searches, parsedLists(lists));
}

/** Each list's entries, parsed the first time they are asked for. */
export function parsedLists(lists: Partial<Record<ListCode, string>>): (code: ListCode) => SdnEntry[] {
  const parsed = new Map<ListCode, SdnEntry[]>();
  return (code) => {
    let entries = parsed.get(code);
    if (!entries) {
      entries = slimEntries(lists[code] ?? '[]');
      parsed.set(code, entries);
    }
    return entries;
  };
}

export type LinkWorkerData = { searches: LinkSearch[]; lists: Partial<Record<ListCode, string>> };

const WORKER = new URL(
  `./links-worker${fileURLToPath(import.meta.url).endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

/** tsx's ESM API (`require.resolve` finds its CommonJS twin beside it). */
const TSX_API = pathToFileURL(
  createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs'),
).href;

function inWorker(data: LinkWorkerData): Promise<LinkRow[]> {
  const options = { workerData: data, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } };
  return new Promise((resolve, reject) => {
    const worker = WORKER.pathname.endsWith('.ts')
      ? // From the TypeScript sources (tsx, the tests): the worker registers tsx itself, whatever
        // loader its parent runs under.
        new Worker(
          `import(${JSON.stringify(TSX_API)})
            .then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER.href)}); });`,
          { ...options, eval: true, execArgv: [] },
        )
      : new Worker(WORKER, options);
    worker.once('message', (rows: LinkRow[]) => resolve(rows));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`link resolution stopped with exit code ${code}`));
    });
  });
}

/** What changed per list since its links were resolved: every current entry when never resolved. */
async function changedSince(db: Db): Promise<Map<ListCode, { latest: number; uids: Set<number> | 'all' }>> {
  const resolved = new Map(
    (await db.mirrorResolution.findMany()).map((row) => [row.list as ListCode, row.publicationId]),
  );
  const changed = new Map<ListCode, { latest: number; uids: Set<number> | 'all' }>();
  for (const code of LIST_CODES) {
    const latest = await db.sanctionsPublication.findFirst({
      where: { list: storedList(code), status: 'applied' },
      orderBy: { id: 'desc' },
      select: { id: true },
    });
    if (!latest) continue;
    const through = resolved.get(code);
    if (through === latest.id) continue;
    if (through === undefined) {
      changed.set(code, { latest: latest.id, uids: 'all' });
      continue;
    }
    const rows = await db.sanctionsEntryVersion.findMany({
      where: {
        list: storedList(code),
        OR: [{ validFromId: { gt: through } }, { validToId: { gt: through } }],
      },
      select: { uid: true },
      distinct: ['uid'],
    });
    changed.set(code, { latest: latest.id, uids: new Set(rows.map((row) => row.uid)) });
  }
  return changed;
}

/** The lists with at least one applied publication: without two, there is nothing to link. */
export async function importedLists(db: Db): Promise<ListCode[]> {
  const rows = await db.sanctionsPublication.findMany({
    where: { status: 'applied' },
    distinct: ['list'],
    select: { list: true },
  });
  const stored = new Set(rows.map((row) => row.list));
  return LIST_CODES.filter((code) => stored.has(storedList(code)));
}

/** Records that a list's links are current with its publication `latest`. */
async function markResolved(db: Db | Tx, list: ListCode, latest: number, now: Date): Promise<void> {
  await db.mirrorResolution.upsert({
    where: { list },
    create: { list, publicationId: latest, resolvedAt: now },
    update: { publicationId: latest, resolvedAt: now },
  });
}

export type Resolution = { lists: ListCode[]; entries: number; links: number };

/**
 * Brings the stored links up to date with every list's latest publication: the entries changed
 * since (added, amended, removed) lose their links and are matched again against every other list.
 * Safe to call often: when nothing changed it costs a few small queries.
 */
export async function refreshLinks(
  db: Db,
  /** Every imported list's index, when the caller has them already. */
  options: { indexes?: Map<ListCode, MatchIndex>; now: Date },
): Promise<Resolution> {
  const changed = await changedSince(db);
  if (changed.size === 0) return { lists: [], entries: 0, links: 0 };
  const { now } = options;
  if ((await importedLists(db)).length < 2) {
    // One list alone links to nothing: only remember how far it has been seen.
    for (const [list, { latest }] of changed) await markResolved(db, list, latest, now);
    return { lists: [...changed.keys()], entries: 0, links: 0 };
  }
  const lists = await importedLists(db);
  const sizes = await nameCounts(db);
  // What is searched where: each changed list's changed entries in every other list's index; two
  // lists resolved whole against each other once, from the side with fewer names.
  const searches: LinkSearch[] = [];
  for (const [from, { uids }] of changed) {
    if (!lists.includes(from)) continue;
    for (const target of lists) {
      if (target === from) continue;
      const [mine, theirs] = [sizes.get(from) ?? 0, sizes.get(target) ?? 0];
      if (
        uids === 'all' &&
        changed.get(target)?.uids === 'all' &&
        (mine > theirs || (mine === theirs && from > target))
      )
        continue;
      searches.push({ target, from, uids: uids === 'all' ? 'all' : [...uids] });
    }
  }
  let found: LinkRow[];
  let entries = 0;
  const indexes = options.indexes;
  if (indexes) {
    const entriesOf = (code: ListCode) => indexes.get(code)?.entries ?? [];
    found = resolveLinks(searches, entriesOf, (code) => indexes.get(code) ?? buildIndex([]));
    for (const [list, { uids }] of changed)
      entries +=
        uids === 'all' ? entriesOf(list).length : entriesOf(list).filter((e) => uids.has(e.uid)).length;
  } else {
    const texts = new Map<ListCode, string[]>();
    for (const code of lists) texts.set(code, await linkingTexts(db, code));
    for (const [list, { uids }] of changed)
      entries +=
        uids === 'all'
          ? (texts.get(list)?.length ?? 0)
          : await db.sanctionsEntryVersion.count({
              where: { list: storedList(list), validToId: null, uid: { in: [...uids] } },
            });
    found = await resolveOffThread(searches, texts);
  }
  await db.$transaction(
    async (tx) => {
      // One writer at a time; a second one finds the work done.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':mirror.links'))`;
      for (const [list, { latest, uids }] of changed) {
        const row = await tx.mirrorResolution.findUnique({ where: { list } });
        if (row?.publicationId === latest) return;
        if (uids === 'all') {
          await tx.mirrorLink.deleteMany({ where: { OR: [{ listA: list }, { listB: list }] } });
        } else if (uids.size) {
          const changedUids = [...uids];
          await tx.mirrorLink.deleteMany({
            where: {
              OR: [
                { listA: list, uidA: { in: changedUids } },
                { listB: list, uidB: { in: changedUids } },
              ],
            },
          });
        }
      }
      for (let start = 0; start < found.length; start += 5_000) {
        const part = found.slice(start, start + 5_000);
        // One statement per part, its columns as arrays: thousands of links in a few round trips.
        await tx.$executeRaw`
          INSERT INTO mirror_link (list_a, uid_a, list_b, uid_b, score, evidence)
          SELECT * FROM unnest(
            ${part.map((row) => row.listA)}::text[], ${part.map((row) => row.uidA)}::int[],
            ${part.map((row) => row.listB)}::text[], ${part.map((row) => row.uidB)}::int[],
            ${part.map((row) => row.score)}::float8[],
            ${part.map((row) => JSON.stringify(row.evidence))}::text[]::jsonb[])
          ON CONFLICT DO NOTHING`;
      }
      for (const [list, { latest }] of changed) await markResolved(tx, list, latest, now);
    },
    { timeout: 120_000 },
  );
  return { lists: [...changed.keys()], entries, links: found.length };
}

/** Every stored link, by `list:uid>other`, best first. */
export async function loadLinks(db: Db): Promise<Map<string, Link[]>> {
  const links = new Map<string, Link[]>();
  const add = (key: string, link: Link) => {
    const found = links.get(key);
    if (found) found.push(link);
    else links.set(key, [link]);
  };
  for (const row of await db.mirrorLink.findMany()) {
    const evidence = Array.isArray(row.evidence) ? row.evidence.map(String) : [];
    add(`${row.listA}:${row.uidA}>${row.listB}`, { uid: row.uidB, score: row.score, evidence });
    add(`${row.listB}:${row.uidB}>${row.listA}`, { uid: row.uidA, score: row.score, evidence });
  }
  for (const found of links.values()) found.sort((a, b) => b.score - a.score || a.uid - b.uid);
  return links;
}
