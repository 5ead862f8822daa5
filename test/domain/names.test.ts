import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nameKey, nameKeys, normalizeName, normalizeUnicodeName } from '../../src/domain/names.ts';
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

  it('takes the ASCII shortcut only where it agrees with the Unicode path', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..." abcXYZ019'`-,.()/&_~\\t"), maxLength: 40 }),
        (name) => {
          expect(normalizeName(name)).toBe(normalizeUnicodeName(name));
        },
      ),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 40 }), (name) => {
        expect(normalizeName(name)).toBe(normalizeUnicodeName(name));
      }),
      { numRuns: 500 },
    );
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

  it('removes tag characters, Hangul fillers and the other default-ignorable code points', () => {
    expect(cleanSingleLine('Public Tar\u{E0041}get One')).toBe('Public Target One');
    expect(cleanSingleLine('\u115FPublic\u1160 Target\u3164 One\uFFA0\u{E007F}')).toBe('Public Target One');
    expect(cleanSingleLine('A\u034Fb\uFE0Fc\u2800')).toBe('Abc');
  });

  it('leaves no default-ignorable code point in any text (property)', () => {
    const ignorable = fc.constantFrom(
      ...[0x00ad, 0x034f, 0x061c, 0x115f, 0x1160, 0x17b4, 0x180b, 0x180e, 0x200b, 0x200d, 0x2060, 0x2064]
        .concat([
          0x3164, 0xfe00, 0xfe0f, 0xfeff, 0xffa0, 0x1bca0, 0x1d173, 0xe0000, 0xe0001, 0xe0041, 0xe007f,
        ])
        .concat([0xe0100, 0xe01ef, 0xe0fff])
        .map((code) => String.fromCodePoint(code)),
    );
    const text = fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 4 }), ignorable), {
      maxLength: 20,
    });
    fc.assert(
      fc.property(text, (parts) => {
        const cleaned = cleanSingleLine(parts.join(''));
        expect(cleaned).not.toMatch(/\p{Default_Ignorable_Code_Point}/u);
        expect(cleanSingleLine(cleaned)).toBe(cleaned);
      }),
    );
  });
});
