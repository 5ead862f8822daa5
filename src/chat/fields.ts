import { z } from 'zod';
import { isRealDay } from '../domain/dates.ts';
import { cleanMultiLine, cleanSingleLine } from '../domain/text.ts';

/**
 * Option builders shared by every command schema. Values arrive as strings from the console and
 * Slack, and typed from Discord; each builder accepts both and gives a message a member can act on.
 */

export function singleLine(label: string, max: number) {
  return z
    .string({ error: `${label} must be text.` })
    .transform(cleanSingleLine)
    .pipe(
      z.string().min(1, `${label} cannot be empty.`).max(max, `${label} can be at most ${max} characters.`),
    );
}

export function multiLine(label: string, max: number) {
  return z
    .string({ error: `${label} must be text.` })
    .transform(cleanMultiLine)
    .pipe(
      z.string().min(1, `${label} cannot be empty.`).max(max, `${label} can be at most ${max} characters.`),
    );
}

export function slug(label: string) {
  return z
    .string({ error: `${label} must be text.` })
    .trim()
    .toLowerCase()
    .pipe(
      z
        .string()
        .regex(
          /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/,
          `${label} must be 1-40 lower-case letters, digits or dashes, like "hrw" or "open-society".`,
        ),
    );
}

export function id(label: string) {
  return z.preprocess(
    (value) =>
      typeof value === 'string' && /^\s*#?\d+\s*$/.test(value) ? Number(value.replace('#', '')) : value,
    z
      .number({ error: `${label} must be a number, like 12.` })
      .int(`${label} must be a whole number.`)
      .positive(`${label} must be a positive number.`)
      .max(2_147_483_647, `${label} is too large.`),
  );
}

export function page() {
  return id('page').default(1);
}

export function choice<const T extends readonly [string, ...string[]]>(label: string, values: T) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
    z.enum(values, { error: `${label} must be one of: ${values.join(', ')}.` }),
  );
}

export function yesNo(label: string) {
  return z.preprocess(
    (value) => {
      if (typeof value !== 'string') return value;
      const word = value.trim().toLowerCase();
      if (['yes', 'y', 'true', '1'].includes(word)) return true;
      if (['no', 'n', 'false', '0'].includes(word)) return false;
      return value;
    },
    z.boolean({ error: `${label} must be yes or no.` }),
  );
}

/** A list given as one string split on `separator`, or as an array; blanks are dropped. */
export function list<T extends z.ZodType>(
  label: string,
  item: T,
  options: { separator: RegExp; max: number },
) {
  return z.preprocess(
    (value) => {
      const parts = typeof value === 'string' ? value.split(options.separator) : value;
      return Array.isArray(parts)
        ? parts.filter((part) => !(typeof part === 'string' && part.trim() === ''))
        : parts;
    },
    z
      .array(item, { error: `${label} must be a list.` })
      .max(options.max, `${label} can have at most ${options.max} entries.`),
  );
}

const ALLOWED_URL = /^https:\/\/[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$/i;

/** Evidence and other links: https only, no credentials, so a link cannot hide where it goes. */
export function httpsUrl(label: string) {
  return z
    .string({ error: `${label} must be a link.` })
    .trim()
    .max(2000, `${label} can be at most 2000 characters.`)
    .refine((value) => ALLOWED_URL.test(value) && isPlainHttpsUrl(value), {
      message: `${label} must be a full https:// link, like https://example.org/report.`,
    });
}

function isPlainHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** A calendar day typed as YYYY-MM-DD, as midnight UTC. */
export function day(label: string) {
  return z
    .string({ error: `${label} must be a date like 2026-12-01.` })
    .trim()
    .regex(/^\d{4}-\d\d-\d\d$/, `${label} must be a date like 2026-12-01.`)
    .refine(isRealDay, { error: (issue) => `${label}: ${String(issue.input)} is not a real date.` })
    .transform((value) => new Date(`${value}T00:00:00Z`));
}
