import type { ChatFile, ChatPlatform, FormRequest } from '../../src/chat/platform.ts';
import type { Platform } from '../../src/generated/prisma/enums.ts';
import type { View } from '../../src/messages.ts';

/** A member's turn on the fake platform: which one, and whether the answer was put off. */
export type FakeTurn = { id: string; deferred: boolean };

/**
 * A chat platform in memory: what the posting loops posted, edited, threaded and uploaded, and
 * how each member's turn was answered, in order.
 */
export class FakePlatform implements ChatPlatform<FakeTurn> {
  readonly posts: Array<{ channelId: string; view: View; threadId: string | undefined; id: string }> = [];
  readonly edits: Array<{ channelId: string; messageId: string; view: View }> = [];
  readonly threads: Array<{ channelId: string; messageId: string; name: string; id: string }> = [];
  readonly uploads: Array<{ channelId: string; files: ChatFile[]; threadId: string | undefined }> = [];
  /** Every step of every turn: deferred, answered (with the view) or a form opened. */
  readonly turns: Array<
    | { turn: string; step: 'defer' }
    | { turn: string; step: 'answer'; view: View; late: boolean }
    | { turn: string; step: 'form'; form: FormRequest }
  > = [];
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

  async upload(channelId: string, files: ChatFile[], threadId?: string): Promise<void> {
    this.uploads.push({ channelId, files, threadId });
  }

  async answer(turn: FakeTurn, view: View): Promise<void> {
    this.turns.push({ turn: turn.id, step: 'answer', view, late: turn.deferred });
  }

  async defer(turn: FakeTurn): Promise<void> {
    if (turn.deferred) throw new Error(`turn ${turn.id} deferred twice`);
    turn.deferred = true;
    this.turns.push({ turn: turn.id, step: 'defer' });
  }

  async openForm(turn: FakeTurn, form: FormRequest): Promise<void> {
    if (turn.deferred) throw new Error(`turn ${turn.id}: a form cannot open after the answer was put off`);
    this.turns.push({ turn: turn.id, step: 'form', form });
  }
}
