import { randomBytes } from 'node:crypto';
import { sqlOf } from '../db/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { Invocation } from '../messages.ts';
import { UserError } from './errors.ts';
import { storedInvocation } from './stored.ts';
import type { Db } from './tx.ts';

/** Claims the delivery keyed $1: returns its row when this call claimed it, none when it was already. */
export const CLAIM_DELIVERY =
  'INSERT INTO delivery_receipt (key) VALUES ($1) ON CONFLICT (key) DO NOTHING RETURNING key';

/**
 * Records that a platform delivery (by its own id) is being handled. False when it was already:
 * the caller acknowledges a retried delivery without running it again.
 */
export async function claimDelivery(db: Db, key: string): Promise<boolean> {
  // Raw SQL, and a conflict answered in the statement: every request of a rush passes here, and
  // Prisma built a full error object for each retried delivery.
  const claimed = await sqlOf(db).query(CLAIM_DELIVERY, [key]);
  return claimed.length === 1;
}

export async function forgetDeliveriesBefore(db: Db, before: Date): Promise<number> {
  const { count } = await db.deliveryReceipt.deleteMany({ where: { createdAt: { lt: before } } });
  return count;
}

/** Keeps a button's command server-side when it is too long for the platform's button value. */
export async function storePendingAction(db: Db, invocation: Invocation): Promise<string> {
  const id = randomBytes(12).toString('base64url');
  await db.pendingAction.create({
    data: { id, invocation: JSON.parse(JSON.stringify(invocation)) as Prisma.InputJsonValue },
  });
  return id;
}

export async function loadPendingAction(db: Db, id: string): Promise<Invocation> {
  const row = await db.pendingAction.findUnique({ where: { id } });
  if (!row) throw new UserError('That button has expired; run the command again.');
  return storedInvocation(row.invocation);
}
