import type { SdnEntry } from '../sdn.ts';
import {
  type BirthDate,
  birthDates,
  compareBirthDates,
  countriesOf,
  normalizeCountry,
  parseBirthDate,
} from './facts.ts';
import { jaroWinkler, withinOneEdit } from './metrics.ts';
import {
  abjadForm,
  consonants,
  isAbjad,
  type NameTokens,
  nameVariants,
  numbersOf,
  phonetic,
  skeleton,
  toAscii,
  tokenize,
  withoutArticle,
} from './normalize.ts';

/** At or above: a match worth telling people about. */
export const MATCH_THRESHOLD = 0.88;
/** At or above (and below the threshold): close enough to list for a human to review, never announced. */
export const REVIEW_THRESHOLD = 0.75;

type IndexedName = {
  entry: number;
  name: string;
  strength: 'primary' | 'strong' | 'weak';
  tokens: NameTokens;
  /** The index words it is filed under (its own, and its syllables joined). */
  tokenIds: number[];
};

export type MatchIndex = {
  entries: SdnEntry[];
  names: IndexedName[];
  /** Every distinct token of the listed names, and the names each appears in. */
  vocabulary: string[];
  tokenNames: number[][];
  /** The names of one word only, per word: candidates on that word alone. */
  tokenSingles: Array<number[] | undefined>;
  /** What `tokenSimilarity` asks of each word, computed when the index is built. */
  features: TokenFeatures[];
  /** Blocking key -> the tokens filed under it (tokens, not names: far fewer to compare). */
  keys: Map<string, number[]>;
  /** How much a token identifies: rare tokens near 1, "international" or "mohammad" lower. */
  weight: (token: string) => number;
  births: Array<BirthDate[] | undefined>;
  countries: Array<Set<string> | undefined>;
  /** Query tokens already compared with this index's tokens: names repeat across queries. */
  links: TokenLinks;
  /** Per-name marks of the search under way (searches run one at a time: they are synchronous). */
  scratch: {
    generation: number;
    stamp: Int32Array;
    mask: Int32Array;
    tokenStamp: Int32Array;
    tokenBits: Int32Array;
  };
};

/** Query tokens and the index tokens each links to. */
export type TokenLinks = Map<string, Int32Array>;

export type MatchQuery = {
  name: string;
  aliases?: string[];
  /** A country of nationality, birth or residence. */
  country?: string | null;
  /** YYYY or YYYY-MM-DD. */
  dob?: string | null;
  type?: 'individual' | 'entity' | null;
};

export type MatchCandidate = {
  uid: number;
  /** The entry's listed (primary) name. */
  name: string;
  /** The listed name or alias that matched, and the query name it matched. */
  matchedName: string;
  queryName: string;
  programs: string[];
  type: SdnEntry['type'];
  score: number;
  /** Why: what matched, and what the dates of birth, countries and types said. */
  evidence: string[];
};

const skeletons = new Map<string, string>();
function skeletonOf(token: string): string {
  let value = skeletons.get(token);
  if (value === undefined) {
    value = skeleton(token);
    if (skeletons.size > 200_000) skeletons.clear();
    skeletons.set(token, value);
  }
  return value;
}

/**
 * The keys a token is filed under (listed) or looked up by (query). Two kinds cost Latin queries
 * nothing: consonant keys, looked up only for a query romanized from Arabic or Hebrew script; and
 * a listed token's keys without an attached article ("ALHARBI" under "harbi"), looked up only when
 * the query wrote the article apart ("al-Harbi"): "Alexander" is no "al" + "exander".
 */
function blockingKeys(token: string, role: 'listed' | 'query' = 'listed', articleApart = false): string[] {
  if (token.length < 2) return [];
  const [primary] = phonetic(token);
  const shape = skeletonOf(token);
  const keys = [`s:${shape.slice(0, 4)}`, ...(primary && primary.length >= 2 ? [`p:${primary}`] : [])];
  // Consonants, and each with one of its second to fourth dropped: a typo or an extra letter
  // (Guzman / Guman, Dugazaev / Duazaev) leaves the rest.
  const frame = consonants(shape);
  if (frame.length >= 3) {
    keys.push(`c:${frame.slice(0, 4)}`);
    for (let drop = 1; drop < Math.min(4, frame.length); drop++)
      keys.push(`c:${(frame.slice(0, drop) + frame.slice(drop + 1)).slice(0, 4)}`);
    // A first vowel or glide is where romanizations differ most (Yevgeniy / Evgeni / Jewgeni).
    if (frame.length >= 4 && /^[aeiouj]/.test(shape)) keys.push(`c:${frame.slice(1, 5)}`);
  } else keys.push(`c:${frame}`);
  const consonantal = abjadForm(token);
  if (consonantal.length >= 2 && (role === 'listed' || isAbjad(token)))
    keys.push(`a:${consonantal.slice(0, 3)}`);
  const bare = withoutArticle(token);
  if (role === 'listed' && bare !== token) keys.push(`b:${skeletonOf(bare).slice(0, 3)}`);
  if (role === 'query' && articleApart) keys.push(`b:${skeletonOf(token).slice(0, 3)}`);
  // A query's "alharbi" finds a listed "AL-HARBI", whose article was set aside.
  if (role === 'query' && bare !== token) keys.push(...blockingKeys(bare, 'query'));
  return keys;
}

const tokenized = new Map<string, NameTokens>();

/**
 * A query name's tokens, kept: resolving whole lists searches each entry's names in every other
 * list's index. Callers must not change them.
 */
export function queryTokens(name: string): NameTokens {
  let tokens = tokenized.get(name);
  if (!tokens) {
    tokens = tokenize(name);
    if (tokenized.size > 100_000) tokenized.clear();
    tokenized.set(name, tokens);
  }
  return tokens;
}

const queryKeys = new Map<string, string[]>();

/** A query word's keys, computed once: the same words are looked up in every list's index. */
function queryKeysOf(token: string, articleApart: boolean): string[] {
  const cacheKey = articleApart ? `${token} ` : token;
  let keys = queryKeys.get(cacheKey);
  if (!keys) {
    keys = [...new Set(blockingKeys(token, 'query', articleApart))];
    if (queryKeys.size > 200_000) queryKeys.clear();
    queryKeys.set(cacheKey, keys);
  }
  return keys;
}

export function buildIndex(entries: SdnEntry[]): MatchIndex {
  const names: IndexedName[] = [];
  const tokenIds = new Map<string, number>();
  const vocabulary: string[] = [];
  const tokenNames: number[][] = [];
  /** Names a token is a word of (joined syllables are filed, not counted): its weight. */
  const counts: number[] = [];
  const file = (token: string, name: number, counted: boolean) => {
    let tokenId = tokenIds.get(token);
    if (tokenId === undefined) {
      tokenId = vocabulary.push(token) - 1;
      tokenIds.set(token, tokenId);
      tokenNames.push([]);
      counts.push(0);
    }
    const holders = tokenNames[tokenId] as number[];
    if (holders[holders.length - 1] !== name) {
      holders.push(name);
      (names[name] as IndexedName).tokenIds.push(tokenId);
    }
    if (counted) counts[tokenId] = (counts[tokenId] as number) + 1;
  };
  entries.forEach((entry, index) => {
    const all: Array<[string, IndexedName['strength']]> = [
      [entry.name, 'primary'],
      ...entry.aliases.map((alias): [string, IndexedName['strength']] => [alias.name, alias.strength]),
    ];
    for (const [written, strength] of all)
      for (const name of nameVariants(written)) {
        const tokens = tokenize(name);
        if (tokens.core.length === 0) continue;
        const id = names.push({ entry: index, name, strength, tokens, tokenIds: [] }) - 1;
        for (const token of new Set(tokens.core)) file(token, id, true);
        // Syllables a query may write as one word ("Hai Lun" / "Hailun") are filed as that word too.
        for (const { joined } of joinedSyllables(tokens.core)) file(joined, id, false);
      }
  });
  const tokenSingles: Array<number[] | undefined> = [];
  names.forEach((name, id) => {
    if (name.tokens.core.length !== 1) return;
    for (const tokenId of name.tokenIds) {
      const holders = tokenSingles[tokenId];
      if (holders) holders.push(id);
      else tokenSingles[tokenId] = [id];
    }
  });
  const keys = new Map<string, number[]>();
  vocabulary.forEach((token, tokenId) => {
    for (const key of new Set(blockingKeys(token))) {
      const list = keys.get(key);
      if (list) list.push(tokenId);
      else keys.set(key, [tokenId]);
    }
  });
  const scale = Math.log(names.length + 1);
  const weightOf = (frequency: number) =>
    Math.min(1, Math.max(0.2, Math.log((names.length + 1) / (frequency + 1)) / scale));
  const weights = new Map<string, number>();
  vocabulary.forEach((token, id) => {
    if (counts[id]) weights.set(token, weightOf(counts[id] as number));
  });
  const unseen = weightOf(0);
  const weight = (token: string) => weights.get(token) ?? unseen;
  return {
    entries,
    names,
    vocabulary,
    tokenNames,
    tokenSingles,
    features: vocabulary.map(featuresOf),
    keys,
    weight,
    births: [],
    countries: [],
    links: new Map(),
    scratch: {
      generation: 0,
      stamp: new Int32Array(names.length),
      mask: new Int32Array(names.length),
      tokenStamp: new Int32Array(vocabulary.length),
      tokenBits: new Int32Array(vocabulary.length),
    },
  };
}

/**
 * The index's tokens a query token could pair with in `nameSimilarity`: alike enough to pair, or
 * one the start of the other (syllables the other name wrote apart: "Quan" of "Quanguo").
 */
function linkedTokens(index: MatchIndex, token: string, articleApart: boolean): Int32Array {
  const links = index.links;
  const cacheKey = articleApart ? `${token} ` : token;
  const known = links.get(cacheKey);
  if (known) return known;
  const found: number[] = [];
  const own = featuresOf(token);
  const scratch = index.scratch;
  const generation = ++scratch.generation;
  for (const key of queryKeysOf(token, articleApart)) {
    for (const tokenId of index.keys.get(key) ?? []) {
      if (scratch.tokenStamp[tokenId] === generation) continue;
      scratch.tokenStamp[tokenId] = generation;
      const listed = index.vocabulary[tokenId] as string;
      if (similarity(token, own, listed, index.features[tokenId] as TokenFeatures, LINK_FLOOR) >= LINK_FLOOR)
        found.push(tokenId);
    }
  }
  const result = Int32Array.from(found);
  if (links.size > 100_000) links.clear();
  links.set(cacheKey, result);
  return result;
}

/** A word short enough to be one syllable of a name written in several (Hai, Lun; Kuok, Koi). */
function isSyllable(token: string): boolean {
  return token.length >= 2 && token.length <= 6;
}

/** Neighbouring syllables written together ("hai", "lun": "hailun"), with the first one's place. */
function joinedSyllables(core: string[]): Array<{ joined: string; position: number }> {
  const out: Array<{ joined: string; position: number }> = [];
  for (let position = 0; position + 1 < core.length; position++) {
    const [token, next] = [core[position] as string, core[position + 1] as string];
    if (isSyllable(token) && isSyllable(next)) out.push({ joined: token + next, position });
  }
  return out;
}

/**
 * Similarity of two tokens: spelling (Jaro-Winkler), romanization skeleton, sound, initials.
 * A token that only extends the other (Ramzan / Ramzanovna, a patronymic; Kadyrov / Kadyrova) is
 * a relative's name more often than a spelling variant, so it scores below the floor.
 */
export function tokenSimilarity(a: string, b: string): number {
  return a === b ? 1 : similarity(a, featuresOf(a), b, featuresOf(b), 0);
}

/**
 * `tokenSimilarity` for callers that only use values at or above `floor`: below it, any lower
 * value may be returned. Most pairs a search compares are far apart ("ahmad" / "hassan"), and a
 * bound from the letters they share settles them without computing Jaro-Winkler.
 */
function similarity(a: string, fa: TokenFeatures, b: string, fb: TokenFeatures, floor: number): number {
  if (a === b) return 1;
  if (
    (fa.bare !== a || fb.bare !== b) &&
    fa.bare.length >= 3 &&
    (fa.bare === fb.bare || fa.bareShape === fb.bareShape)
  )
    return 0.95;
  // A name romanized from Arabic or Hebrew script has no short vowels: its consonants decide.
  if (fa.abjad !== fb.abjad) {
    if (fa.consonantal.length >= 1 && fa.consonantal === fb.consonantal)
      return fa.consonantal.length >= 2 ? 0.92 : 0.88;
  }
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? 0.85 : 0;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (long.startsWith(short) && short.length >= 3) return long.length - short.length >= 2 ? 0.6 : 0.84;
  // Tokens of very different lengths are different words, however alike their beginnings.
  if (long.length - short.length > Math.max(2, 0.3 * long.length)) return 0;
  let lift = 0;
  if (fa.shape === fb.shape) lift = 0.95;
  else if (short.length >= 6 && fa.frame === fb.frame) lift = 0.9;
  // Russian Е, Я, Ю open a word as Ye, Ya, Yu in English, Je, Ja, Ju in German, E, Ia in French:
  // Yevgeniy, Jewgeni and Evgueni are one name when the rest agrees.
  else if (short.length >= 5 && fa.glide && fa.glide === fb.glide) lift = 0.9;
  // One edit away leaves Jaro-Winkler at 0.86 or more (five letters, four matched): the bound
  // cannot rule out such a pair, so it goes first.
  if (lift === 0 && floor > 0 && jaroWinklerBound(a, fa.letters, b, fb.letters) < floor) return 0;
  if (lift === 0 && short.length >= 5 && withinOneEdit(a, b)) lift = 0.9;
  const spelled = jaroWinkler(a, b);
  return Math.max(spelled, lift);
}

/**
 * The most Jaro-Winkler could give two words: no transpositions, and every letter matched that
 * the other word has at all (`letters`: a bit per letter present).
 */
function jaroWinklerBound(a: string, lettersA: number, b: string, lettersB: number): number {
  let matchA = 0;
  for (let i = 0; i < a.length; i++) if (lettersB & letterBit(a.charCodeAt(i))) matchA++;
  let matchB = 0;
  for (let i = 0; i < b.length; i++) if (lettersA & letterBit(b.charCodeAt(i))) matchB++;
  const matches = Math.min(matchA, matchB);
  if (matches === 0) return 0;
  const jaro = (matches / a.length + matches / b.length + 1) / 3;
  let prefix = 0;
  const limit = Math.min(a.length, b.length, 4);
  while (prefix < limit && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** A letter's bit (a-z); any other character shares one of six more, which only loosens the bound. */
function letterBit(code: number): number {
  return code >= 97 && code <= 122 ? 1 << (code - 97) : 1 << (26 + (code % 6));
}

function lettersOf(token: string): number {
  let bits = 0;
  for (let i = 0; i < token.length; i++) bits |= letterBit(token.charCodeAt(i));
  return bits;
}

type TokenFeatures = {
  shape: string;
  frame: string;
  glide: string;
  abjad: boolean;
  consonantal: string;
  bare: string;
  bareShape: string;
  letters: number;
};

const features = new Map<string, TokenFeatures>();

/** Everything `tokenSimilarity` asks of a token, computed once: tokens recur across a whole list. */
function featuresOf(token: string): TokenFeatures {
  let found = features.get(token);
  if (!found) {
    const shape = skeletonOf(token);
    const bare = withoutArticle(token);
    found = {
      shape,
      frame: consonants(shape),
      glide: initialGlide(shape),
      abjad: isAbjad(token),
      consonantal: abjadForm(token),
      bare,
      bareShape: bare === token ? shape : skeletonOf(bare),
      letters: lettersOf(token),
    };
    if (features.size > 200_000) features.clear();
    features.set(token, found);
  }
  return found;
}

/** A skeleton's consonants after an opening vowel or glide, or '' when it opens otherwise. */
function initialGlide(shape: string): string {
  if (!/^[aeiouj]/.test(shape)) return '';
  const rest = consonants(shape).slice(1);
  return rest.length >= 3 ? rest : '';
}

const TOKEN_FLOOR = 0.86;
/**
 * Index words a query word is linked to: a little below the floor of pairing, so that a word one
 * letter short (Yevgeni / Yevgeniy, 0.84) still brings its name to the whole-name comparison.
 */
const LINK_FLOOR = 0.84;
/** The most a matching date of birth (0.04) and country (0.02) add to a name's score. */
const FACTS_LIFT = 0.061;
const COMMON_NAME_CAP = 0.85;

/**
 * Given names and surnames borne by millions: the commonest Arabic given names and the commonest
 * Chinese surnames and given-name syllables, with the usual spellings of each.
 */
const COMMON_NAMES = new Set([
  'muhammad',
  'mohammed',
  'ahmad',
  'ahmed',
  'ali',
  'hassan',
  'hussein',
  'husayn',
  'abdullah',
  'abdallah',
  'omar',
  'umar',
  'khalid',
  'salman',
  'ibrahim',
  'yusuf',
  'mahmoud',
  'mustafa',
  'abdul',
  'abdel',
  'said',
  'saleh',
  'salih',
  'hamad',
  'hamid',
  'khan',
  'abu',
  'ibn',
  'mohamed',
  'wang',
  'li',
  'zhang',
  'liu',
  'chen',
  'yang',
  'huang',
  'zhao',
  'wu',
  'zhou',
  'xu',
  'sun',
  'ma',
  'zhu',
  'hu',
  'guo',
  'he',
  'lin',
  'gao',
  'luo',
  'wei',
  'fang',
  'min',
  'jing',
  'lei',
  'jun',
  'yong',
  'jie',
  'tao',
  'ming',
  'hui',
  'yan',
  'ping',
  'hua',
  'hong',
  'qiang',
  'lin',
  'xin',
  'yu',
  'na',
]);

const COMMON_CONSONANTS = new Set([...COMMON_NAMES].map(abjadForm));

/**
 * Spelled as in the set: the romanization skeleton would fold Zheng into Zhang, Hai into Hua. A
 * name romanized from Arabic script (consonants only: "mhmd", "ly") is compared by its consonants.
 */
function isCommonName(token: string): boolean {
  return isAbjad(token) ? COMMON_CONSONANTS.has(abjadForm(token)) : COMMON_NAMES.has(token);
}

/**
 * Adjacent tokens of `tokens` whose concatenation is a token of `other` (or sounds like one) are
 * joined, when neither is a token of `other` on its own.
 */
function joinSplitSyllables(tokens: string[], other: string[]): string[] {
  if (tokens.length < 2) return tokens;
  let out: string[] | undefined;
  for (let index = 0; index < tokens.length; index++) {
    const first = tokens[index] as string;
    const second = tokens[index + 1];
    if (second !== undefined && joins(first, second, other)) {
      out ??= tokens.slice(0, index);
      out.push(first + second);
      index++;
      continue;
    }
    out?.push(first);
  }
  return out ?? tokens;
}

/** Whether `first` + `second` is one token of `other` (spelled alike, or consonant for consonant). */
function joins(first: string, second: string, other: string[]): boolean {
  const length = first.length + second.length;
  let candidate = false;
  for (const token of other) {
    if (token === first || token === second) return false;
    // Cheap checks first: the joined word must be about as long as a token of the other name
    // (romanizations differ by a few vowels: Jong + Un / Jeongeun).
    if (Math.abs(token.length - length) <= 3) candidate = true;
  }
  const joined = first + second;
  // Consonants only (romanized Arabic or Hebrew): lengths differ by the vowels, so they decide.
  if (isAbjad(joined))
    return other.some((token) => !isAbjad(token) && abjadForm(token) === abjadForm(joined));
  if (!candidate) return false;
  for (const token of other) {
    if (Math.abs(token.length - length) > 3) continue;
    if (token === joined) return true;
    // Spelled alike, not merely sounding alike: "Jimmy Lai" joined must not become "Chamula".
    if (token.length >= 6 && token[0] === joined[0] && skeletonOf(token) === skeletonOf(joined)) return true;
  }
  return false;
}

/** Scratch of `nameSimilarity`: it runs synchronously, so one set serves every call. */
const scratchFeatures: TokenFeatures[] = [];
let usedQ = new Uint8Array(64);
let usedC = new Uint8Array(64);

/**
 * Similarity of two names, in any order, tolerating a missing middle name or patronymic: tokens
 * are paired greedily by similarity; the score is their weighted mean similarity, scaled by how
 * much of the better-covered name was paired and, less, by how much of the other. Weights make
 * rare tokens count more than "international" or "mohammad".
 */
export function nameSimilarity(
  query: NameTokens,
  listed: NameTokens,
  weight: (token: string) => number = () => 1,
  /** Token similarities already computed for this query: listed tokens repeat across candidates. */
  seen?: Map<string, Map<string, number>>,
): number {
  // Syllables spaced or hyphenated differently ("Quan-guo" / "Quanguo", "Kuok Koi" / "Kuokkoi").
  const q = joinSplitSyllables(query.core, listed.core);
  const c = joinSplitSyllables(listed.core, query.core);
  const pairs: Array<[number, number, number]> = [];
  const featuresC = scratchFeatures;
  for (let j = 0; j < c.length; j++) featuresC[j] = featuresOf(c[j] as string);
  if (usedQ.length < q.length || usedC.length < c.length) {
    usedQ = new Uint8Array(Math.max(q.length, c.length) * 2);
    usedC = new Uint8Array(usedQ.length);
  }
  usedQ.fill(0, 0, q.length);
  usedC.fill(0, 0, c.length);
  for (let i = 0; i < q.length; i++) {
    const tokenQ = q[i] as string;
    const featuresQ = featuresOf(tokenQ);
    const row = seen?.get(tokenQ) ?? new Map<string, number>();
    if (seen && row.size === 0) seen.set(tokenQ, row);
    for (let j = 0; j < c.length; j++) {
      const tokenC = c[j] as string;
      let alike = row.get(tokenC) ?? -1;
      if (alike < 0) {
        alike = similarity(tokenQ, featuresQ, tokenC, featuresC[j] as TokenFeatures, TOKEN_FLOOR);
        row.set(tokenC, alike);
      }
      if (alike >= TOKEN_FLOOR) pairs.push([alike, i, j]);
    }
  }
  pairs.sort((a, b) => b[0] - a[0]);
  let weighted = 0;
  let matchedWeightQ = 0;
  let matchedWeightC = 0;
  let matched = 0;
  let initials = 0;
  for (const [alike, i, j] of pairs) {
    if (usedQ[i] || usedC[j]) continue;
    usedQ[i] = 1;
    usedC[j] = 1;
    const tokenQ = q[i] as string;
    const tokenC = c[j] as string;
    const w = weight(tokenC);
    weighted += alike * w;
    matchedWeightQ += w;
    matchedWeightC += w;
    matched += 1;
    if (tokenQ.length === 1 || tokenC.length === 1) initials += 1;
  }
  let score = 0;
  if (matched > 0) {
    // An unmatched query token is weighed as listed tokens are: by how rare it is on the list.
    let restQ = 0;
    for (let i = 0; i < q.length; i++) if (!usedQ[i]) restQ += weight(q[i] as string);
    let restC = 0;
    for (let j = 0; j < c.length; j++) if (!usedC[j]) restC += weight(c[j] as string);
    const totalQ = matchedWeightQ + restQ;
    const totalC = matchedWeightC + restC;
    const coverQ = matchedWeightQ / totalQ;
    const coverC = matchedWeightC / totalC;
    score = (weighted / matchedWeightQ) * Math.max(coverQ, coverC) * (0.8 + 0.2 * Math.min(coverQ, coverC));
    // One shared word (a surname, "Bank") among longer names is not a name match.
    if (matched - initials < 2 && Math.max(q.length, c.length) >= 2) score *= 0.75;
  }
  // Only worth a full-string comparison where it could lift the score: where some word found no
  // partner (the names may be split into words otherwise), and 0.97 Jaro-Winkler needs strings of
  // about the same length.
  if (
    score < 0.95 &&
    matched < Math.max(q.length, c.length) &&
    query.joined.length >= 6 &&
    listed.joined.length >= 6 &&
    Math.abs(query.joined.length - listed.joined.length) <=
      Math.max(3, 0.15 * Math.max(query.joined.length, listed.joined.length))
  ) {
    score = Math.max(score, jaroWinkler(query.joined, listed.joined) >= 0.97 ? 0.95 : 0);
  }
  // Vessels, funds and companies of one family differ by a number alone (Maru No. 8 / No. 9).
  const numbers = numbersOf(query.core);
  if (numbers.length && score > 0) {
    const others = numbersOf(listed.core);
    if (others.length && numbers.sort().join(' ') !== others.sort().join(' ')) score *= 0.8;
  }
  return score;
}

/**
 * The listed names worth scoring against a query's tokens: those sharing at least two linked
 * tokens with it, or one when either name is a single word. A name that shares one word of
 * several ("Bank", a surname) scores at most 0.75 in `nameSimilarity`, under every threshold, so
 * it is not scored at all: this is what keeps a search to a fraction of a millisecond. Syllables
 * written apart count as the word they make ("Hai-lun": "hailun", with both their places).
 */
function candidatesOf(index: MatchIndex, core: string[], articleApart: boolean): number[] {
  // The query's words, and its short syllables joined ("Hai-lun": "hailun", with both places).
  const slots: Array<{ bits: number; linked: Int32Array; size: number }> = [];
  const bit = (position: number) => 1 << Math.min(position, 30);
  const slot = (token: string, bits: number) => {
    const linked = linkedTokens(index, token, articleApart);
    let size = 0;
    for (const tokenId of linked) size += (index.tokenNames[tokenId] as number[]).length;
    slots.push({ bits, linked, size });
  };
  core.forEach((token, position) => {
    if (core.indexOf(token) === position) slot(token, bit(position));
  });
  for (const { joined, position } of joinedSyllables(core)) slot(joined, bit(position) | bit(position + 1));
  const single = new Set(core).size === 1;
  // Slots of common words ("trading", a common given name) are not walked: a name needs a second
  // word anyway, so the names the rarer slots reach are asked whether they hold one of theirs. When
  // every slot is common, the smallest is walked.
  const scratch = index.scratch;
  const generation = ++scratch.generation;
  const common = Math.max(64, index.names.length / 100);
  const walked = new Set(slots.filter((slot) => single || slots.length === 1 || slot.size <= common));
  if (walked.size === 0)
    walked.add(slots.reduce((smallest, slot) => (slot.size < smallest.size ? slot : smallest)));
  let probing = 0;
  for (const current of slots) {
    if (walked.has(current)) continue;
    probing |= current.bits;
    for (const tokenId of current.linked) {
      if (scratch.tokenStamp[tokenId] !== generation) {
        scratch.tokenStamp[tokenId] = generation;
        scratch.tokenBits[tokenId] = current.bits;
      } else scratch.tokenBits[tokenId] = (scratch.tokenBits[tokenId] as number) | current.bits;
    }
  }
  const touched: number[] = [];
  const mark = (name: number, bits: number) => {
    if (scratch.stamp[name] !== generation) {
      scratch.stamp[name] = generation;
      scratch.mask[name] = bits;
      touched.push(name);
    } else scratch.mask[name] = (scratch.mask[name] as number) | bits;
  };
  for (const current of slots) {
    const walk = walked.has(current);
    for (const tokenId of current.linked) {
      // A probed slot's one-word names are candidates on that word alone.
      for (const name of (walk ? index.tokenNames[tokenId] : index.tokenSingles[tokenId]) ?? [])
        mark(name, current.bits);
    }
  }
  const out: number[] = [];
  for (const name of touched) {
    let mask = scratch.mask[name] as number;
    const listed = index.names[name] as IndexedName;
    if (probing && (mask & (mask - 1)) === 0) {
      for (const tokenId of listed.tokenIds)
        if (scratch.tokenStamp[tokenId] === generation) mask |= scratch.tokenBits[tokenId] as number;
    }
    if (single || (mask & (mask - 1)) !== 0 || listed.tokens.core.length === 1) out.push(name);
  }
  return out;
}

/**
 * The entries whose names or aliases resemble the query's, best first, each with its score and the
 * evidence for it. Dates of birth, country and entity type separate namesakes: a conflicting date of
 * birth takes a candidate well below the threshold.
 */
export function searchIndex(
  index: MatchIndex,
  query: MatchQuery,
  options: { minScore?: number; limit?: number } = {},
): MatchCandidate[] {
  const minScore = options.minScore ?? MATCH_THRESHOLD;
  const dob = query.dob ? parseBirthDate(query.dob) : undefined;
  const country = query.country ? normalizeCountry(query.country) : undefined;
  const best = new Map<number, MatchCandidate>();
  for (const queryName of [query.name, ...(query.aliases ?? [])].flatMap(nameVariants)) {
    const tokens = queryTokens(queryName);
    if (tokens.core.length === 0) continue;
    // A common given name with a common surname ("Mohammed bin Salman", "Zhang Wei") is borne by
    // thousands: alone it is no evidence, and stays below the threshold (a date of birth can lift it).
    const commonOnly = tokens.core.every((token) => token.length === 1 || isCommonName(token));
    const seen = new Map<string, Map<string, number>>();
    const articleApart = /(^| )(al|el)( |$)/.test(toAscii(queryName));
    for (const id of candidatesOf(index, tokens.core, articleApart)) {
      const listed = index.names[id] as IndexedName;
      let score = nameSimilarity(tokens, listed.tokens, index.weight, seen);
      // Facts can add at most FACTS_LIFT: a name further below the bar cannot reach it.
      if (score < Math.max(REVIEW_THRESHOLD * 0.8, minScore - FACTS_LIFT)) continue;
      const evidence = [
        `name "${queryName}" ~ ${listed.strength === 'primary' ? 'listed name' : `${listed.strength} alias`} "${listed.name}" (${score.toFixed(2)})`,
      ];
      if (commonOnly && score > COMMON_NAME_CAP) {
        score = COMMON_NAME_CAP;
        evidence.push('only common given names and surnames: not evidence alone');
      }
      if (listed.strength === 'weak') score *= 0.96;
      const entry = index.entries[listed.entry] as SdnEntry;
      score = adjustForFacts(index, listed.entry, entry, { dob, country, type: query.type }, score, evidence);
      const rounded = Math.round(Math.min(score, 1) * 1000) / 1000;
      const previous = best.get(listed.entry);
      if (!previous || previous.score < rounded) {
        best.set(listed.entry, {
          uid: entry.uid,
          name: entry.name,
          matchedName: listed.name,
          queryName,
          programs: entry.programs,
          type: entry.type,
          score: rounded,
          evidence,
        });
      }
    }
  }
  return [...best.values()]
    .filter((candidate) => candidate.score >= minScore)
    .sort((a, b) => b.score - a.score || a.uid - b.uid)
    .slice(0, options.limit ?? 10);
}

function adjustForFacts(
  index: MatchIndex,
  at: number,
  entry: SdnEntry,
  given: { dob: BirthDate | undefined; country: string | undefined; type: MatchQuery['type'] },
  initial: number,
  evidence: string[],
): number {
  let score = initial;
  if (given.type) {
    const listedIndividual = entry.type === 'individual';
    if ((given.type === 'individual') !== listedIndividual) {
      score *= 0.7;
      evidence.push(`type differs: listed as ${entry.type}, given ${given.type}`);
    }
  }
  if (given.dob && entry.type === 'individual') {
    index.births[at] ??= birthDates(entry);
    const listed = index.births[at] as BirthDate[];
    const verdict = compareBirthDates(given.dob, listed);
    const shown = entry.datesOfBirth.join(' / ') || 'a listed date';
    if (verdict === 'match') {
      score = Math.min(1, score + 0.04);
      evidence.push(`date of birth matches (${shown})`);
    } else if (verdict === 'compatible') {
      evidence.push(`date of birth compatible (${shown})`);
    } else if (verdict === 'conflict') {
      score *= 0.6;
      evidence.push(`date of birth differs (listed ${shown})`);
    } else {
      evidence.push('no date of birth listed');
    }
  }
  if (given.country) {
    index.countries[at] ??= countriesOf(entry);
    const listed = index.countries[at] as Set<string>;
    if (listed.has(given.country)) {
      score = Math.min(1, score + 0.02);
      evidence.push(`country matches (${given.country})`);
    } else if (listed.size > 0) {
      score *= 0.92;
      evidence.push(`country differs (listed ${[...listed].join(', ')})`);
    }
  }
  return score;
}
