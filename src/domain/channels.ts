import type { ChannelPurpose, Platform } from '../generated/prisma/enums.ts';
import { recordAudit } from './audit.ts';
import type { Actor, Db, Tx } from './tx.ts';

export const CHANNEL_PURPOSES = [
  'proposals',
  'polls',
  'cases',
  'admin',
] as const satisfies readonly ChannelPurpose[];

export type ChannelRef = { platform: Platform; workspaceId: string; channelId: string };

/** Makes `channel` the workspace's channel for `purpose`, replacing the previous one. */
export async function setChannel(db: Db, actor: Actor, channel: ChannelRef, purpose: ChannelPurpose) {
  return db.$transaction(async (tx) => {
    const key = { platform: channel.platform, workspaceId: channel.workspaceId, purpose };
    const before = await tx.channelSetting.findUnique({ where: { platform_workspaceId_purpose: key } });
    const after = await tx.channelSetting.upsert({
      where: { platform_workspaceId_purpose: key },
      create: { ...key, channelId: channel.channelId, setByMemberId: actor.memberId },
      update: { channelId: channel.channelId, setByMemberId: actor.memberId },
    });
    await recordAudit(tx, {
      actorMemberId: actor.memberId,
      action: 'channel.set',
      entityType: 'channel_setting',
      entityId: after.id,
      before,
      after,
    });
    return { before, after };
  });
}

export async function listChannels(db: Db) {
  return db.channelSetting.findMany({
    orderBy: [{ purpose: 'asc' }, { platform: 'asc' }, { workspaceId: 'asc' }],
  });
}

export async function channelsFor(tx: Tx | Db, purpose: ChannelPurpose) {
  return tx.channelSetting.findMany({ where: { purpose }, orderBy: { id: 'asc' } });
}
