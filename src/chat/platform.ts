import type { App } from '../app.ts';
import type { Platform } from '../generated/prisma/enums.ts';
import type { View } from '../messages.ts';
import { CASE_TIMING, caseThreads } from './case-publisher.ts';
import { LeasedQueue, type QueueTiming } from './leased-queue.ts';
import { OUTBOX_TIMING, outboxDelivery } from './outbox-worker.ts';
import { POLL_TIMING, pollMessages } from './poll-publisher.ts';

/**
 * What the bot's own posts ask of a chat platform: the outbox, poll messages and case threads all
 * go through these three. Slack and Discord implement it in their adapters; the console answers
 * in place and posts nothing of its own.
 */
export interface ChatPlatform {
  readonly name: Platform;
  /**
   * Posts a view in a channel, or in a thread of it; a closed poll's result comes with its chart.
   * Only the member ids a notice names in `ping` may be notified. Answers the message's id.
   */
  post(channelId: string, view: View, threadId?: string): Promise<string>;
  edit(channelId: string, messageId: string, view: View): Promise<void>;
  /** Starts the thread under a message; answers the id that `post` takes as `threadId`. */
  startThread(channelId: string, messageId: string, name: string): Promise<string>;
}

export type PostingLoops = { start(): void; stop(): Promise<void> };

export type PostingTimings = { outbox: QueueTiming; polls: QueueTiming; cases: QueueTiming };

const TIMINGS: PostingTimings = { outbox: OUTBOX_TIMING, polls: POLL_TIMING, cases: CASE_TIMING };

/**
 * Every posting loop of one platform, each a leased queue, started and stopped together. `timings`
 * replaces the production pacing (tests shorten the poll edits' 3-second gap).
 */
export function postingLoops(
  app: App,
  platform: ChatPlatform,
  timings: Partial<PostingTimings> = {},
): PostingLoops {
  const timing = { ...TIMINGS, ...timings };
  const deliver = async (row: { channelId: string; view: View }) => {
    await platform.post(row.channelId, row.view);
  };
  const loops = [
    new LeasedQueue(app, platform.name, outboxDelivery(app, platform.name, deliver), timing.outbox),
    new LeasedQueue(app, platform.name, pollMessages(app, platform.name, platform), timing.polls),
    new LeasedQueue(app, platform.name, caseThreads(app, platform.name, platform), timing.cases),
  ];
  return {
    start() {
      for (const loop of loops) loop.start();
    },
    async stop() {
      for (const loop of loops) await loop.stop();
    },
  };
}
