import { isRealDay } from '../domain/dates.ts';
import { UserError } from '../domain/errors.ts';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "90m", "12h", "3d", "2w" (or combinations such as "1d12h") as milliseconds. */
export function parseDuration(text: string, label: string): number {
  const value = text.trim().toLowerCase();
  const parts = [...value.matchAll(/(\d+)\s*([mhdw])/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== value.replace(/\s+/g, '')) {
    throw new UserError(`${label}: give a duration like 90m, 12h, 3d or 2w.`);
  }
  return parts.reduce((total, part) => total + Number(part[1]) * (UNITS[part[2] ?? 'm'] ?? 0), 0);
}

/**
 * An exact moment: ISO 8601 with a time zone offset or Z (2026-12-01T17:00+01:00, 2026-12-01T16:00Z).
 * A time without a zone is refused: a coalition spans time zones, and a guess would be wrong for someone.
 */
export function parseMoment(text: string, label: string): Date {
  const value = text.trim().replace(' ', 'T');
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?(\.\d+)?(Z|[+-]\d\d:?\d\d)$/i.test(value)) {
    throw new UserError(
      `${label}: give a date and time with a time zone, like 2026-12-01T17:00+01:00 or 2026-12-01T16:00Z.`,
    );
  }
  const moment = new Date(value);
  if (Number.isNaN(moment.getTime()) || !isRealDay(value))
    throw new UserError(`${label}: ${text} is not a real date and time.`);
  return moment;
}
