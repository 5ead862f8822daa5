import { recordAudit } from '../domain/audit.ts';
import { UserError } from '../domain/errors.ts';
import type { Actor, Db } from '../domain/tx.ts';
import type { Platform } from '../generated/prisma/enums.ts';
import type { ListCode } from '../sanctions/lists.ts';

/** The channel a digest is posted in. */
export type DigestChannel = { platform: Platform; workspaceId: string; channelId: string };

export type DigestSettings = {
  lists: ListCode[];
  programs: string[];
  time: string;
  timezone: string;
  postWhenEmpty: boolean;
};

/**
 * Subscribes a channel (or changes its subscription), audited in the same transaction. A new
 * subscription starts from now: its first digest covers the publications after the latest.
 */
export async function subscribeDigest(
  db: Db,
  actor: Actor,
  channel: DigestChannel,
  settings: DigestSettings,
) {
  const latest = await db.sanctionsPublication.findFirst({
    where: { status: 'applied' },
    orderBy: { id: 'desc' },
  });
  return db.$transaction(async (tx) => {
    const saved = await tx.digestSubscription.upsert({
      where: { platform_workspaceId_channelId: channel },
      create: {
        ...channel,
        ...settings,
        lastPublicationId: latest?.id ?? null,
        createdByMemberId: actor.memberId,
      },
      update: settings,
    });
    await recordAudit(tx, {
      actorMemberId: actor.memberId,
      action: 'digest.subscribe',
      entityType: 'digest_subscription',
      entityId: saved.id,
      after: saved,
    });
    return saved;
  });
}

/** Stops a channel's digest, audited. */
export async function unsubscribeDigest(db: Db, actor: Actor, channel: DigestChannel): Promise<void> {
  const existing = await digestSubscriptionOf(db, channel);
  if (!existing) throw new UserError('This channel has no digest.');
  await db.$transaction(async (tx) => {
    await tx.digestSubscription.delete({ where: { id: existing.id } });
    await recordAudit(tx, {
      actorMemberId: actor.memberId,
      action: 'digest.unsubscribe',
      entityType: 'digest_subscription',
      entityId: existing.id,
      before: existing,
    });
  });
}

export function digestSubscriptionOf(db: Db, channel: DigestChannel) {
  return db.digestSubscription.findUnique({ where: { platform_workspaceId_channelId: channel } });
}

export function digestSubscriptions(db: Db) {
  return db.digestSubscription.findMany({ orderBy: { id: 'asc' } });
}
