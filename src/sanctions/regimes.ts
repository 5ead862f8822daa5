import type { Db } from '../domain/tx.ts';
import { type ListCode, storedList } from './lists.ts';
import { HUMAN_RIGHTS_PROGRAMS } from './programs.ts';

/**
 * A vocabulary common to every list, so "human rights" and "anti-corruption" filter all of them:
 * each list names its Magnitsky-style regimes its own way. Country regimes keep their own names.
 */
export const THEMES = ['human-rights', 'anti-corruption'] as const;
export type Theme = (typeof THEMES)[number];

const OFAC_ANTI_CORRUPTION = new Set(['GLOMAG']);

/** The themes a list's regime or program belongs to (none for country regimes). */
export function themesOf(list: ListCode, regime: string): Theme[] {
  const value = regime.trim();
  switch (list) {
    case 'us':
      return [
        ...((HUMAN_RIGHTS_PROGRAMS as readonly string[]).includes(value) ? (['human-rights'] as const) : []),
        ...(OFAC_ANTI_CORRUPTION.has(value) ? (['anti-corruption'] as const) : []),
      ];
    case 'uk':
      if (/^Global Human Rights/i.test(value)) return ['human-rights'];
      if (/^Global Anti-Corruption/i.test(value)) return ['anti-corruption'];
      return [];
    case 'ca':
      // The Justice for Victims of Corrupt Foreign Officials Act covers gross human-rights
      // violations and significant corruption alike.
      return /JVCFOR|Corrupt Foreign Officials/i.test(value) ? ['human-rights', 'anti-corruption'] : [];
    case 'au':
      if (/Thematic\s*[-–]\s*Human Rights/i.test(value)) return ['human-rights'];
      if (/Thematic\s*[-–]\s*Corruption/i.test(value)) return ['anti-corruption'];
      return [];
    case 'eu':
      // The EU Global Human Rights Sanctions Regime (Regulation 2020/1998); its FSF programme code
      // is not in the excerpt we hold, so both spellings in use are accepted.
      return /^(GHR|EUGHR|EU-GHR)$/i.test(value) ? ['human-rights'] : [];
  }
}

/** Whether a change on `list` with these regimes is followed by a subscription's `followed` words. */
export function isFollowed(list: ListCode, regimes: string[], followed: ReadonlySet<string>): boolean {
  return regimes.some(
    (regime) => followed.has(regime) || themesOf(list, regime).some((theme) => followed.has(theme)),
  );
}

/**
 * Whether an entry with these regimes falls under `program` as a member types it: a regime or
 * program name in any case, or a theme (human-rights, anti-corruption).
 */
export function underProgram(list: ListCode, regimes: string[], program: string): boolean {
  const wanted = program.trim().toLowerCase();
  return regimes.some(
    (regime) => regime.toLowerCase() === wanted || themesOf(list, regime).some((theme) => theme === wanted),
  );
}

export function isTheme(word: string): boolean {
  return (THEMES as readonly string[]).includes(word.trim().toLowerCase());
}

/** The regimes named by the current entries of `lists` (other than OFAC's, whose tags are a catalogue). */
export async function currentRegimes(db: Db, lists: readonly ListCode[]): Promise<Set<string>> {
  const stored = lists.filter((code) => code !== 'us').map(storedList);
  if (stored.length === 0) return new Set();
  const rows = await db.$queryRaw<Array<{ regime: string }>>`
    SELECT DISTINCT jsonb_array_elements_text(data->'programs') AS regime
    FROM sanctions_entry_version WHERE list = ANY(${stored}) AND valid_to_id IS NULL`;
  return new Set(rows.map((row) => row.regime));
}
