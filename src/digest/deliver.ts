import { isUniqueViolation } from '../domain/errors.ts';
import { enqueue } from '../domain/outbox.ts';
import type { Db } from '../domain/tx.ts';
import type { NoticeView } from '../messages.ts';
import { isListCode } from '../sanctions/lists.ts';
import { composeDigest } from './compose.ts';
import { digestSubscriptions } from './subscriptions.ts';

/** The date and HH:MM on the wall clock of `timezone` at `now`. */
export function localClock(now: Date, timezone: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '00';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/**
 * Sends each subscription its digest once per local day, at or after its time. The delivery row
 * (unique per subscription and day) and the digest's outbox messages are written in one
 * transaction: two replicas, or a restart, cannot send the same day twice.
 */
export async function deliverDueDigests(
  db: Db,
  now: Date,
): Promise<Array<{ subscriptionId: number; messages: number }>> {
  const subscriptions = await digestSubscriptions(db);
  const delivered: Array<{ subscriptionId: number; messages: number }> = [];
  for (const subscription of subscriptions) {
    const local = localClock(now, subscription.timezone);
    if (local.time < subscription.time) continue;
    const done = await db.digestDelivery.findUnique({
      where: { subscriptionId_period: { subscriptionId: subscription.id, period: local.date } },
    });
    if (done) continue;
    const digest = await composeDigest(db, {
      programs: subscription.programs,
      after: subscription.lastPublicationId,
      lists: subscription.lists.filter(isListCode),
      now,
    });
    const views =
      digest.views.length === 0 && subscription.postWhenEmpty
        ? [nothingNew(subscription.programs, digest.publications.length)]
        : digest.views;
    try {
      await db.$transaction(async (tx) => {
        await tx.digestDelivery.create({
          data: {
            subscriptionId: subscription.id,
            period: local.date,
            publications: digest.publications,
            messages: views.length,
          },
        });
        for (const view of views) {
          await enqueue(
            tx,
            [
              {
                platform: subscription.platform,
                workspaceId: subscription.workspaceId,
                channelId: subscription.channelId,
              },
            ],
            view,
          );
        }
        await tx.digestSubscription.update({
          where: { id: subscription.id },
          data: { lastPublicationId: digest.lastPublicationId },
        });
      });
      delivered.push({ subscriptionId: subscription.id, messages: views.length });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return delivered;
}

/** For channels that asked to hear "nothing new" (`/digest subscribe empty:post`). */
function nothingNew(programs: string[], publications: number): NoticeView {
  return {
    kind: 'notice',
    tone: 'info',
    title: 'OFAC sanctions digest: nothing new',
    lines: [
      publications
        ? `${publications} publication${publications === 1 ? '' : 's'} since the last digest, none touching ${programs.join(', ')}.`
        : `No followed list has published a change since the last digest (programs followed: ${programs.join(', ')}).`,
    ],
    ephemeral: false,
  };
}
