import type { App } from '../app.ts';
import { pollDetails } from '../domain/polls/details.ts';
import type { Platform } from '../generated/prisma/enums.ts';
import { retryDelay } from '../retry.ts';
import type { LeasedWork, QueueTiming } from './leased-queue.ts';
import type { ChatPlatform } from './platform.ts';
import { pollView } from './poll-view.ts';

export type PollPoster = Pick<ChatPlatform, 'post' | 'edit'>;

/** Passes at least 3 s apart: a burst of votes becomes one edit per message, well under rate limits. */
export const POLL_TIMING: QueueTiming = { intervalMs: 10_000, leaseMs: 30_000, minGapMs: 3_000 };

type PollPostRow = {
  id: number;
  pollId: number;
  channelId: string;
  messageId: string | null;
  attempts: number;
  poll: { version: number };
};

/**
 * Keeps each poll message up to date on one platform: posts it once, then edits it in place whenever
 * the poll's version moves (a ballot, the close).
 */
export function pollMessages(app: App, platform: Platform, poster: PollPoster): LeasedWork<PollPostRow> {
  const db = () => app.database.prisma;
  return {
    name: 'poll message',
    async due(now) {
      const posts = await db().pollPost.findMany({
        where: { platform, nextAttemptAt: { lte: now } },
        include: { poll: { select: { version: true } } },
        orderBy: { id: 'asc' },
      });
      return posts.filter((row) => row.messageId === null || row.renderedVersion < row.poll.version);
    },
    async lease(post, now, until) {
      const leased = await db().pollPost.updateMany({
        where: { id: post.id, nextAttemptAt: { lte: now } },
        data: { nextAttemptAt: until },
      });
      return leased.count > 0;
    },
    async work(post, now) {
      const version = post.poll.version;
      const view = pollView(await pollDetails(db(), post.pollId));
      if (post.messageId === null) {
        const messageId = await poster.post(post.channelId, view);
        await db().pollPost.update({
          where: { id: post.id },
          data: { messageId, renderedVersion: version, attempts: 0, nextAttemptAt: now },
        });
      } else {
        await poster.edit(post.channelId, post.messageId, view);
        await db().pollPost.update({
          where: { id: post.id },
          data: { renderedVersion: version, attempts: 0, nextAttemptAt: now },
        });
      }
    },
    async failed(post, _error, now) {
      await db().pollPost.update({
        where: { id: post.id },
        data: {
          attempts: { increment: 1 },
          nextAttemptAt: new Date(now.getTime() + retryDelay(post.attempts, 600_000)),
        },
      });
    },
    describe: (post) => ({ poll: post.pollId }),
  };
}
