/**
 * Jaro-Winkler and "within one edit", as talisman computes them (test/sanctions/metrics.test.ts
 * holds them to talisman's results), without allocating: the matcher calls them millions of times
 * when every list is resolved against the others.
 */

let flags = new Uint8Array(64);
let matchedAt = new Int32Array(64);

/** Jaro similarity: matches within half the longer length, less half the transpositions. */
function jaro(a: string, b: string): number {
  if (a === b) return 1;
  const [min, max] = a.length > b.length ? [b, a] : [a, b];
  if (max.length > flags.length) {
    flags = new Uint8Array(max.length * 2);
    matchedAt = new Int32Array(max.length * 2);
  }
  flags.fill(0, 0, max.length);
  const range = Math.max(((max.length / 2) | 0) - 1, 0);
  let matches = 0;
  for (let i = 0; i < min.length; i++) {
    matchedAt[i] = -1;
    const code = min.charCodeAt(i);
    const end = Math.min(i + range + 1, max.length);
    for (let j = Math.max(i - range, 0); j < end; j++) {
      if (flags[j] === 0 && code === max.charCodeAt(j)) {
        flags[j] = 1;
        matchedAt[i] = j;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  // The matched characters of each string in their own order, compared pairwise.
  let transpositions = 0;
  let j = 0;
  for (let i = 0; i < min.length; i++) {
    if (matchedAt[i] === -1) continue;
    while (flags[j] === 0) j++;
    if (min.charCodeAt(i) !== max.charCodeAt(j)) transpositions++;
    j++;
  }
  const t = (transpositions / 2) | 0;
  return (matches / a.length + matches / b.length + (matches - t) / matches) / 3;
}

/** Jaro-Winkler: Jaro boosted by a common prefix of up to four characters when above 0.7. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const similarity = jaro(a, b);
  if (similarity < 0.7) return similarity;
  const limit = Math.min(a.length, b.length, 4);
  let prefix = 0;
  while (prefix < limit && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return similarity + prefix * 0.1 * (1 - similarity);
}

/** Whether one insertion, deletion, substitution or swap of neighbours turns one into the other. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (long.length - short.length > 1) return false;
  let start = 0;
  while (start < short.length && short.charCodeAt(start) === long.charCodeAt(start)) start++;
  if (short.length === long.length) {
    // One substitution, or two neighbours swapped.
    if (short.slice(start + 1) === long.slice(start + 1)) return true;
    return (
      short.charCodeAt(start) === long.charCodeAt(start + 1) &&
      short.charCodeAt(start + 1) === long.charCodeAt(start) &&
      short.slice(start + 2) === long.slice(start + 2)
    );
  }
  return short.slice(start) === long.slice(start + 1);
}
