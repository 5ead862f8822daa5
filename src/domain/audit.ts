import type { Prisma } from '../generated/prisma/client.ts';
import type { Db, Tx } from './tx.ts';

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
  // createMany: the row is not read back (create would return it, on every audited change).
  await tx.auditLog.createMany({
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

export type AuditFilter = {
  /** Actions starting with this ("case.", "command.refused"). */
  action?: string | undefined;
  entity?: string | undefined;
  memberId?: number | undefined;
  since?: Date | undefined;
};

function auditWhere(filter: AuditFilter): Prisma.AuditLogWhereInput {
  return {
    ...(filter.action ? { action: { startsWith: filter.action } } : {}),
    ...(filter.entity ? { entityType: filter.entity } : {}),
    ...(filter.memberId ? { actorMemberId: filter.memberId } : {}),
    ...(filter.since ? { createdAt: { gte: filter.since } } : {}),
  };
}

/** One page of the audit log, newest first, with how many rows match in all. */
export async function auditPage(db: Db, filter: AuditFilter, page: { number: number; size: number }) {
  const where = auditWhere(filter);
  const [total, rows] = await Promise.all([
    db.auditLog.count({ where }),
    db.auditLog.findMany({
      where,
      orderBy: { id: 'desc' },
      skip: (page.number - 1) * page.size,
      take: page.size,
      include: { actor: true },
    }),
  ]);
  return { total, rows };
}

/** The matching audit rows oldest first, for an export (at most `limit`). */
export function auditRows(db: Db, filter: AuditFilter, limit = 50_000) {
  return db.auditLog.findMany({
    where: auditWhere(filter),
    orderBy: { id: 'asc' },
    take: limit,
    include: { actor: true },
  });
}
