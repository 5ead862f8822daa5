import type { App } from '../app.ts';
import type { Platform } from '../generated/prisma/enums.ts';
import { retryDelay } from '../retry.ts';
import { Pump } from './pump.ts';

/**
 * One kind of posting work of a platform (queued messages, poll messages, case threads): rows that
 * need a post or an edit, each claimed for a while before it is worked, so several replicas never
 * work the same row at once, and a failure leaves the row due again after a backoff.
 */
export type LeasedWork<Item> = {
  /** For the logs: "outbox delivery", "poll message", "case thread". */
  readonly name: string;
  /** The rows due now, oldest first. */
  due(now: Date): Promise<Item[]>;
  /** Claims a row until `until` by a conditional update; false when another process holds it. */
  lease(item: Item, now: Date, until: Date): Promise<boolean>;
  /** Posts or edits, and records how far it got. */
  work(item: Item, now: Date): Promise<void>;
  /** Records a failed attempt and its backoff; the row stays queued. */
  failed(item: Item, error: unknown, now: Date): Promise<void>;
  /** Log fields naming the row (ids, counts), never its content. */
  describe(item: Item): Record<string, unknown>;
};

/**
 * A table of rows a platform keeps current (poll posts, case threads): each row carries its lease
 * and backoff in `next_attempt_at` and its failures in `attempts`.
 */
export type RetriedRows = {
  updateMany(args: {
    where: { id: number; nextAttemptAt: { lte: Date } };
    data: { nextAttemptAt: Date };
  }): PromiseLike<{ count: number }>;
  update(args: {
    where: { id: number };
    data: { attempts: { increment: number }; nextAttemptAt: Date };
  }): PromiseLike<unknown>;
};

/** Claims a row until `until` unless another process holds it (its next attempt is not yet due). */
export async function leaseRow(rows: RetriedRows, id: number, now: Date, until: Date): Promise<boolean> {
  const leased = await rows.updateMany({
    where: { id, nextAttemptAt: { lte: now } },
    data: { nextAttemptAt: until },
  });
  return leased.count > 0;
}

/** Counts a failed attempt and puts the row off by the backoff for its attempts so far (at most 10 minutes). */
export async function backOff(
  rows: RetriedRows,
  row: { id: number; attempts: number },
  now: Date,
): Promise<void> {
  await rows.update({
    where: { id: row.id },
    data: {
      attempts: { increment: 1 },
      nextAttemptAt: new Date(now.getTime() + retryDelay(row.attempts, 600_000)),
    },
  });
}

export type QueueTiming = {
  /** A pass at least this often, whether or not anything woke it. */
  intervalMs: number;
  /** How long a claimed row is this process's before another may take it. */
  leaseMs: number;
  /** Passes at least this far apart (poll edits: one per burst of ballots). */
  minGapMs?: number;
};

/**
 * The one loop behind every posting job: on a timer and whenever a change is committed (the app's
 * outbox signal), lists what is due, leases each row, works it, and records failures for a retry.
 * A pass that fails as a whole (the database away) is logged and the next one tries again.
 */
/** What the loop needs of the app: its clock, its logger and the signal that a change was committed. */
export type QueueHost = Pick<App, 'now' | 'logger' | 'onOutbox'>;

export class LeasedQueue<Item> {
  private readonly pump: Pump;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly app: QueueHost,
    private readonly platform: Platform,
    private readonly job: LeasedWork<Item>,
    private readonly timing: QueueTiming,
  ) {
    this.pump = new Pump(() => this.pass(), timing.intervalMs, timing.minGapMs);
  }

  start(): void {
    this.unsubscribe = this.app.onOutbox(() => void this.pump.kick());
    this.pump.start();
  }

  /** Runs a pass now (or when the gap allows), or right after the one in progress. */
  kick(): Promise<void> {
    return this.pump.kick();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.pump.stop();
  }

  private async pass(): Promise<void> {
    try {
      const now = this.app.now();
      for (const item of await this.job.due(now)) {
        if (!(await this.job.lease(item, now, new Date(now.getTime() + this.timing.leaseMs)))) continue;
        try {
          await this.job.work(item, now);
        } catch (error) {
          this.app.logger.warn(
            {
              platform: this.platform,
              ...this.job.describe(item),
              err: error instanceof Error ? error.message : String(error),
            },
            `${this.job.name} failed`,
          );
          await this.job.failed(item, error, this.app.now());
        }
      }
    } catch (error) {
      this.app.logger.error(
        { platform: this.platform, err: error instanceof Error ? error.message : String(error) },
        `${this.job.name} pass failed`,
      );
    }
  }
}
