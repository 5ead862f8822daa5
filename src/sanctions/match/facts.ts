import type { SdnEntry } from '../sdn.ts';
import { toAscii } from './normalize.ts';

/** A date of birth as OFAC writes them: "10 Nov 1964", "Nov 1964", "1955", "circa 1960", "1955 to 1957". */
export type BirthDate = { from: number; to: number; month?: number; day?: number; circa: boolean };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export function parseBirthDate(text: string): BirthDate | undefined {
  const value = text.trim().toLowerCase();
  const circa = /circa|approx/.test(value);
  const full = /^(?:circa\s+)?(\d{1,2})\s+([a-z]{3})[a-z]*\.?\s+(\d{4})$/.exec(value);
  if (full) {
    const month = MONTHS.indexOf(full[2] as string) + 1;
    const year = Number(full[3]);
    return { from: year, to: year, ...(month ? { month } : {}), day: Number(full[1]), circa };
  }
  const iso = /^(\d{4})-(\d\d)(?:-(\d\d))?$/.exec(value);
  if (iso) {
    const year = Number(iso[1]);
    return {
      from: year,
      to: year,
      month: Number(iso[2]),
      ...(iso[3] ? { day: Number(iso[3]) } : {}),
      circa: false,
    };
  }
  const years = [...value.matchAll(/\b(1[89]\d\d|20\d\d)\b/g)].map((match) => Number(match[1]));
  if (years.length === 0) return undefined;
  const monthOnly = /^(?:circa\s+)?([a-z]{3})[a-z]*\.?\s+\d{4}$/.exec(value);
  const month = monthOnly ? MONTHS.indexOf(monthOnly[1] as string) + 1 : 0;
  return {
    from: Math.min(...years),
    to: Math.max(...years),
    ...(month ? { month } : {}),
    circa,
  };
}

/** Every date of birth of an entry, the "alt. DOB" ones in the remarks included. */
export function birthDates(entry: SdnEntry): BirthDate[] {
  const texts = new Set(entry.datesOfBirth);
  for (const match of (entry.remarks ?? '').matchAll(/\bDOB\s+([^;]+)/g)) {
    if (match[1]) texts.add(match[1].replace(/\.$/, ''));
  }
  return [...texts].map(parseBirthDate).filter((date): date is BirthDate => date !== undefined);
}

/** How a given date of birth relates to the listed ones. */
export function compareBirthDates(
  given: BirthDate,
  listed: BirthDate[],
): 'match' | 'compatible' | 'conflict' | 'unknown' {
  if (listed.length === 0) return 'unknown';
  let compatible = false;
  for (const date of listed) {
    const slack = date.circa ? 2 : 0;
    if (given.to < date.from - slack || given.from > date.to + slack) continue;
    const exactYear = given.from === given.to && date.from === date.to && !date.circa;
    const sameDay =
      given.month !== undefined && date.month !== undefined
        ? given.month === date.month &&
          (given.day === undefined || date.day === undefined || given.day === date.day)
        : undefined;
    if (sameDay === false) continue;
    if (exactYear && (sameDay === true || given.month === undefined || date.month === undefined))
      return 'match';
    compatible = true;
  }
  return compatible ? 'compatible' : 'conflict';
}

/** Countries an entry is tied to: nationality, citizenship, place of birth, addresses (normalized). */
export function countriesOf(entry: SdnEntry): Set<string> {
  const out = new Set<string>();
  const add = (text: string | undefined) => {
    const country = text?.split(',').pop()?.trim();
    if (country) out.add(normalizeCountry(country));
  };
  for (const nationality of entry.nationalities) add(nationality);
  for (const place of entry.placesOfBirth) add(place);
  for (const address of entry.addresses) add(address);
  for (const match of (entry.remarks ?? '').matchAll(/\b(?:citizen|nationality)\s+([^;.]+)/gi)) add(match[1]);
  return out;
}

const COUNTRY_ALIASES: Record<string, string> = {
  'russian federation': 'russia',
  ussr: 'russia',
  'korea north': 'north korea',
  'korea democratic peoples republic of': 'north korea',
  dprk: 'north korea',
  'korea south': 'south korea',
  'korea republic of': 'south korea',
  prc: 'china',
  'peoples republic of china': 'china',
  'iran islamic republic of': 'iran',
  burma: 'myanmar',
  'united states of america': 'united states',
  usa: 'united states',
  us: 'united states',
  uk: 'united kingdom',
  'great britain': 'united kingdom',
  'syrian arab republic': 'syria',
  'congo democratic republic of the': 'democratic republic of the congo',
  drc: 'democratic republic of the congo',
  uae: 'united arab emirates',
  'hong kong sar': 'hong kong',
};

export function normalizeCountry(text: string): string {
  const plain = toAscii(text);
  return COUNTRY_ALIASES[plain] ?? plain;
}
