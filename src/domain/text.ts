/**
 * Member-typed text is normalized before it is stored or compared: Unicode NFC, no control
 * characters, and none of the invisible characters that make two names look alike or reorder
 * how a line displays (bidi overrides, zero-width joiners and spaces, BOM).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// Includes the Arabic letter mark (U+061C) and the Mongolian vowel separator (U+180E), also invisible.
const INVISIBLE = /[\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD]/g;

export function cleanMultiLine(text: string): string {
  return text.normalize('NFC').replace(/\r\n?/g, '\n').replace(CONTROL, '').replace(INVISIBLE, '').trim();
}

export function cleanSingleLine(text: string): string {
  return cleanMultiLine(text).replace(/\s+/g, ' ');
}
