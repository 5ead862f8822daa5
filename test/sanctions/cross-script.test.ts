import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { MATCH_THRESHOLD, nameSimilarity } from '../../src/sanctions/match/matcher.ts';
import { tokenize } from '../../src/sanctions/match/normalize.ts';

/**
 * moov-io/watchman's cross-script pairs (test/fixtures/watchman/, source noted in the file): a name
 * in Arabic, Cyrillic, Chinese, Korean, Japanese, Greek, Hebrew or Thai script and its usual Latin
 * spelling. Every pair is the same name; at our threshold we find at least 18 of the 22.
 */
async function pairs(): Promise<Array<{ query: string; expected: string; description: string }>> {
  const text = await readFile(
    new URL('../fixtures/watchman/cross_script_pairs.csv', import.meta.url),
    'utf8',
  );
  return text
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const [query, expected, , description] = line.split(',');
      return { query: query as string, expected: expected as string, description: description ?? '' };
    });
}

describe('cross-script pairs (watchman)', () => {
  it('match at our threshold for at least 18 of the 22, every Arabic, Cyrillic, Hangul, Greek and Hebrew one among them', async () => {
    const all = await pairs();
    expect(all).toHaveLength(22);
    const scored = all.map((pair) => ({
      ...pair,
      score: nameSimilarity(tokenize(pair.query), tokenize(pair.expected)),
    }));
    const passed = scored.filter((pair) => pair.score >= MATCH_THRESHOLD);
    expect(passed.length).toBeGreaterThanOrEqual(18);
    const failed = scored.filter((pair) => pair.score < MATCH_THRESHOLD).map((pair) => pair.query);
    // What is left: names in kanji or Chinese characters read the Japanese or Korean way.
    expect(
      failed.every((query) => /\p{Script=Han}/u.test(query)),
      failed.join(', '),
    ).toBe(true);
  });
});
