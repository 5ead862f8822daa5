import type { ChatPlatform } from '../../src/chat/platform.ts';
import type { Platform } from '../../src/generated/prisma/enums.ts';
import type { View } from '../../src/messages.ts';

/** A chat platform in memory: what the posting loops posted, edited and threaded, in order. */
export class FakePlatform implements ChatPlatform {
  readonly posts: Array<{ channelId: string; view: View; threadId: string | undefined; id: string }> = [];
  readonly edits: Array<{ channelId: string; messageId: string; view: View }> = [];
  readonly threads: Array<{ channelId: string; messageId: string; name: string; id: string }> = [];
  /** Posts to a channel still to fail, as a platform outage there would. */
  readonly failures = new Map<string, number>();
  private next = 1;

  constructor(readonly name: Platform = 'slack') {}

  async post(channelId: string, view: View, threadId?: string): Promise<string> {
    const failures = this.failures.get(channelId) ?? 0;
    if (failures > 0) {
      this.failures.set(channelId, failures - 1);
      throw new Error('platform unavailable');
    }
    const id = `m${this.next++}`;
    this.posts.push({ channelId, view, threadId, id });
    return id;
  }

  async edit(channelId: string, messageId: string, view: View): Promise<void> {
    this.edits.push({ channelId, messageId, view });
  }

  async startThread(channelId: string, messageId: string, name: string): Promise<string> {
    const id = `t${this.next++}`;
    this.threads.push({ channelId, messageId, name, id });
    return id;
  }
}
