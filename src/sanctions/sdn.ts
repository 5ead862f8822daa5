import { createHash } from 'node:crypto';

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

/** Facts that the CSV keeps only in the remarks: "DOB 10 Nov 1964; POB Fuzhou, China; nationality Hong Kong; ...". */
export function remarkFacts(remarks: string) {
  const parts = remarks.replace(/\.$/, '').split(/;\s*/);
  const facts = {
    datesOfBirth: [] as string[],
    placesOfBirth: [] as string[],
    nationalities: [] as string[],
    documents: [] as string[],
    weakAliases: [] as string[],
  };
  for (const part of parts) {
    const dob = /^DOB\s+(.+)$/i.exec(part);
    const pob = /^POB\s+(.+)$/i.exec(part);
    const nationality = /^(?:nationality|citizen)\s+(.+)$/i.exec(part);
    const document =
      /^(Passport|National ID No\.|Cedula No\.|Identification Number|Tax ID No\.|SSN|C\.U\.R\.P\.)\s+(.+)$/i.exec(
        part,
      );
    if (dob?.[1]) facts.datesOfBirth.push(dob[1].trim());
    else if (pob?.[1]) facts.placesOfBirth.push(pob[1].trim());
    else if (nationality?.[1]) facts.nationalities.push(nationality[1].trim());
    else if (document) facts.documents.push(part.trim());
    for (const match of part.matchAll(/a\.k\.a\.\s+'([^']+)'/gi)) {
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

/** A stable fingerprint of an entry's content: equal entries, equal hashes, whatever the field order. */
export function entryHash(entry: SdnEntry): string {
  const canonical = JSON.stringify({
    ...entry,
    // The id a list shows can move (Canada renumbers schedules) while the entry stays the same.
    listId: undefined,
    aliases: [...entry.aliases].sort(
      (a, b) => a.name.localeCompare(b.name) || a.strength.localeCompare(b.strength),
    ),
    programs: [...entry.programs].sort(),
    addresses: [...entry.addresses].sort(),
  });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
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
    ] as const
  ).filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
  if (fields.length) diff.otherFields = [...fields];
  return diff;
}
