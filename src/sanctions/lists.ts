/**
 * The lists the coalition watches, by the code members and the CLI use. `stored` is the value of the
 * `list` column: OFAC's SDN list keeps the name it had before the other lists arrived.
 */
export const LISTS = {
  us: { stored: 'SDN', jurisdiction: 'United States', name: 'OFAC Specially Designated Nationals list' },
  uk: {
    stored: 'UK',
    jurisdiction: 'United Kingdom',
    name: 'UK Sanctions List (FCDO), and OFSI Consolidated List before 2026',
  },
  ca: { stored: 'CA', jurisdiction: 'Canada', name: 'Consolidated Canadian Autonomous Sanctions List' },
  au: { stored: 'AU', jurisdiction: 'Australia', name: 'DFAT Consolidated List' },
  eu: {
    stored: 'EU',
    jurisdiction: 'European Union',
    name: 'EU Financial Sanctions Files consolidated list',
  },
} as const;

export type ListCode = keyof typeof LISTS;

export const LIST_CODES = Object.keys(LISTS) as ListCode[];

export function isListCode(value: string): value is ListCode {
  return (LIST_CODES as string[]).includes(value);
}

export function storedList(code: ListCode): string {
  return LISTS[code].stored;
}

/** The list code of a stored list name (`SDN` -> `us`). */
export function codeOfStored(stored: string): ListCode {
  return (LIST_CODES.find((code) => LISTS[code].stored === stored) ?? 'us') as ListCode;
}

/** Who publishes the list, as a sentence names them: "OFAC listed ...", "the UK listed ...". */
export function authorityOf(code: ListCode): string {
  return { us: 'OFAC', uk: 'the UK', ca: 'Canada', au: 'Australia', eu: 'the EU' }[code];
}

/** The jurisdiction as members name it in /case submit: US, UK, Canada, Australia, EU. */
export function jurisdictionLabel(code: string): string {
  return (
    ({ us: 'US', uk: 'UK', ca: 'Canada', au: 'Australia', eu: 'EU' } as Record<string, string>)[code] ?? code
  );
}
