import type { Invocation } from '../messages.ts';

/** Writes an invocation back as a command line, the way a member would type it. */
export function formatInvocation(invocation: Invocation): string {
  const parts = [`/${invocation.command}`];
  if (invocation.subcommand) parts.push(invocation.subcommand);
  for (const [key, value] of Object.entries(invocation.options)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    parts.push(`${key}:${quoteValue(formatValue(value))}`);
  }
  if (invocation.text) parts.push(invocation.text);
  return parts.join(' ');
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join('; ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

function quoteValue(value: string): string {
  if (value !== '' && !/[\s"“”„\\]/.test(value)) return value;
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}
