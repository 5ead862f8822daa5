import { hash } from 'node:crypto';

/** One SDN entry, normalized from whichever format it came in. */
export type SdnEntry = {
  uid: number;
  type: 'individual' | 'entity' | 'vessel' | 'aircraft';
  name: string;
  lastName: string | null;
  firstName: string | null;
  programs: string[];
  title: string | null;
  /** `script`: the writing system of a name not in Latin letters (Cyrillic, Arabic, Han, ...). */
  aliases: Array<{ name: string; strength: 'strong' | 'weak'; script?: string }>;
  nationalities: string[];
  datesOfBirth: string[];
  placesOfBirth: string[];
  addresses: string[];
  documents: string[];
  remarks: string | null;
  /**
   * Lists other than OFAC's: the key that links the entry from one publication to the next (a UK
   * Group ID or Unique ID, an EU logical id, a DFAT reference, a Canadian regime + name), and the id
   * the list itself shows, when they differ. `uid` is then our own number for the key.
   */
  key?: string;
  listId?: string;
  /** The date the list says the entry was listed (designated), where it says one. */
  listedOn?: string | null;
};

export function sdnTypeOf(raw: string): SdnEntry['type'] {
  const value = raw.trim().toLowerCase();
  return value === 'individual' || value === 'vessel' || value === 'aircraft' ? value : 'entity';
}

/** SDN.CSV joins programs as `A] [B`. */
export function splitPrograms(raw: string): string[] {
  return raw
    .split(/\]\s*\[/)
    .map((program) => program.replace(/[[\]]/g, '').trim())
    .filter(Boolean);
}

// One pattern per part instead of four: the remarks of a day's 11k entries are read on every import.
const FACT =
  /^(?:(DOB)|(POB)|(nationality|citizen)|(Passport|National ID No\.|Cedula No\.|Identification Number|Tax ID No\.|SSN|C\.U\.R\.P\.))\s+(.+)$/i;
const WEAK_ALIAS = /a\.k\.a\.\s+'([^']+)'/gi;
const HAS_WEAK_ALIAS = /a\.k\.a\./i;

/** Facts that the CSV keeps only in the remarks: "DOB 10 Nov 1964; POB Fuzhou, China; nationality Hong Kong; ...". */
export function remarkFacts(remarks: string) {
  const facts = {
    datesOfBirth: [] as string[],
    placesOfBirth: [] as string[],
    nationalities: [] as string[],
    documents: [] as string[],
    weakAliases: [] as string[],
  };
  if (!remarks) return facts;
  for (const part of remarks.replace(/\.$/, '').split(/;\s*/)) {
    const fact = FACT.exec(part);
    if (fact) {
      const value = (fact[5] as string).trim();
      if (fact[1]) facts.datesOfBirth.push(value);
      else if (fact[2]) facts.placesOfBirth.push(value);
      else if (fact[3]) facts.nationalities.push(value);
      else facts.documents.push(part.trim());
    }
    // matchAll copies its pattern each call: test first, most parts name no alias.
    if (!HAS_WEAK_ALIAS.test(part)) continue;
    for (const match of part.matchAll(WEAK_ALIAS)) {
      const alias = match[1]?.replace(/\s+/g, ' ').trim();
      if (alias) facts.weakAliases.push(alias);
    }
  }
  return facts;
}

export function splitName(
  name: string,
  type: SdnEntry['type'],
): { lastName: string | null; firstName: string | null } {
  if (type !== 'individual') return { lastName: null, firstName: null };
  const comma = name.indexOf(',');
  return comma < 0
    ? { lastName: name, firstName: null }
    : { lastName: name.slice(0, comma).trim(), firstName: name.slice(comma + 1).trim() };
}

const byAlias = (a: SdnEntry['aliases'][number], b: SdnEntry['aliases'][number]) =>
  a.name.localeCompare(b.name) || a.strength.localeCompare(b.strength);
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The items in order: the same array when already sorted (most entries' one or two aliases). */
function sorted<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  for (let index = 1; index < items.length; index++) {
    if (compare(items[index - 1] as T, items[index] as T) > 0) return [...items].sort(compare);
  }
  return items;
}

/** A stable fingerprint of an entry's content: equal entries, equal hashes, whatever the field order. */
export function entryHash(entry: SdnEntry): string {
  const aliases = sorted(entry.aliases, byAlias);
  const programs = sorted(entry.programs, byCodeUnits);
  const addresses = sorted(entry.addresses, byCodeUnits);
  // The id a list shows can move (Canada renumbers schedules) while the entry stays the same. An
  // entry without one and already in order is its own canonical form: no copy (a day's list hashes
  // 11k entries before every import).
  const canonical =
    entry.listId === undefined &&
    aliases === entry.aliases &&
    programs === entry.programs &&
    addresses === entry.addresses
      ? JSON.stringify(entry)
      : JSON.stringify({ ...entry, listId: undefined, aliases, programs, addresses });
  return hash('sha256', canonical).slice(0, 32);
}

export type EntryDiff = {
  names?: { from: string; to: string };
  aliasesAdded?: string[];
  aliasesRemoved?: string[];
  programsAdded?: string[];
  programsRemoved?: string[];
  otherFields?: string[];
};

export function describeAmendment(before: SdnEntry, after: SdnEntry): EntryDiff {
  const diff: EntryDiff = {};
  if (before.name !== after.name) diff.names = { from: before.name, to: after.name };
  const added = (from: string[], to: string[]) => to.filter((item) => !from.includes(item));
  const beforeAliases = before.aliases.map((alias) => alias.name);
  const afterAliases = after.aliases.map((alias) => alias.name);
  if (added(beforeAliases, afterAliases).length) diff.aliasesAdded = added(beforeAliases, afterAliases);
  if (added(afterAliases, beforeAliases).length) diff.aliasesRemoved = added(afterAliases, beforeAliases);
  if (added(before.programs, after.programs).length)
    diff.programsAdded = added(before.programs, after.programs);
  if (added(after.programs, before.programs).length)
    diff.programsRemoved = added(after.programs, before.programs);
  const fields = (
    [
      'type',
      'title',
      'nationalities',
      'datesOfBirth',
      'placesOfBirth',
      'addresses',
      'documents',
      'remarks',
      'listedOn',
    ] as const
  ).filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
  if (fields.length) diff.otherFields = [...fields];
  return diff;
}
