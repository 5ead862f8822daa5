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
