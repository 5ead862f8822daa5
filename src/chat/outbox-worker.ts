import type { App } from '../app.ts';
import { alertAdmins } from '../domain/alerts.ts';
import { channelsFor } from '../domain/channels.ts';
import { dueMessages, markFailed, markSent, type OutboxRow } from '../domain/outbox.ts';
import type { Platform } from '../generated/prisma/enums.ts';
import { Pump } from './pump.ts';

/** How long a claimed message is reserved for this process before another may retry it. */
const LEASE_MS = 60_000;
/** Failed attempts (about 2.5 minutes of backoff) after which admins hear of a message stuck. */
export const DELIVERY_ALERT_AFTER = 5;

/**
 * Delivers one platform's queued messages: on a timer, and at once when a command queues one.
 * Each message is leased before it is posted, so several replicas never post it twice at once;
 * a failed post is retried with backoff and the message stays until it is delivered.
 */
export class OutboxWorker {
  private readonly pump: Pump;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly app: App,
    private readonly platform: Platform,
    private readonly deliver: (row: OutboxRow) => Promise<void>,
    intervalMs = 2_000,
  ) {
    this.pump = new Pump(() => this.pass(), intervalMs);
    this.unsubscribe = app.onOutbox(() => void this.pump.kick());
  }

  start(): void {
    this.pump.start();
  }

  /** Runs a delivery pass now, or right after the one in progress. */
  kick(): Promise<void> {
    return this.pump.kick();
  }

  async stop(): Promise<void> {
    this.unsubscribe();
    await this.pump.stop();
  }

  /** Tells admins, in the other admin channels, that a message keeps failing; it is still retried. */
  private async alert(row: OutboxRow, reason: string): Promise<void> {
    const db = this.app.database.prisma;
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
    this.app.logger.warn(
      { platform: this.platform, outbox: String(row.id), adminChannels: told },
      'delivery keeps failing; admins alerted',
    );
    if (told) this.app.notifyOutbox();
  }

  private async pass(): Promise<void> {
    const db = this.app.database.prisma;
    try {
      const now = this.app.now();
      for (const row of await dueMessages(db, this.platform, now)) {
        const lease = await db.outboxMessage.updateMany({
          where: { id: row.id, sentAt: null, nextAttemptAt: { lte: now } },
          data: { nextAttemptAt: new Date(now.getTime() + LEASE_MS) },
        });
        if (lease.count === 0) continue;
        try {
          await this.deliver(row);
          await markSent(db, row.id, this.app.now());
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          this.app.logger.warn(
            { platform: this.platform, outbox: String(row.id), attempts: row.attempts + 1 },
            'delivery failed',
          );
          await markFailed(db, row, reason, this.app.now());
          if (row.attempts + 1 === DELIVERY_ALERT_AFTER) await this.alert(row, reason);
        }
      }
    } catch (error) {
      this.app.logger.error(
        { platform: this.platform, err: error instanceof Error ? error.message : String(error) },
        'outbox pass failed',
      );
    }
  }
}
