import { describe, expect, it } from 'vitest';
import { nameKey, nameKeys, normalizeName } from '../../src/domain/names.ts';
import { cleanMultiLine, cleanSingleLine } from '../../src/domain/text.ts';

describe('nameKey', () => {
  it.each([
    ['Chen Quanguo', 'CHEN, Quanguo'],
    ['Chen Quanguo', 'Quanguo Chén'],
    ['Ramzan Kadyrov', 'KADYROV, Ramzan'],
    ["Ch'en Ch'üan-kuo", 'Chen Chuan Kuo'],
    ['Đorđe Ðukić', 'DUKIC, Dorde'],
    ['Łukasz Straße', 'lukasz strasse'],
    ['Ahmad  al-Assad', 'AL ASSAD, Ahmad'],
  ])('treats %s and %s as one name', (a, b) => {
    expect(nameKey(a)).toBe(nameKey(b));
  });

  it.each([
    ['Chen Quanguo', 'Chen Mingguo'],
    ['Ahmad al-Assad', 'Ahmad Assad'],
  ])('keeps %s and %s apart', (a, b) => {
    expect(nameKey(a)).not.toBe(nameKey(b));
  });

  it('keeps non-Latin scripts, folding case', () => {
    expect(normalizeName('Рамзан КАДЫРОВ')).toBe('рамзан кадыров');
    expect(nameKey('陈全国')).toBe('陈全国');
  });

  it('gives distinct non-empty keys for a name and its aliases', () => {
    expect(nameKeys(['Chen Quanguo', 'Quanguo CHEN', '---', 'Chen Q.'])).toEqual(['chen quanguo', 'chen q']);
  });
});

describe('clean text', () => {
  it('removes bidi overrides, zero-width and control characters, and normalizes to NFC', () => {
    expect(cleanSingleLine('  A\u202Eb\u200Bc\u0007  d\n e ')).toBe('Abc d e');
    expect(cleanSingleLine('Cafe\u0301')).toBe('Café');
    expect(cleanSingleLine('\u2067Zhu\u2069 \u061CHailun\u180E\uFEFF')).toBe('Zhu Hailun');
    expect(cleanMultiLine('line one\r\nline two\u2066')).toBe('line one\nline two');
  });
});
