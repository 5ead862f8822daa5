import damerauLevenshtein from 'talisman/metrics/damerau-levenshtein.js';
import talismanJaroWinkler from 'talisman/metrics/jaro-winkler.js';
import { describe, expect, it } from 'vitest';
import { jaroWinkler, withinOneEdit } from '../../src/sanctions/match/metrics.ts';

/** Words and near-words as lists spell them, with every kind of edit between them. */
const WORDS = [
  'prigozhin',
  'prigojine',
  'prigoschin',
  'yevgeniy',
  'evgeny',
  'jewgeni',
  'quanguo',
  'quangou',
  'hailun',
  'hai',
  'lun',
  'martha',
  'marhta',
  'dwayne',
  'duane',
  'dixon',
  'dicksonx',
  'a',
  'ab',
  'ba',
  'abc',
  'acb',
  'abcd',
  'abdc',
  'guzman',
  'guman',
  'holmes',
  'olmes',
  'mohammed',
  'muhammad',
  'mohamed',
  'alharbi',
  'harbi',
  'shoigu',
  'schoigu',
  'kadyrov',
  'kadyrova',
  'international',
  'internacional',
  'x',
  'xx',
  'zhu',
  'zhou',
  '',
  'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab',
];

describe('string metrics', () => {
  it('give what talisman gives, pair for pair', () => {
    for (const a of WORDS)
      for (const b of WORDS) {
        expect(jaroWinkler(a, b), `${a} / ${b}`).toBeCloseTo(
          a === '' && b === '' ? 1 : talismanJaroWinkler(a, b),
          12,
        );
        expect(withinOneEdit(a, b), `${a} / ${b}`).toBe(damerauLevenshtein(a, b) <= 1);
      }
  });
});
