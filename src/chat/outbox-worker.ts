import type { App } from '../app.ts';
import { dueMessages, markFailed, markSent, type OutboxRow } from '../domain/outbox.ts';
import type { Platform } from '../generated/prisma/enums.ts';

/** How long a claimed message is reserved for this process before another may retry it. */
const LEASE_MS = 60_000;

/**
 * Delivers one platform's queued messages: on a timer, and at once when a command queues one.
 * Each message is leased before it is posted, so several replicas never post it twice at once;
 * a failed post is retried with backoff and the message stays until it is delivered.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly app: App,
    private readonly platform: Platform,
    private readonly deliver: (row: OutboxRow) => Promise<void>,
    private readonly intervalMs = 2_000,
  ) {
    this.unsubscribe = app.onOutbox(() => this.kick());
  }

  start(): void {
    this.timer = setInterval(() => this.kick(), this.intervalMs);
    this.timer.unref();
    this.kick();
  }

  /** Runs a delivery pass now, or right after the one in progress. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.kick();
      }
    });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe();
    await this.running;
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
