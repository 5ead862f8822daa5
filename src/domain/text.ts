/**
 * Member-typed text is normalized before it is stored or compared: Unicode NFC, no control
 * characters, and none of the invisible characters that make two names look alike or reorder
 * how a line displays.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// Unicode's Default_Ignorable_Code_Point set: zero-width characters, bidi controls, the soft hyphen,
// tag characters (U+E0000-E007F), Hangul fillers, variation selectors and the like, which render as
// nothing; plus the braille blank (U+2800), which renders as a space but is not one.
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u2800]/gu;

export function cleanMultiLine(text: string): string {
  return text.normalize('NFC').replace(/\r\n?/g, '\n').replace(CONTROL, '').replace(INVISIBLE, '').trim();
}

export function cleanSingleLine(text: string): string {
  return cleanMultiLine(text).replace(/\s+/g, ' ');
}
