import type { App } from '../app.ts';
import { alertAdmins } from '../domain/alerts.ts';
import { channelsFor } from '../domain/channels.ts';
import { dueMessages, markFailed, markSent, type OutboxRow } from '../domain/outbox.ts';
import type { Platform } from '../generated/prisma/enums.ts';
import type { LeasedWork, QueueTiming } from './leased-queue.ts';

/** Failed attempts (about 2.5 minutes of backoff) after which admins hear of a message stuck. */
export const DELIVERY_ALERT_AFTER = 5;

export const OUTBOX_TIMING: QueueTiming = { intervalMs: 2_000, leaseMs: 60_000 };

/**
 * Delivers one platform's queued messages, at once when a command queues one. A failed post is
 * retried with backoff and the message stays until it is delivered; after DELIVERY_ALERT_AFTER
 * failures the admins hear of it.
 */
export function outboxDelivery(
  app: App,
  platform: Platform,
  deliver: (row: OutboxRow) => Promise<void>,
): LeasedWork<OutboxRow> {
  const db = () => app.database.prisma;
  return {
    name: 'outbox delivery',
    due: (now) => dueMessages(db(), platform, now),
    async lease(row, now, until) {
      const leased = await db().outboxMessage.updateMany({
        where: { id: row.id, sentAt: null, nextAttemptAt: { lte: now } },
        data: { nextAttemptAt: until },
      });
      return leased.count > 0;
    },
    async work(row) {
      await deliver(row);
      await markSent(db(), row.id, app.now());
    },
    async failed(row, error, now) {
      const reason = error instanceof Error ? error.message : String(error);
      await markFailed(db(), row, reason, now);
      if (row.attempts + 1 === DELIVERY_ALERT_AFTER) await alertStuck(app, platform, row, reason);
    },
    describe: (row) => ({ outbox: String(row.id), attempts: row.attempts + 1 }),
  };
}

/** Tells admins, in the other admin channels, that a message keeps failing; it is still retried. */
async function alertStuck(app: App, platform: Platform, row: OutboxRow, reason: string): Promise<void> {
  const db = app.database.prisma;
  const channel = { platform: row.platform, workspaceId: row.workspaceId, channelId: row.channelId };
  const admin = await channelsFor(db, 'admin');
  // An alert that cannot be delivered is not itself alerted: two broken admin channels would ping-pong.
  if (admin.some((item) => item.platform === channel.platform && item.channelId === channel.channelId))
    return;
  const told = await alertAdmins(
    db,
    `Messages to ${row.platform} channel ${row.channelId} are failing`,
    [
      `A ${row.view.kind} message failed ${DELIVERY_ALERT_AFTER} times: ${reason.slice(0, 200)}`,
      'It is kept and retried (up to once an hour). Check that the bot is still in the channel and allowed to post there.',
    ],
    { except: channel },
  );
  app.logger.warn(
    { platform, outbox: String(row.id), adminChannels: told },
    'delivery keeps failing; admins alerted',
  );
  if (told) app.notifyOutbox();
}
