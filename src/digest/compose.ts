import { isoDate } from '../domain/dates.ts';
import { shownName } from '../domain/targets.ts';
import type { Db } from '../domain/tx.ts';
import { jurisdictionLabel, type ListCode, storedList } from '../sanctions/lists.ts';
import { mirroredLines } from '../sanctions/mirror.ts';
import { isFollowed } from '../sanctions/regimes.ts';
import type { SdnEntry } from '../sanctions/sdn.ts';
import { displayId } from '../sanctions/store.ts';
import { storedChangeEntry } from '../sanctions/stored.ts';

export const OFAC_ENTRY_URL = 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=';
/** Entries per message: well inside Slack's 50 blocks and Discord's 4096-character embeds. */
const ENTRIES_PER_MESSAGE = 12;

export type DigestEntry = {
  uid: number;
  /** "OFAC entry 33674", "UK entry GHR0078": whose entry, by the id that list shows. */
  label: string;
  name: string;
  type: string;
  programs: string[];
  nationality: string | null;
  dateOfBirth: string | null;
  remark: string | null;
  /** The entry's public page, where the list has one (OFAC's search); otherwise none. */
  link: string | null;
  change: string | null;
};

export type DigestSection = { heading: string; entries: DigestEntry[] };

export type DigestView = {
  kind: 'digest';
  title: string;
  part: number;
  parts: number;
  sections: DigestSection[];
  footer: string[];
};

type Change = {
  uid: number;
  kind: 'added' | 'removed' | 'amended';
  programs: string[];
  details: unknown;
  publicationId: number;
};

function toEntry(change: Change, list: ListCode): DigestEntry {
  const details = change.details as {
    entry: SdnEntry;
    changes?: {
      programsAdded?: string[];
      programsRemoved?: string[];
      aliasesAdded?: string[];
      names?: unknown;
      otherFields?: string[];
    };
  };
  const entry = details.entry;
  const amendment = details.changes;
  const describe = amendment
    ? [
        ...(amendment.programsAdded?.length ? [`program added: ${amendment.programsAdded.join(', ')}`] : []),
        ...(amendment.programsRemoved?.length
          ? [`program removed: ${amendment.programsRemoved.join(', ')}`]
          : []),
        ...(amendment.aliasesAdded?.length ? [`new alias: ${amendment.aliasesAdded.join('; ')}`] : []),
        ...(amendment.names ? ['name changed'] : []),
        ...(amendment.otherFields?.length ? [`updated: ${amendment.otherFields.join(', ')}`] : []),
      ].join('; ')
    : null;
  const remark = entry.title ?? entry.remarks;
  return {
    uid: entry.uid,
    label: `${list === 'us' ? 'OFAC' : jurisdictionLabel(list)} entry ${displayId(entry, entry.uid)}`,
    name: entry.name,
    type: entry.type,
    programs: entry.programs,
    nationality: entry.nationalities[0] ?? entry.addresses[0]?.split(', ').pop() ?? null,
    dateOfBirth: entry.datesOfBirth[0] ?? null,
    remark: remark ? (remark.length > 140 ? `${remark.slice(0, 139)}…` : remark) : null,
    link: list === 'us' ? `${OFAC_ENTRY_URL}${entry.uid}` : null,
    change: describe || null,
  };
}

export type ComposedDigest = {
  publications: number[];
  lastPublicationId: number | null;
  views: DigestView[];
};

/**
 * The digest of every applied publication after `afterPublicationId` on each of `lists`, for
 * `programs` (program tags, regime names, or the themes `human-rights` and `anti-corruption`, which
 * cover the Magnitsky-style regimes of every list): additions grouped by program, delistings,
 * amendments, and a count of changes elsewhere. One digest per list; no followed change, no views.
 * Split into messages at entry boundaries, never inside one.
 */
export async function composeDigest(
  db: Db,
  programs: string[],
  afterPublicationId: number | null,
  lists: readonly ListCode[] = ['us'],
): Promise<ComposedDigest> {
  const publications = await db.sanctionsPublication.findMany({
    where: {
      status: 'applied',
      list: { in: lists.map(storedList) },
      ...(afterPublicationId ? { id: { gt: afterPublicationId } } : {}),
    },
    orderBy: { id: 'asc' },
  });
  const ids = publications.map((publication) => publication.id);
  const lastPublicationId = ids[ids.length - 1] ?? afterPublicationId;
  if (ids.length === 0) return { publications: [], lastPublicationId, views: [] };
  const views: DigestView[] = [];
  for (const list of lists) {
    const own = publications.filter((publication) => publication.list === storedList(list));
    if (own.length) views.push(...(await composeListDigest(db, list, programs, own)));
  }
  return { publications: ids, lastPublicationId, views };
}

async function composeListDigest(
  db: Db,
  list: ListCode,
  programs: string[],
  publications: Array<{ id: number; publishedOn: Date }>,
): Promise<DigestView[]> {
  const ids = publications.map((publication) => publication.id);
  const changes: Change[] = await db.sanctionsChange.findMany({
    where: { publicationId: { in: ids } },
    orderBy: [{ publicationId: 'asc' }, { uid: 'asc' }],
  });
  const followed = new Set(programs);
  const touches = (change: Change) => {
    const amendment = (change.details as { changes?: { programsRemoved?: string[] } }).changes;
    return isFollowed(list, [...change.programs, ...(amendment?.programsRemoved ?? [])], followed);
  };
  const mine = changes.filter(touches);
  const others = changes.length - mine.length;
  if (mine.length === 0) return [];
  const sections: DigestSection[] = [];
  // Under the first followed regime of each addition, in the order they come.
  const regimeOf = (change: Change) =>
    change.programs.find((regime) => isFollowed(list, [regime], followed)) ?? change.programs[0] ?? '';
  const added = mine.filter((change) => change.kind === 'added');
  for (const regime of [...new Set(added.map(regimeOf))]) {
    const under = added.filter((change) => regimeOf(change) === regime);
    sections.push({
      heading: `New designations under ${regime}`,
      entries: under.map((change) => toEntry(change, list)),
    });
  }
  const removed = mine.filter((change) => change.kind === 'removed');
  if (removed.length)
    sections.push({ heading: 'Delisted', entries: removed.map((change) => toEntry(change, list)) });
  const amended = mine.filter((change) => change.kind === 'amended');
  if (amended.length)
    sections.push({ heading: 'Amended', entries: amended.map((change) => toEntry(change, list)) });
  const dates = publications.map((publication) => isoDate(publication.publishedOn));
  const who = list === 'us' ? 'OFAC' : jurisdictionLabel(list);
  const title = `${who} sanctions digest: ${dates.length > 1 ? `${dates[0]} to ${dates[dates.length - 1]}` : dates[0]}`;
  const matches = await db.sanctionsMatch.findMany({
    where: { publicationId: { in: ids }, status: { in: ['pending', 'confirmed'] } },
    include: { target: { select: { primaryName: true, confidential: true, codename: true } } },
    orderBy: { id: 'asc' },
  });
  // Whether another government listed them first: the question the coalition's advocacy turns on.
  const mirrored = await mirroredLines(
    db,
    list,
    added.map((change) => storedChangeEntry(change.details)),
    dates[dates.length - 1] as string,
  );
  const footer = [
    ...mirrored,
    `${mine.length} change${mine.length === 1 ? '' : 's'} in ${programs.join(', ')}${others ? `; ${others} other change${others === 1 ? '' : 's'} in programs not followed` : ''}.`,
    ...matches.map(
      (match) =>
        `Possible ${match.kind} of coalition target #${match.targetId} ${shownName(match.target)}: ${match.target.confidential ? 'details in its case thread' : `${who} entry ${match.entryId ?? match.uid} ${match.listedName}, score ${match.score.toFixed(2)}`} (${match.status === 'confirmed' ? 'confirmed' : 'to confirm in its case thread'}).`,
    ),
  ];
  return split(title, sections, footer);
}

function split(title: string, sections: DigestSection[], footer: string[]): DigestView[] {
  const pages: DigestSection[][] = [[]];
  let count = 0;
  for (const section of sections) {
    for (const entry of section.entries) {
      if (count === ENTRIES_PER_MESSAGE) {
        pages.push([]);
        count = 0;
      }
      const page = pages[pages.length - 1] as DigestSection[];
      const last = page[page.length - 1];
      if (last && last.heading === section.heading) last.entries.push(entry);
      else page.push({ heading: section.heading, entries: [entry] });
      count++;
    }
  }
  return pages.map((page, index) => ({
    kind: 'digest',
    title: pages.length > 1 ? `${title} (${index + 1}/${pages.length})` : title,
    part: index + 1,
    parts: pages.length,
    sections: page,
    footer: index === pages.length - 1 ? footer : [],
  }));
}

/** One line per entry, shared by every renderer before its own escaping. */
export function digestLine(entry: DigestEntry): string {
  const facts = [
    entry.type,
    entry.nationality,
    entry.dateOfBirth ? `born ${entry.dateOfBirth}` : null,
    entry.programs.join(', '),
  ].filter(Boolean);
  return `${entry.name} (${facts.join('; ')})${entry.change ? ` — ${entry.change}` : ''}${entry.remark && !entry.change ? ` — ${entry.remark}` : ''}`;
}
