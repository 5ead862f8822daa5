/** The UTC calendar day of an instant, as YYYY-MM-DD (null stays null). */
export function isoDate(date: Date): string;
export function isoDate(date: Date | null): string | null;
export function isoDate(date: Date | null): string | null {
  return date ? date.toISOString().slice(0, 10) : null;
}

/** Midnight UTC of the day of `date`: how calendar days (due dates, submissions) are stored. */
export function startOfDay(date: Date): Date {
  return new Date(`${isoDate(date)}T00:00:00Z`);
}

/**
 * Whether YYYY-MM-DD names a day that exists. JavaScript's Date rolls 2026-02-31 over to March 3
 * without complaint, so the parsed day is compared with what was typed.
 */
export function isRealDay(text: string): boolean {
  const match = /^(\d{4})-(\d\d)-(\d\d)/.exec(text);
  if (!match) return false;
  const [, year, month, dayOfMonth] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, dayOfMonth));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === dayOfMonth
  );
}
