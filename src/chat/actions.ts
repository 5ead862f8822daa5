import { loadPendingAction, storePendingAction } from '../domain/deliveries.ts';
import type { Db } from '../domain/tx.ts';
import type { Invocation } from '../messages.ts';

const REFERENCE = 'ref:';

/**
 * A button carries the command it runs. Most fit in the button's value (Slack allows 2000
 * characters, Discord 100); longer ones, such as a proposal's full text, are kept server-side.
 */
export async function encodeAction(db: Db, invocation: Invocation, maxLength: number): Promise<string> {
  const inline = JSON.stringify(invocation);
  if (inline.length <= maxLength) return inline;
  return `${REFERENCE}${await storePendingAction(db, invocation)}`;
}

export async function decodeAction(db: Db, value: string): Promise<Invocation> {
  if (value.startsWith(REFERENCE)) return loadPendingAction(db, value.slice(REFERENCE.length));
  const parsed = JSON.parse(value) as Invocation;
  if (typeof parsed?.command !== 'string' || typeof parsed.options !== 'object') {
    throw new Error('malformed button value');
  }
  return parsed;
}
