import type { App } from '../app.ts';
import { pollDetails } from '../domain/polls/details.ts';
import type { Platform } from '../generated/prisma/enums.ts';
import { backOff, type LeasedWork, leaseRow, type QueueTiming } from './leased-queue.ts';
import type { Poster } from './platform.ts';
import { pollView } from './poll-view.ts';

export type PollPoster = Pick<Poster, 'post' | 'edit'>;

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
    lease: (post, now, until) => leaseRow(db().pollPost, post.id, now, until),
    async work(post, now) {
      const view = pollView(await pollDetails(db(), post.pollId));
      let messageId = post.messageId;
      if (messageId === null) messageId = await poster.post(post.channelId, view);
      else await poster.edit(post.channelId, messageId, view);
      await db().pollPost.update({
        where: { id: post.id },
        data: { messageId, renderedVersion: post.poll.version, attempts: 0, nextAttemptAt: now },
      });
    },
    failed: (post, _error, now) => backOff(db().pollPost, post, now),
    describe: (post) => ({ poll: post.pollId }),
  };
}
