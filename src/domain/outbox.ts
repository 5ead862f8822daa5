import type { Prisma } from '../generated/prisma/client.ts';
import type { ChannelPurpose, Platform } from '../generated/prisma/enums.ts';
import type { View } from '../messages.ts';
import { retryDelay } from '../retry.ts';
import { channelsFor } from './channels.ts';
import type { Db, Tx } from './tx.ts';

export type OutboxRow = {
  id: bigint;
  platform: Platform;
  workspaceId: string;
  channelId: string;
  view: View;
  attempts: number;
};

/** Queues `view` for every channel set for `purpose`, inside the caller's transaction. */
export async function announce(
  tx: Tx,
  purpose: ChannelPurpose,
  view: View,
  except?: { platform: Platform; workspaceId: string; channelId: string },
): Promise<number> {
  const channels = (await channelsFor(tx, purpose)).filter(
    (channel) =>
      !except ||
      channel.platform !== except.platform ||
      channel.workspaceId !== except.workspaceId ||
      channel.channelId !== except.channelId,
  );
  return enqueue(tx, channels, view);
}

export async function enqueue(
  tx: Tx,
  channels: Array<{ platform: Platform; workspaceId: string; channelId: string }>,
  view: View,
): Promise<number> {
  if (channels.length === 0) return 0;
  const payload = JSON.parse(JSON.stringify(view)) as Prisma.InputJsonValue;
  await tx.outboxMessage.createMany({
    data: channels.map((channel) => ({
      platform: channel.platform,
      workspaceId: channel.workspaceId,
      channelId: channel.channelId,
      view: payload,
    })),
  });
  return channels.length;
}

export async function dueMessages(db: Db, platform: Platform, now: Date, limit = 20): Promise<OutboxRow[]> {
  const rows = await db.outboxMessage.findMany({
    where: { platform, sentAt: null, nextAttemptAt: { lte: now } },
    orderBy: { id: 'asc' },
    take: limit,
  });
  return rows.map((row) => ({ ...row, view: reviveView(row.view) }));
}

export async function markSent(db: Db, id: bigint, now: Date): Promise<void> {
  await db.outboxMessage.update({ where: { id }, data: { sentAt: now, lastError: null } });
}

/** Backs off exponentially from 5 seconds to an hour; the message is kept until it is delivered. */
export async function markFailed(db: Db, row: OutboxRow, error: string, now: Date): Promise<void> {
  const delay = retryDelay(row.attempts, 3_600_000);
  await db.outboxMessage.update({
    where: { id: row.id },
    data: {
      attempts: { increment: 1 },
      lastError: error.slice(0, 500),
      nextAttemptAt: new Date(now.getTime() + delay),
    },
  });
}

// Views are stored as JSON: dates come back as strings.
function reviveView(json: unknown): View {
  return JSON.parse(JSON.stringify(json), (key, value) =>
    /At$/.test(key) && typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value) ? new Date(value) : value,
  ) as View;
}
