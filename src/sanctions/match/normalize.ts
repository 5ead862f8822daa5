import anyAscii from 'any-ascii';
import doubleMetaphone from 'talisman/phonetics/double-metaphone.js';

/**
 * Name normalization for matching: any script to ASCII (any-ascii romanizes Cyrillic, Arabic,
 * Chinese...), lower case, punctuation out, then tokens. Particles ("bin", "al", "de") and legal
 * forms ("LLC", "OOO") carry little identity and are set aside.
 */

const PARTICLES = new Set([
  'al',
  'el',
  'bin',
  'ibn',
  'bint',
  'ben',
  'abu',
  'ould',
  'de',
  'da',
  'do',
  'dos',
  'das',
  'del',
  'della',
  'di',
  'du',
  'la',
  'le',
  'van',
  'von',
  'der',
  'den',
  'y',
  'e',
]);

const LEGAL_FORMS = new Set([
  'ltd',
  'limited',
  'llc',
  'inc',
  'co',
  'corp',
  'corporation',
  'company',
  'gmbh',
  'sa',
  'ag',
  'jsc',
  'pjsc',
  'ojsc',
  'cjsc',
  'ooo',
  'ao',
  'pao',
  'zao',
  'oao',
  'plc',
  'sarl',
  'srl',
  'bv',
  'fze',
  'fzco',
  'lp',
  'llp',
  'the',
  'of',
  'and',
]);

const HAN = /\p{Script=Han}/u;

/**
 * A name written in Chinese characters, romanized as lists write it: the first character is the
 * surname and the others one given name ("朱海仑" -> "Zhu Hailun"); any-ascii alone gives one run
 * of syllables ("ZhuHaiLun") that matches no listed name.
 */
function romanizeHan(text: string): string {
  return text.replace(/[\p{Script=Han}]+/gu, (run) => {
    const [surname, ...given] = [...run];
    return given.length
      ? ` ${anyAscii(surname as string)} ${given.map((char) => anyAscii(char)).join('')} `
      : ` ${anyAscii(run)} `;
  });
}

const HANGUL = /\p{Script=Hangul}/u;

/** Korean surnames as they are written in Latin letters, by their Revised Romanization. */
const KOREAN_SURNAMES: Record<string, string> = {
  gim: 'kim',
  i: 'lee',
  ri: 'ri',
  bag: 'park',
  choe: 'choi',
  jeong: 'jung',
  gang: 'kang',
  jo: 'cho',
  yun: 'yoon',
  jang: 'jang',
  im: 'lim',
  han: 'han',
  o: 'oh',
  seo: 'seo',
  sin: 'shin',
  gwon: 'kwon',
  hwang: 'hwang',
  an: 'ahn',
  song: 'song',
  ryu: 'ryu',
  hong: 'hong',
};

/**
 * A name in Hangul as lists write it: the first syllable is the surname, in its usual Latin
 * spelling (김 Kim, 이 Lee, 박 Park), the others one given name ("김정은" -> "Kim Jeongeun").
 */
function romanizeHangul(text: string): string {
  return text.replace(/[\p{Script=Hangul}]+/gu, (run) => {
    const [first, ...given] = [...run].map((syllable) => anyAscii(syllable).toLowerCase());
    const surname = KOREAN_SURNAMES[first as string] ?? (first as string);
    return given.length ? ` ${surname} ${given.join('')} ` : ` ${anyAscii(run)} `;
  });
}

const ARABIC_ARTICLE = /(^|[\s\u200c-])ال(?=\p{Script=Arabic}{2})/gu;

export function toAscii(text: string): string {
  let normalized = text.normalize('NFKC');
  // The article written into an Arabic word (القحطاني) is set apart as lists write it (AL-QAHTANI):
  // romanized whole it would be one word of consonants, "lqhtny".
  if (normalized.includes('ال')) normalized = normalized.replace(ARABIC_ARTICLE, '$1al ');
  if (HAN.test(normalized)) normalized = romanizeHan(normalized);
  if (HANGUL.test(normalized)) normalized = romanizeHangul(normalized);
  return anyAscii(normalized)
    .toLowerCase()
    .replace(/['`´]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export type NameTokens = {
  /** Tokens that identify: particles and legal forms removed (unless nothing would remain). */
  core: string[];
  /** All tokens concatenated in sorted order: "Hai-lun Zhu" and "ZHU, Hailun" meet here. */
  joined: string;
};

const PATRONYMIC = /(ovich|evich|avich|ovych|evych|ivich|ovna|evna|avna|ivna|ichna|yevna)$/;

/**
 * Patronymics (Ramzan Akhmatovich Kadyrov) say whose child someone is: a father's name in a
 * relative's patronymic must not match the father. OFAC writes "LAST, First Patronymic"; people
 * write "First Patronymic Last". A surname with the same ending (Abramovich) stays.
 */
function withoutPatronymics(name: string, tokens: string[]): string[] {
  const comma = name.indexOf(',');
  if (comma >= 0) {
    const surnames = toAscii(name.slice(0, comma)).split(' ').filter(Boolean).length;
    return tokens.filter((token, index) => index <= surnames || !PATRONYMIC.test(token));
  }
  if (tokens.length < 3) return tokens;
  return tokens.filter(
    (token, index) => index === 0 || index === tokens.length - 1 || !PATRONYMIC.test(token),
  );
}

export function tokenize(name: string): NameTokens {
  const all = withoutPatronymics(name, toAscii(name).split(' ').filter(Boolean));
  const core = all.filter((token) => !PARTICLES.has(token) && !LEGAL_FORMS.has(token));
  const kept = core.length ? core : all;
  return { core: kept, joined: [...kept].sort().join('') };
}

/**
 * Arabic and Hebrew are written without short vowels: romanized from their own script, a name is
 * its consonants ("mhmd", "hsn", "dvd"). Compared with a Latin spelling by its consonants alone,
 * the long vowels w and y set aside too, and doubled letters once.
 */
export function isAbjad(token: string): boolean {
  if (token.length < 2) return false;
  for (let index = 0; index < token.length; index++) {
    const code = token.charCodeAt(index);
    // a e i o u, and digits (a number is no name without vowels)
    if (code === 97 || code === 101 || code === 105 || code === 111 || code === 117 || code < 97)
      return false;
  }
  return true;
}

export function abjadForm(token: string): string {
  return token.replace(/[aeiouwy]/g, '').replace(/(.)\1+/g, '$1');
}

/**
 * A token without the Arabic article written into it: "alharbi" and "elbaradei" are listed as one
 * word where a query writes "al-Harbi" (whose "al" is set aside as a particle).
 */
export function withoutArticle(token: string): string {
  if (token.length < 5 || token[1] !== 'l' || (token[0] !== 'a' && token[0] !== 'e')) return token;
  return /^(al|el)[a-z]{3,}$/.test(token) ? token.slice(2) : token;
}

/**
 * A romanization-tolerant skeleton of one token: the spellings that transliteration systems (and
 * French, German or English ears) give the same Cyrillic or Arabic sound are folded together, e.g.
 * Khaled/Haled/Chaled, Yevgeny/Evgeni/Jewgeni, Shoigu/Schoigu, Mohammed/Muhammad.
 */
export function skeleton(token: string): string {
  return (
    token
      .replace(/shch|sch|tsch|tch|ch|sh|zh|dzh|dj|j/g, 'j')
      .replace(/kh|gh|h/g, 'h')
      .replace(/ph/g, 'f')
      .replace(/ck|q|c(?=[aou]|$)|k/g, 'k')
      .replace(/ts|tz|c/g, 'ts')
      .replace(/w/g, 'v')
      .replace(/ks|x/g, 'ks')
      .replace(/ou|oo/g, 'u')
      .replace(/y/g, 'i')
      .replace(/ij|ii|iy/g, 'i')
      .replace(/ee|ei|ey/g, 'i')
      .replace(/(.)\1+/g, '$1')
      .replace(/(?<=...)e$/, '')
      // Unstressed vowels are where romanizations disagree most: keep the first, fold the rest.
      .replace(/(?<=.)[aeiou]+/g, 'a')
  );
}

/** The consonants of a skeleton: Alexander and Alyaksandr, Mohammed and Muhammad meet here. */
export function consonants(value: string): string {
  return value[0] + value.slice(1).replace(/[aeiou]/g, '');
}

const phoneticCache = new Map<string, [string, string]>();

export function phonetic(token: string): [string, string] {
  let codes = phoneticCache.get(token);
  if (!codes) {
    codes = doubleMetaphone(token) as [string, string];
    if (phoneticCache.size > 200_000) phoneticCache.clear();
    phoneticCache.set(token, codes);
  }
  return codes;
}

const FORMER =
  /\s*(?:\(\s*|,\s*|\s)(?:ex|f\.?\s?k\.?\s?a\.?|f\/k\/a|formerly(?:\s+known\s+as)?)(?:[-\s.:]+)([^()]+?)\s*(?:\)|$)/i;

/**
 * A name and the former names written into it ("MV Karachi Crescent (ex Mandvi Bay, ex Wanshan
 * Pearl)", "Beirut Cedar Trading SAL, f.k.a. Lebanon Cedar SAL"): each is matched on its own, as
 * a list's aliases are. A year after a former name ("ex Warri Osprey, 2006") is not part of it.
 */
export function nameVariants(name: string): string[] {
  const match = FORMER.exec(name);
  if (!match || match.index === 0) return [name];
  const current = name.slice(0, match.index).trim();
  const formers = (match[1] as string)
    .split(/,\s*(?:ex[-\s.:]+|f\.?\s?k\.?\s?a\.?\s+)?/i)
    .map((part) => part.replace(/\buntil\s+\d{4}$/i, '').trim())
    .filter((part) => part && !/^\d{4}$/.test(part));
  return current ? [current, ...formers] : [name];
}

/** The numbers in a name (digits, and Roman numerals of two letters or more): No. 3, II, 1204. */
export function numbersOf(tokens: string[]): string[] {
  return tokens.filter(
    (token) => /^\d+$/.test(token) || /^(?=[ivx]{2,}$)x{0,3}(ix|iv|v?i{0,3})$/.test(token),
  );
}
