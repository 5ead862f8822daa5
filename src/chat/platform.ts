import type { App } from '../app.ts';
import type { Platform } from '../generated/prisma/enums.ts';
import type { BallotFormView, View } from '../messages.ts';
import { CASE_TIMING, caseThreads } from './case-publisher.ts';
import { LeasedQueue, type QueueTiming } from './leased-queue.ts';
import { OUTBOX_TIMING, outboxDelivery } from './outbox-worker.ts';
import { POLL_TIMING, pollMessages } from './poll-publisher.ts';

/** A file the bot sends: an export, a poll's chart, a whole digest. */
export type ChatFile = { filename: string; title: string; data: Buffer; contentType: string };

/** The files a view brings: an export and its images, a poll's chart, a whole digest. */
export function filesOf(view: View, chart?: { png: Buffer; filename: string } | null): ChatFile[] {
  const text = (filename: string, title: string, content: string, contentType: string): ChatFile => ({
    filename,
    title,
    data: Buffer.from(content, 'utf8'),
    contentType,
  });
  if (view.kind === 'file')
    return [
      text(view.filename, view.title, view.content, 'text/plain'),
      ...(view.images ?? []).map((image) => ({
        filename: image.filename,
        title: image.filename,
        data: Buffer.from(image.base64, 'base64'),
        contentType: 'image/png',
      })),
    ];
  if (view.kind === 'digest' && view.attachment)
    return [text(view.attachment.filename, view.title, view.attachment.content, 'text/markdown')];
  return chart
    ? [{ filename: chart.filename, title: 'Poll result', data: chart.png, contentType: 'image/png' }]
    : [];
}

/**
 * A form the bot opens for a member: the propose form (filled in when it comes back for a fix), or
 * a ranked or score poll's ballot.
 */
export type FormRequest =
  | { form: 'propose'; values?: Record<string, string> }
  | { form: 'ballot'; view: BallotFormView };

/** What a member's command or button comes to: nothing (a retried delivery), a form, or an answer. */
export type Outcome =
  | { kind: 'ignore' }
  | { kind: 'form'; form: FormRequest }
  | { kind: 'answer'; view: View };

/**
 * One chat platform as the bot uses it. The first four serve the bot's own posts (the outbox, poll
 * messages, case threads); the last three answer a member who acted, through `Turn`, the
 * platform's handle on that command, button or form (Slack's acknowledgement and response_url, a
 * Discord interaction). Slack, Discord and the console implement it; FakePlatform serves tests.
 */
export interface ChatPlatform<Turn = never> {
  readonly name: Platform;
  /**
   * Posts a view in a channel, or in a thread of it; a closed poll's result comes with its chart.
   * Only the member ids a notice names in `ping` may be notified. Answers the message's id.
   */
  post(channelId: string, view: View, threadId?: string): Promise<string>;
  edit(channelId: string, messageId: string, view: View): Promise<void>;
  /** Starts the thread under a message; answers the id that `post` takes as `threadId`. */
  startThread(channelId: string, messageId: string, name: string): Promise<string>;
  /** Sends files into a channel (a direct message channel too), in a thread when given. */
  upload(channelId: string, files: ChatFile[], threadId?: string): Promise<void>;
  /**
   * Answers the member who acted: only to them when the view is private, in the channel
   * otherwise; an export as a file only they get. Before `defer`, inside the platform's window.
   */
  answer(turn: Turn, view: View): Promise<void>;
  /** Tells the platform the answer follows (an empty acknowledgement; a deferred, private reply). */
  defer(turn: Turn): Promise<void>;
  /** Opens a form for the member who acted (only before `defer` on Discord). */
  openForm(turn: Turn, form: FormRequest): Promise<void>;
}

/** What the posting loops need of a platform: its own posts, no member's turn. */
export type Poster = Pick<ChatPlatform, 'name' | 'post' | 'edit' | 'startThread'>;

/**
 * Answers a member's turn in time: the answer itself when the work is done within `budgetMs`,
 * otherwise an acknowledgement at once and the answer when it is ready. Slack and Discord both
 * give 3 seconds; the budget keeps a rush's acknowledgements well inside them.
 */
export async function answerInTime<Turn>(
  platform: Pick<ChatPlatform<Turn>, 'answer' | 'defer' | 'openForm'>,
  turn: Turn,
  work: Promise<Outcome>,
  budgetMs: number,
): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, budgetMs, undefined);
  });
  const quick = await Promise.race([work, late]).finally(() => clearTimeout(timer));
  if (quick === undefined) await platform.defer(turn);
  const outcome = quick ?? (await work);
  if (outcome.kind === 'form') await platform.openForm(turn, outcome.form);
  else if (outcome.kind === 'answer') await platform.answer(turn, outcome.view);
  return outcome;
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
  platform: Poster,
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
