import { isoDate } from '../domain/dates.ts';
import { shownName } from '../domain/targets.ts';
import type { Db } from '../domain/tx.ts';
import type { SdnEntry } from '../sanctions/sdn.ts';

export const OFAC_ENTRY_URL = 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=';
/** Entries per message: well inside Slack's 50 blocks and Discord's 4096-character embeds. */
const ENTRIES_PER_MESSAGE = 12;

export type DigestEntry = {
  uid: number;
  name: string;
  type: string;
  programs: string[];
  nationality: string | null;
  dateOfBirth: string | null;
  remark: string | null;
  link: string;
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

function toEntry(change: Change): DigestEntry {
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
    name: entry.name,
    type: entry.type,
    programs: entry.programs,
    nationality: entry.nationalities[0] ?? entry.addresses[0]?.split(', ').pop() ?? null,
    dateOfBirth: entry.datesOfBirth[0] ?? null,
    remark: remark ? (remark.length > 140 ? `${remark.slice(0, 139)}…` : remark) : null,
    link: `${OFAC_ENTRY_URL}${entry.uid}`,
    change: describe || null,
  };
}

export type ComposedDigest = {
  publications: number[];
  lastPublicationId: number | null;
  views: DigestView[];
};

/**
 * The digest of every applied publication after `afterPublicationId`, for `programs`: additions
 * grouped by program, delistings, amendments, and a count of changes elsewhere. No followed change,
 * no views. Split into messages at entry boundaries, never inside one.
 */
export async function composeDigest(
  db: Db,
  programs: string[],
  afterPublicationId: number | null,
): Promise<ComposedDigest> {
  const publications = await db.sanctionsPublication.findMany({
    where: { status: 'applied', ...(afterPublicationId ? { id: { gt: afterPublicationId } } : {}) },
    orderBy: { id: 'asc' },
  });
  const ids = publications.map((publication) => publication.id);
  const lastPublicationId = ids[ids.length - 1] ?? afterPublicationId;
  if (ids.length === 0) return { publications: [], lastPublicationId, views: [] };
  const changes = (await db.sanctionsChange.findMany({
    where: { publicationId: { in: ids } },
    orderBy: [{ publicationId: 'asc' }, { uid: 'asc' }],
  })) as unknown as Change[];
  const followed = new Set(programs);
  const touches = (change: Change) => {
    const amendment = (change.details as { changes?: { programsRemoved?: string[] } }).changes;
    return [...change.programs, ...(amendment?.programsRemoved ?? [])].some((program) =>
      followed.has(program),
    );
  };
  const mine = changes.filter(touches);
  const others = changes.length - mine.length;
  if (mine.length === 0) return { publications: ids, lastPublicationId, views: [] };
  const sections: DigestSection[] = [];
  for (const program of programs) {
    const added = mine.filter(
      (change) => change.kind === 'added' && change.programs.find((tag) => followed.has(tag)) === program,
    );
    if (added.length)
      sections.push({ heading: `New designations under ${program}`, entries: added.map(toEntry) });
  }
  const removed = mine.filter((change) => change.kind === 'removed');
  if (removed.length) sections.push({ heading: 'Delisted', entries: removed.map(toEntry) });
  const amended = mine.filter((change) => change.kind === 'amended');
  if (amended.length) sections.push({ heading: 'Amended', entries: amended.map(toEntry) });
  const dates = publications.map((publication) => isoDate(publication.publishedOn));
  const title = `OFAC sanctions digest: ${dates.length > 1 ? `${dates[0]} to ${dates[dates.length - 1]}` : dates[0]}`;
  const matches = await db.sanctionsMatch.findMany({
    where: { publicationId: { in: ids }, status: { in: ['pending', 'confirmed'] } },
    include: { target: { select: { primaryName: true, confidential: true, codename: true } } },
    orderBy: { id: 'asc' },
  });
  const footer = [
    `${mine.length} change${mine.length === 1 ? '' : 's'} in ${programs.join(', ')}${others ? `; ${others} other change${others === 1 ? '' : 's'} in programs not followed` : ''}.`,
    ...matches.map(
      (match) =>
        `Possible ${match.kind} of coalition target #${match.targetId} ${shownName(match.target)}: ${match.target.confidential ? 'details in its case thread' : `OFAC entry ${match.uid} ${match.listedName}, score ${match.score.toFixed(2)}`} (${match.status === 'confirmed' ? 'confirmed' : 'to confirm in its case thread'}).`,
    ),
  ];
  return { publications: ids, lastPublicationId, views: split(title, sections, footer) };
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
