import type { ListCode } from '../lists.ts';
import type { SdnEntry } from '../sdn.ts';

/** A list read from a file, every entry in the neutral model, keyed by the list's stable key. */
export type ListSnapshot = {
  list: ListCode;
  entries: Map<string, SdnEntry>;
  sha256: string;
  recordCount: number;
  source: string;
  /** The date the file says it was published or generated, when it says one. */
  publishedOn: string | null;
};

export function blankEntry(fields: Pick<SdnEntry, 'name' | 'type'> & Partial<SdnEntry>): SdnEntry {
  return {
    uid: 0,
    lastName: null,
    firstName: null,
    programs: [],
    title: null,
    aliases: [],
    nationalities: [],
    datesOfBirth: [],
    placesOfBirth: [],
    addresses: [],
    documents: [],
    remarks: null,
    listedOn: null,
    ...fields,
  };
}

/** DD/MM/YYYY or DD-MM-YYYY (UK files) as YYYY-MM-DD; anything else is no date. */
export function dayMonthYear(text: string): string | null {
  const match = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/.exec(text.trim());
  if (!match) return null;
  const [, day, month, year] = match as unknown as [string, string, string, string];
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/** The earliest of some YYYY-MM-DD dates (null when none). */
export function earliest(dates: Array<string | null | undefined>): string | null {
  const valid = dates.filter((date): date is string => Boolean(date && /^\d{4}-\d\d-\d\d$/.test(date)));
  return valid.length ? (valid.sort()[0] as string) : null;
}

/** Adds another name an entry goes by, unless it is its name or already one of its aliases. */
export function addAlias(entry: SdnEntry, name: string, strength: 'strong' | 'weak' = 'strong'): void {
  if (name && name !== entry.name && !entry.aliases.some((alias) => alias.name === name))
    entry.aliases.push({ name, strength });
}

export function addUnique(list: string[], value: string | null | undefined): void {
  const clean = value?.replace(/\s+/g, ' ').trim();
  if (clean && !list.includes(clean)) list.push(clean);
}

const SCRIPTS: Array<[string, RegExp]> = [
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Han', /\p{Script=Han}/u],
  ['Hangul', /\p{Script=Hangul}/u],
  ['Japanese', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Myanmar', /\p{Script=Myanmar}/u],
  ['Georgian', /\p{Script=Georgian}/u],
  ['Armenian', /\p{Script=Armenian}/u],
];

/** The script of a name written in something other than Latin letters; undefined for Latin. */
export function scriptOf(name: string): string | undefined {
  return SCRIPTS.find(([, pattern]) => pattern.test(name))?.[0];
}

/** Marks each alias in a non-Latin script with its script, as the neutral model records them. */
export function withScripts(entry: SdnEntry): SdnEntry {
  if (!entry.aliases.some((alias) => scriptOf(alias.name))) return entry;
  return {
    ...entry,
    aliases: entry.aliases.map((alias) => {
      const script = scriptOf(alias.name);
      return script ? { ...alias, script } : alias;
    }),
  };
}
