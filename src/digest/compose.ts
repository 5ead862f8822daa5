import { isoDate } from '../domain/dates.ts';
import { shownName } from '../domain/targets.ts';
import type { Db } from '../domain/tx.ts';
import { jurisdictionLabel, type ListCode, storedList } from '../sanctions/lists.ts';
import { mirroredLines } from '../sanctions/mirror.ts';
import { isFollowed } from '../sanctions/regimes.ts';
import type { EntryDiff, SdnEntry } from '../sanctions/sdn.ts';
import { displayId } from '../sanctions/store.ts';
import { storedAmendment, storedChangeDetails, storedChangeEntry } from '../sanctions/stored.ts';

export const OFAC_ENTRY_URL = 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=';
/** Entries per message: well inside Slack's 50 blocks and Discord's 4096-character embeds. */
const ENTRIES_PER_MESSAGE = 12;
/** Messages a channel gets for one list and day at most; past them, the whole digest is attached. */
export const MAX_MESSAGES = 3;

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
  /**
   * Additions listed as linked to this entry ("Linked To:" in OFAC's remarks), folded into its line:
   * how many, of what type, from which countries. `name` is then the person or company they are
   * linked to, which is itself among the additions when `head` is true.
   */
  linked?: {
    count: number;
    noun: string;
    head: boolean;
    countries: Array<{ country: string; count: number }>;
  };
};

export type DigestSection = { heading: string; entries: DigestEntry[] };

export type DigestView = {
  kind: 'digest';
  title: string;
  part: number;
  parts: number;
  sections: DigestSection[];
  footer: string[];
  /** The whole digest as a Markdown file, on the last message when the messages were cut at MAX_MESSAGES. */
  attachment?: { filename: string; content: string };
};

type Change = {
  uid: number;
  kind: 'added' | 'removed' | 'amended';
  programs: string[];
  details: unknown;
  publicationId: number;
};

/** Additions linked to one person or company are folded into one line from this many on. */
const LINKED_GROUP_MIN = 3;
const COUNTRIES_SHOWN = 5;

/** The first person or company an entry is listed as linked to, as OFAC's remarks name it. */
export function linkedTo(entry: Pick<SdnEntry, 'remarks'>): string | null {
  const match = /Linked To: (.+?)(?:\.?;|\.\s|\.?$)/.exec(entry.remarks ?? '');
  return match?.[1]?.trim() || null;
}

/** The country an entry line shows: its nationality, else its address's country. */
function statedCountry(entry: SdnEntry): string | null {
  return entry.nationalities[0] ?? entry.addresses[0]?.split(', ').pop() ?? null;
}

/**
 * Where a linked entry is from, for the count by country: its stated country, else the country
 * OFAC's remarks give its registration or tax number ("V.A.T. Number 104219987 (Serbia)"), which is
 * all SDN.CSV says of most companies.
 */
function countryOf(entry: SdnEntry): string | null {
  return (
    statedCountry(entry) ??
    /(?:Number|No\.)\s[^;()]*\(([^)]+)\)/.exec(entry.remarks ?? '')?.[1]?.trim() ??
    null
  );
}

function nounFor(types: Set<string>, count: number): string {
  const one = count === 1;
  if (types.size === 1 && types.has('entity')) return one ? 'entity' : 'entities';
  if (types.size === 1 && types.has('vessel')) return one ? 'vessel' : 'vessels';
  if (types.size === 1 && types.has('individual')) return one ? 'individual' : 'individuals';
  if (types.size === 1 && types.has('aircraft')) return 'aircraft';
  return one ? 'entry' : 'entries';
}

/**
 * A section's additions with every group of LINKED_GROUP_MIN or more linked to the same person or
 * company folded into one line, where that person's own entry would stand (or the first linked
 * one's): a day of 45 companies linked to one man reads as one line, with their countries counted.
 */
function foldLinked(changes: Change[], list: ListCode): DigestEntry[] {
  const entries = changes.map((change) => {
    const entry = storedChangeEntry(change.details);
    const to = linkedTo(entry);
    return { change, entry, to, key: to?.toUpperCase() };
  });
  const groups = new Map<string, typeof entries>();
  for (const item of entries) {
    if (item.key) groups.set(item.key, [...(groups.get(item.key) ?? []), item]);
  }
  const folded = new Map([...groups].filter(([, members]) => members.length >= LINKED_GROUP_MIN));
  const headOf = new Map<string, (typeof entries)[number]>();
  for (const item of entries) {
    const key = item.entry.name.toUpperCase();
    if (folded.has(key) && !headOf.has(key)) headOf.set(key, item);
  }
  const out: DigestEntry[] = [];
  const placed = new Set<string>();
  for (const item of entries) {
    const own = item.entry.name.toUpperCase();
    const key =
      folded.has(own) && headOf.get(own) === item ? own : item.key && folded.has(item.key) ? item.key : null;
    if (key === null) {
      out.push(toEntry(item.change, list));
      continue;
    }
    if (placed.has(key)) continue;
    placed.add(key);
    const members = folded.get(key) ?? [];
    const head = headOf.get(key);
    const counts = new Map<string, number>();
    for (const member of members) {
      const country = countryOf(member.entry) ?? '';
      counts.set(country, (counts.get(country) ?? 0) + 1);
    }
    // Without the head among the additions, the first linked entry (this one) holds the group's place.
    const base = toEntry((head ?? item).change, list);
    out.push({
      ...base,
      ...(head
        ? {}
        : {
            name: item.to ?? key,
            type: '',
            nationality: null,
            dateOfBirth: null,
            remark: null,
          }),
      linked: {
        count: members.length,
        noun: nounFor(new Set(members.map((member) => member.entry.type)), members.length),
        head: head !== undefined,
        countries: [...counts]
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
          .map(([country, count]) => ({ country, count })),
      },
    });
  }
  return out;
}

// A coordinator reads these, not our field names.
const FIELD_WORDS: Record<string, string> = {
  type: 'type',
  title: 'title',
  nationalities: 'nationality',
  datesOfBirth: 'date of birth',
  placesOfBirth: 'place of birth',
  addresses: 'address',
  documents: 'identity documents',
  remarks: 'remarks',
  listedOn: 'listing date',
};

/** What an amendment changed, in a digest line's words. */
export function describeAmendmentText(amendment: EntryDiff): string {
  return [
    ...(amendment.programsAdded?.length ? [`program added: ${amendment.programsAdded.join(', ')}`] : []),
    ...(amendment.programsRemoved?.length
      ? [`program removed: ${amendment.programsRemoved.join(', ')}`]
      : []),
    ...(amendment.aliasesAdded?.length ? [`new alias: ${amendment.aliasesAdded.join('; ')}`] : []),
    ...(amendment.aliasesRemoved?.length ? [`alias removed: ${amendment.aliasesRemoved.join('; ')}`] : []),
    ...(amendment.names ? ['name changed'] : []),
    ...(amendment.otherFields?.length
      ? [`updated: ${amendment.otherFields.map((field) => FIELD_WORDS[field] ?? field).join(', ')}`]
      : []),
  ].join('; ');
}

function toEntry(change: Change, list: ListCode): DigestEntry {
  const details = storedChangeDetails(change.details);
  const entry = details.entry;
  const amendment = details.changes;
  const describe = amendment ? describeAmendmentText(amendment) : null;
  const remark = entry.title ?? entry.remarks;
  return {
    uid: entry.uid,
    label: `${list === 'us' ? 'OFAC' : jurisdictionLabel(list)} entry ${displayId(entry, entry.uid)}`,
    name: entry.name,
    type: entry.type,
    programs: entry.programs,
    nationality: statedCountry(entry),
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
  options: {
    programs: string[];
    /** The last publication already digested; null for every applied one. */
    after: number | null;
    lists?: readonly ListCode[];
    now: Date;
  },
): Promise<ComposedDigest> {
  const { programs, after: afterPublicationId, lists = ['us'], now } = options;
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
    if (own.length) views.push(...(await composeListDigest(db, list, programs, own, now)));
  }
  return { publications: ids, lastPublicationId, views };
}

async function composeListDigest(
  db: Db,
  list: ListCode,
  programs: string[],
  publications: Array<{ id: number; publishedOn: Date }>,
  now: Date,
): Promise<DigestView[]> {
  const ids = publications.map((publication) => publication.id);
  const changes: Change[] = await db.sanctionsChange.findMany({
    where: { publicationId: { in: ids } },
    orderBy: [{ publicationId: 'asc' }, { uid: 'asc' }],
  });
  const followed = new Set(programs);
  const touches = (change: Change) => {
    const amendment = storedAmendment(change.details);
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
      entries: foldLinked(under, list),
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
    now,
  );
  const footer = [
    ...mirrored,
    `${mine.length} change${mine.length === 1 ? '' : 's'} in ${programs.join(', ')}${others ? `; ${others} other change${others === 1 ? '' : 's'} in programs not followed` : ''}.`,
    ...matches.map(
      (match) =>
        `Possible ${match.kind} of coalition target #${match.targetId} ${shownName(match.target)}: ${match.target.confidential ? 'details in its case thread' : `${who} entry ${match.entryId ?? match.uid} ${match.listedName}, score ${match.score.toFixed(2)}`} (${match.status === 'confirmed' ? 'confirmed' : 'to confirm in its case thread'}).`,
    ),
  ];
  const filename = `${who.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-digest-${dates[dates.length - 1]}.md`;
  return split(title, sections, footer, filename);
}

/** The whole digest as Markdown: every line, for the file attached when the messages were cut. */
function markdownOf(title: string, sections: DigestSection[], footer: string[]): string {
  return [
    `# ${title}`,
    ...sections.flatMap((section) => [
      '',
      `## ${section.heading}`,
      '',
      ...section.entries.map((entry) => `- ${digestLine(entry)} (${entry.link ?? entry.label})`),
    ]),
    '',
    ...footer,
    '',
  ].join('\n');
}

function split(title: string, sections: DigestSection[], footer: string[], filename: string): DigestView[] {
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
  // A busy day reads in at most MAX_MESSAGES messages; the rest, and all of it, is in the file.
  const shown = pages.slice(0, MAX_MESSAGES);
  const total = sections.reduce((sum, section) => sum + section.entries.length, 0);
  const kept = shown.flat().reduce((sum, section) => sum + section.entries.length, 0);
  const cut = total - kept;
  return shown.map((page, index) => {
    const last = index === shown.length - 1;
    return {
      kind: 'digest',
      title: shown.length > 1 ? `${title} (${index + 1}/${shown.length})` : title,
      part: index + 1,
      parts: shown.length,
      sections: page,
      footer: last
        ? [
            ...(cut > 0
              ? [
                  `${cut} more line${cut === 1 ? '' : 's'} of this digest are in the attached file ${filename}.`,
                ]
              : []),
            ...footer,
          ]
        : [],
      ...(last && cut > 0 ? { attachment: { filename, content: markdownOf(title, sections, footer) } } : {}),
    };
  });
}

/** One line per entry, shared by every renderer before its own escaping. */
export function digestLine(entry: DigestEntry): string {
  if (entry.linked) {
    const { count, noun, head, countries } = entry.linked;
    const known = countries.filter((item) => item.country !== '');
    const unknown = count - known.reduce((sum, item) => sum + item.count, 0);
    const shown = known.slice(0, COUNTRIES_SHOWN).map((item) => `${item.country} ${item.count}`);
    const more = known.length - shown.length;
    const parts = [
      ...shown,
      ...(more > 0 ? [`${more} more countr${more === 1 ? 'y' : 'ies'}`] : []),
      ...(unknown > 0 && known.length > 0 ? [`no country given ${unknown}`] : []),
    ];
    const where = parts.length ? ` (${parts.join(', ')})` : '';
    return head
      ? `${digestLine({ ...entry, linked: undefined, remark: null })} and ${count} linked ${noun}${where}`
      : `${count} ${noun} linked to ${entry.name}${where}`;
  }
  const facts = [
    entry.type,
    entry.nationality,
    entry.dateOfBirth ? `born ${entry.dateOfBirth}` : null,
    entry.programs.join(', '),
  ].filter(Boolean);
  return `${entry.name} (${facts.join('; ')})${entry.change ? ` — ${entry.change}` : ''}${entry.remark && !entry.change ? ` — ${entry.remark}` : ''}`;
}
