import { loadPendingAction, storePendingAction } from '../domain/deliveries.ts';
import type { Db } from '../domain/tx.ts';
import type { CommandAction, Invocation, View } from '../messages.ts';

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

/**
 * The view with each button's command encoded for a platform's limit, stored server-side where it
 * is too long: done before rendering, so that renderers are pure functions of the view.
 */
export async function encodeActions<V extends View>(db: Db, view: V, maxLength: number): Promise<V> {
  if (!('actions' in view) || !view.actions?.length) return view;
  const actions = await Promise.all(
    view.actions.map(async (action) => ({
      ...action,
      value: await encodeAction(db, action.invocation, maxLength),
    })),
  );
  return { ...view, actions };
}

/** A button's value as `encodeActions` set it, or its command inline when that fits. */
export function actionValue(action: CommandAction, maxLength: number): string {
  if (action.value !== undefined) return action.value;
  const inline = JSON.stringify(action.invocation);
  if (inline.length > maxLength) throw new Error('a button command too long to carry: encode the view first');
  return inline;
}

export async function decodeAction(db: Db, value: string): Promise<Invocation> {
  if (value.startsWith(REFERENCE)) return loadPendingAction(db, value.slice(REFERENCE.length));
  const parsed = JSON.parse(value) as Invocation;
  if (typeof parsed?.command !== 'string' || typeof parsed.options !== 'object') {
    throw new Error('malformed button value');
  }
  return parsed;
}
