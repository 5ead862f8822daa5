import type { App } from '../app.ts';
import type { Platform } from '../generated/prisma/enums.ts';
import type { View } from '../messages.ts';
import { CasePublisher } from './case-publisher.ts';
import { OutboxWorker } from './outbox-worker.ts';
import { PollPublisher } from './poll-publisher.ts';

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

/** Every posting loop of one platform, started and stopped together. */
export function postingLoops(app: App, platform: ChatPlatform): PostingLoops {
  const loops = [
    new OutboxWorker(app, platform.name, async (row) => {
      await platform.post(row.channelId, row.view);
    }),
    new PollPublisher(app, platform.name, platform),
    new CasePublisher(app, platform.name, platform),
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
