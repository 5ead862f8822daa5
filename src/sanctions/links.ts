import type { Db, Tx } from '../domain/tx.ts';
import { LIST_CODES, type ListCode, storedList } from './lists.ts';
import { currentListIndex } from './match/list.ts';
import { type MatchIndex, searchIndex } from './match/matcher.ts';
import { tokenize } from './match/normalize.ts';
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
export function linksOf(
  index: MatchIndex,
  entry: Pick<SdnEntry, 'name' | 'aliases' | 'type' | 'datesOfBirth'>,
): Link[] {
  const year = birthYear(entry);
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
    { limit: 3 },
  )) {
    const found = entryOf(index, candidate.uid);
    if (!found) continue;
    const otherYear = birthYear(found);
    if (year && otherYear && year !== otherYear) continue;
    links.push({ uid: candidate.uid, score: candidate.score, evidence: candidate.evidence });
  }
  return links;
}

const exactByIndex = new WeakMap<MatchIndex, Map<string, number[]>>();

/** An index's names by their words in sorted order ("hailunzhu"): the same name, however written. */
function exactNames(index: MatchIndex): Map<string, number[]> {
  let names = exactByIndex.get(index);
  if (!names) {
    names = new Map();
    for (const name of index.names) {
      const uid = (index.entries[name.entry] as SdnEntry).uid;
      const found = names.get(name.tokens.joined);
      if (!found) names.set(name.tokens.joined, [uid]);
      else if (!found.includes(uid)) found.push(uid);
    }
    exactByIndex.set(index, names);
  }
  return names;
}

/**
 * Links to the entries listed under the very same name (or alias) and type, not born in another
 * year: no fuzzy search is needed for them, which is most of the cost of resolving whole lists.
 * Undefined when there are none, and the entry is searched for.
 */
function sameNameLinks(exact: Map<string, number[]>, index: MatchIndex, entry: SdnEntry): Link[] | undefined {
  const year = birthYear(entry);
  const individual = entry.type === 'individual';
  const links: Link[] = [];
  for (const written of searchNames(entry)) {
    const key = tokenize(written).joined;
    for (const uid of (key && exact.get(key)) || []) {
      const found = entryOf(index, uid);
      if (!found || links.some((link) => link.uid === uid) || (found.type === 'individual') !== individual)
        continue;
      const otherYear = birthYear(found);
      if (year && otherYear && year !== otherYear) continue;
      links.push({
        uid,
        score: 1,
        evidence: [
          `the same name: "${written}" ~ "${found.name}"`,
          ...(year && otherYear ? [`born the same year (${year})`] : []),
        ],
      });
    }
  }
  return links.length ? links : undefined;
}

/** Of two lists, the one whose entries are searched in the other's index: the one with fewer names. */
function searchedFrom(index: MatchIndex, list: ListCode, otherIndex: MatchIndex, other: ListCode): boolean {
  return (
    index.names.length < otherIndex.names.length ||
    (index.names.length === otherIndex.names.length && list < other)
  );
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
  options: { indexes?: Map<ListCode, MatchIndex>; now?: Date } = {},
): Promise<Resolution> {
  const changed = await changedSince(db);
  if (changed.size === 0) return { lists: [], entries: 0, links: 0 };
  const now = options.now ?? new Date();
  if ((await importedLists(db)).length < 2) {
    // One list alone links to nothing: only remember how far it has been seen.
    for (const [list, { latest }] of changed) await markResolved(db, list, latest, now);
    return { lists: [...changed.keys()], entries: 0, links: 0 };
  }
  const indexes = options.indexes ?? (await listIndexes(db));
  const rows = new Map<string, ReturnType<typeof orderedPair> & { score: number; evidence: string[] }>();
  let entries = 0;
  for (const [list, { uids }] of changed) {
    const index = indexes.get(list);
    if (!index) continue;
    const current = uids === 'all' ? index.entries : index.entries.filter((entry) => uids.has(entry.uid));
    entries += current.length;
    for (const [other, otherIndex] of indexes) {
      if (other === list) continue;
      // Two lists resolved whole against each other are compared once, from the shorter side.
      if (
        uids === 'all' &&
        changed.get(other)?.uids === 'all' &&
        !searchedFrom(index, list, otherIndex, other)
      )
        continue;
      const exact = exactNames(otherIndex);
      for (const entry of current) {
        for (const link of sameNameLinks(exact, otherIndex, entry) ?? linksOf(otherIndex, entry)) {
          const [mine, theirs] = [
            { list, uid: entry.uid },
            { list: other, uid: link.uid },
          ];
          const key = pairKey(mine, theirs);
          const previous = rows.get(key);
          if (previous && previous.score >= link.score) continue;
          rows.set(key, { ...orderedPair(mine, theirs), score: link.score, evidence: link.evidence });
        }
      }
    }
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
      const all = [...rows.values()];
      for (let start = 0; start < all.length; start += 2_000)
        await tx.mirrorLink.createMany({ data: all.slice(start, start + 2_000), skipDuplicates: true });
      for (const [list, { latest }] of changed) await markResolved(tx, list, latest, now);
    },
    { timeout: 120_000 },
  );
  return { lists: [...changed.keys()], entries, links: rows.size };
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
