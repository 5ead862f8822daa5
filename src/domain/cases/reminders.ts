import { isoDate } from '../dates.ts';
import type { Db, Tx } from '../tx.ts';
import { ENDED } from './stages.ts';

/**
 * Pings the owners of quiet cases (no activity for `staleDays`) and of submissions unanswered
 * after `followUpDays`, in the case thread, at most once per period. A reminder is not activity.
 */
export async function remindCases(
  db: Db,
  now: Date,
  options: { staleDays: number; followUpDays: number },
): Promise<number[]> {
  const day = 86_400_000;
  const staleBefore = new Date(now.getTime() - options.staleDays * day);
  const followUpBefore = new Date(now.getTime() - options.followUpDays * day);
  const reminded: number[] = [];
  const ended = { notIn: [...ENDED] };
  /** Claims the reminder (so two replicas post it once) and posts it in the case thread. */
  const remind = (caseId: number, claim: (tx: Tx) => Promise<{ count: number }>, summary: string) =>
    db.$transaction(async (tx) => {
      if ((await claim(tx)).count === 0) return;
      const owners = await tx.caseMember.findMany({ where: { caseId, role: 'owner' } });
      await tx.caseEvent.create({
        data: { caseId, kind: 'reminder', summary, data: { ping: owners.map((owner) => owner.memberId) } },
      });
      reminded.push(caseId);
    });
  const notSince = (before: Date) => [{ remindedAt: null }, { remindedAt: { lt: before } }];
  const quiet = await db.case.findMany({
    where: { stage: ended, lastActivityAt: { lt: staleBefore }, OR: notSince(staleBefore) },
  });
  for (const item of quiet) {
    await remind(
      item.id,
      (tx) =>
        tx.case.updateMany({ where: { id: item.id, OR: notSince(staleBefore) }, data: { remindedAt: now } }),
      `No activity on this case for ${options.staleDays} days. Owners: a note, a move or a submission?`,
    );
  }
  const waiting = await db.caseSubmission.findMany({
    where: {
      answeredOn: null,
      submittedOn: { lt: followUpBefore },
      OR: notSince(followUpBefore),
      case: { stage: ended },
    },
  });
  for (const submission of waiting) {
    await remind(
      submission.caseId,
      (tx) =>
        tx.caseSubmission.updateMany({
          where: { id: submission.id, OR: notSince(followUpBefore) },
          data: { remindedAt: now },
        }),
      `${submission.jurisdiction} has not answered the submission of ${isoDate(submission.submittedOn)} after ${options.followUpDays} days: time to follow up (/case answer submission:${submission.id} when they do).`,
    );
  }
  return reminded;
}
