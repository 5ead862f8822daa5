/**
 * Name keys for duplicate detection: case, accents, punctuation and word order do not matter,
 * so "Chen Quanguo", "CHEN, Quanguo" and "Quanguo Chén" share one key.
 */

// Letters that Unicode decomposition does not reduce to ASCII.
const FOLDS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
};

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function normalizeName(name: string): string {
  // Most listed names are plain ASCII: the same result without decomposition and Unicode classes
  // (a list import normalizes every name it reads; the matcher, every name it compares).
  if (PRINTABLE_ASCII.test(name))
    return name
      .toLowerCase()
      .replace(/['`]/g, '')
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  return normalizeUnicodeName(name);
}

/** normalizeName for any text: the reference the ASCII shortcut must agree with. */
export function normalizeUnicodeName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøđðłþı]/g, (letter) => FOLDS[letter] ?? letter)
    .replace(/['‘’`´ʹʻʼʽ′]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function nameKey(name: string): string {
  return normalizeName(name).split(' ').filter(Boolean).sort().join(' ');
}

/** Distinct non-empty keys of a primary name and its aliases. */
export function nameKeys(names: readonly string[]): string[] {
  return [...new Set(names.map(nameKey).filter((key) => key.length > 0))];
}
