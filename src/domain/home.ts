import { can } from './authorization.ts';
import { listCases } from './cases/details.ts';
import { stageLabel } from './cases/stages.ts';
import { isoDate } from './dates.ts';
import { shownName, statusLabel } from './targets.ts';
import type { Actor, Db } from './tx.ts';

/**
 * What a member's home shows (Slack's App Home): their open cases with the next deadline first,
 * the open polls they (or, for a poll per organization, their organization) have not voted in, the
 * possible designations waiting for a coordinator, and the targets they proposed. Names are as
 * anyone may read them: a confidential target by its codename (`/target` reveals it, audited).
 */
export type HomeSummary = {
  cases: Array<{ id: number; title: string; stage: string; dueOn: string | null }>;
  polls: Array<{ id: number; question: string; closesAt: Date; forOrganization: boolean }>;
  /** null: the member may not confirm designations. */
  designations: Array<{
    matchId: number;
    targetId: number;
    target: string;
    listed: string;
    list: string;
  }> | null;
  targets: Array<{ id: number; name: string; status: string }>;
};

const SHOWN = 10;

export async function homeSummary(db: Db, actor: Actor, now: Date): Promise<HomeSummary> {
  const [cases, polls, voted, targets] = await Promise.all([
    listCases(db, { memberId: actor.memberId, open: true }),
    db.poll.findMany({
      where: { status: 'open', closesAt: { gt: now } },
      orderBy: { closesAt: 'asc' },
      select: { id: true, question: true, closesAt: true, per: true },
    }),
    db.pollVoter.findMany({
      where: {
        poll: { status: 'open' },
        OR: [{ memberId: actor.memberId }, { organizationId: actor.organizationId }],
      },
      select: { pollId: true, memberId: true },
    }),
    db.target.findMany({
      where: { proposedByMemberId: actor.memberId, status: { not: 'dropped' } },
      orderBy: { id: 'desc' },
      take: SHOWN,
      select: { id: true, primaryName: true, confidential: true, codename: true, status: true },
    }),
  ]);
  const mine = new Set(voted.filter((row) => row.memberId === actor.memberId).map((row) => row.pollId));
  const ours = new Set(voted.map((row) => row.pollId));
  const designations = can(actor.role, 'case.confirm')
    ? (
        await db.sanctionsMatch.findMany({
          where: { status: 'pending', kind: 'designation' },
          orderBy: { id: 'asc' },
          take: SHOWN,
          include: { target: { select: { primaryName: true, confidential: true, codename: true } } },
        })
      ).map((match) => ({
        matchId: match.id,
        targetId: match.targetId,
        target: shownName(match.target),
        // The listed name would tell who a confidential codename stands for.
        listed: match.target.confidential ? 'a listed entry' : match.listedName,
        list: match.list,
      }))
    : null;
  return {
    cases: cases.slice(0, SHOWN).map((row) => ({
      id: row.id,
      title: row.title,
      stage: stageLabel(row.stage),
      dueOn: isoDate(row.dueOn),
    })),
    polls: polls
      .filter((poll) => !(poll.per === 'organization' ? ours.has(poll.id) : mine.has(poll.id)))
      .slice(0, SHOWN)
      .map((poll) => ({
        id: poll.id,
        question: poll.question,
        closesAt: poll.closesAt,
        forOrganization: poll.per === 'organization',
      })),
    designations,
    targets: targets.map((target) => ({
      id: target.id,
      name: shownName(target),
      status: statusLabel(target.status),
    })),
  };
}
