import type { App } from '../app.ts';
import { pollDetails } from '../domain/polls/details.ts';
import type { Platform } from '../generated/prisma/enums.ts';
import { retryDelay } from '../retry.ts';
import type { ChatPlatform } from './platform.ts';
import { pollView } from './poll-view.ts';

export type PollPoster = Pick<ChatPlatform, 'post' | 'edit'>;

const LEASE_MS = 30_000;

/**
 * Keeps each poll message up to date on one platform: posts it once, then edits it in place whenever
 * the poll's version moves (a ballot, the close). Passes run at most once per `intervalMs`, so a
 * burst of votes becomes one edit per message, well under the platforms' rate limits.
 */
export class PollPublisher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastPass = 0;
  private interval: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly app: App,
    private readonly platform: Platform,
    private readonly poster: PollPoster,
    private readonly intervalMs = 3_000,
  ) {
    this.unsubscribe = app.onOutbox(() => this.kick());
  }

  start(): void {
    this.interval = setInterval(() => this.kick(), Math.max(this.intervalMs, 10_000));
    this.interval.unref();
    this.kick();
  }

  /** Schedules a pass, no sooner than `intervalMs` after the previous one. */
  kick(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastPass + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastPass = Date.now();
      this.running = this.pass().finally(() => {
        this.running = undefined;
      });
    }, wait);
  }

  async flush(): Promise<void> {
    await this.running;
    await this.pass();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    if (this.interval) clearInterval(this.interval);
    this.unsubscribe();
    await this.running;
  }

  private async pass(): Promise<void> {
    const db = this.app.database.prisma;
    try {
      const now = this.app.now();
      const posts = await db.pollPost.findMany({
        where: { platform: this.platform, nextAttemptAt: { lte: now } },
        include: { poll: { select: { version: true } } },
        orderBy: { id: 'asc' },
      });
      for (const post of posts.filter(
        (row) => row.messageId === null || row.renderedVersion < row.poll.version,
      )) {
        const lease = await db.pollPost.updateMany({
          where: { id: post.id, nextAttemptAt: { lte: now } },
          data: { nextAttemptAt: new Date(now.getTime() + LEASE_MS) },
        });
        if (lease.count === 0) continue;
        const version = post.poll.version;
        try {
          const view = pollView(await pollDetails(db, post.pollId));
          if (post.messageId === null) {
            const messageId = await this.poster.post(post.channelId, view);
            await db.pollPost.update({
              where: { id: post.id },
              data: { messageId, renderedVersion: version, attempts: 0, nextAttemptAt: now },
            });
          } else {
            await this.poster.edit(post.channelId, post.messageId, view);
            await db.pollPost.update({
              where: { id: post.id },
              data: { renderedVersion: version, attempts: 0, nextAttemptAt: now },
            });
          }
        } catch (error) {
          const delay = retryDelay(post.attempts, 600_000);
          this.app.logger.warn(
            {
              platform: this.platform,
              poll: post.pollId,
              err: error instanceof Error ? error.message : String(error),
            },
            'poll message update failed',
          );
          await db.pollPost.update({
            where: { id: post.id },
            data: { attempts: { increment: 1 }, nextAttemptAt: new Date(now.getTime() + delay) },
          });
        }
      }
    } catch (error) {
      this.app.logger.error(
        { platform: this.platform, err: error instanceof Error ? error.message : String(error) },
        'poll publishing failed',
      );
    }
  }
}
