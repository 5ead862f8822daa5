import type { Prisma } from '../generated/prisma/client.ts';
import type { Tx } from './tx.ts';

export type AuditEntry = {
  actorMemberId: number | null;
  action: string;
  entityType: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
};

/** Appends one audit row. Call it inside the transaction that makes the change it records. */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      actorMemberId: entry.actorMemberId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: String(entry.entityId),
      before: toJson(entry.before),
      after: toJson(entry.after),
    },
  });
}

function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  // Round-trip through JSON so Dates become ISO strings and undefined fields disappear.
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}
