/**
 * One CSV cell: quoted when it must be, and a leading = + - @ prefixed with ' so a spreadsheet
 * shows member text instead of running it as a formula. Objects are written as JSON.
 */
export function csvCell(value: unknown): string {
  const text =
    value === null || value === undefined
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
