import type { PollMethod, PollScope } from '../../generated/prisma/enums.ts';
import { NotFoundError } from '../errors.ts';
import { storedBallot, storedOutcome } from '../stored.ts';
import type { Db, Tx } from '../tx.ts';
import type { PollOutcome } from './polls.ts';
import { METHOD_NAMES, voteSyntax } from './polls.ts';
import { type Ballot, tally } from './tally.ts';

/** A poll as every view shows it: plain data, counts only when they may be shown. */
export type PollDetails = {
  id: number;
  question: string;
  method: PollMethod;
  methodName: string;
  per: PollScope;
  secret: boolean;
  hiddenResults: boolean;
  status: 'open' | 'closed';
  closesAt: Date;
  seats: number;
  quorum: string | null;
  options: Array<{ number: number; label: string; targetId: number | null }>;
  ballots: number;
  organizations: number;
  /** Live (or final) totals per option and the order they give; null while hidden. */
  standing: { scores: number[]; ranking: number[] } | null;
  secrecy: string;
  voteSyntax: string;
  outcome: PollOutcome | null;
  /** Open ballots, after close: who voted what. */
  openBallots: Array<{ voter: string; ballot: string }> | null;
};

export function secrecyStatement(secret: boolean, per: PollScope): string {
  const unit =
    per === 'organization'
      ? 'one ballot per organization (a later ballot from the same organization replaces the earlier one)'
      : 'one ballot per member';
  return secret
    ? `Secret ballot, ${unit}. The bot stores who voted apart from what they voted; no one in chat, coordinators and admins included, can see who voted for what. Until the poll closes, a person with direct access to the database could link a voter to a ballot; at close the linking key is erased, and after that no one can.`
    : `Open ballot, ${unit}. While the poll is open no one in chat sees individual ballots; after it closes, everyone who can see the poll sees who voted for what. Database administrators can see ballots at any time.`;
}

export function describeBallot(ballot: Ballot): string {
  switch (ballot.kind) {
    case 'approval':
      return ballot.approved.map((option) => option + 1).join(', ') || '(none)';
    case 'single':
      return String(ballot.choice + 1);
    case 'ranked':
      return ballot.ranking.map((option) => option + 1).join(' > ');
    case 'score':
      return Object.entries(ballot.scores)
        .map(([option, score]) => `${Number(option) + 1}=${score}`)
        .join(' ');
  }
}

export async function pollDetails(db: Db | Tx, pollId: number): Promise<PollDetails> {
  const poll = await db.poll.findUnique({
    where: { id: pollId },
    include: { options: { orderBy: { position: 'asc' } } },
  });
  if (!poll) throw new NotFoundError(`There is no poll ${pollId}. /poll list shows the open ones.`);
  const rows = await db.ballot.findMany({ where: { pollId }, orderBy: { id: 'asc' } });
  const organizations = (await db.pollVoter.groupBy({ by: ['organizationId'], where: { pollId } })).length;
  const outcome = poll.outcome === null ? null : storedOutcome(poll.outcome);
  const visible = poll.status === 'closed' || !poll.hiddenResults;
  const live =
    visible && !outcome
      ? tally(
          poll.method,
          poll.options.length,
          rows.map((row) => storedBallot(row.choices)),
        )
      : null;
  const standing = outcome
    ? { scores: outcome.tally.scores, ranking: outcome.tally.ranking }
    : live
      ? { scores: live.scores, ranking: live.ranking }
      : null;
  let openBallots: PollDetails['openBallots'] = null;
  if (poll.status === 'closed' && !poll.secret) {
    const voters = await db.member.findMany({
      where: { id: { in: rows.flatMap((row) => (row.castByMemberId ? [row.castByMemberId] : [])) } },
      include: { organization: { select: { name: true } } },
    });
    const name = new Map(
      voters.map((member) => [
        member.id,
        poll.per === 'organization'
          ? `${member.organization.name} (cast by ${member.displayName})`
          : `${member.displayName} (${member.organization.name})`,
      ]),
    );
    openBallots = rows.map((row) => ({
      voter: name.get(row.castByMemberId ?? -1) ?? 'unknown',
      ballot: describeBallot(storedBallot(row.choices)),
    }));
  }
  const quorum = [
    ...(poll.quorumBallots ? [`${poll.quorumBallots} ballots`] : []),
    ...(poll.quorumOrganizations ? [`${poll.quorumOrganizations} organizations`] : []),
  ];
  return {
    id: poll.id,
    question: poll.question,
    method: poll.method,
    methodName: METHOD_NAMES[poll.method],
    per: poll.per,
    secret: poll.secret,
    hiddenResults: poll.hiddenResults,
    status: poll.status,
    closesAt: poll.closesAt,
    seats: poll.seats,
    quorum: quorum.length ? quorum.join(' and ') : null,
    options: poll.options.map((option) => ({
      number: option.position + 1,
      label: option.label,
      targetId: option.targetId,
    })),
    ballots: rows.length,
    organizations,
    standing,
    secrecy: secrecyStatement(poll.secret, poll.per),
    voteSyntax: voteSyntax(poll.method),
    outcome,
    openBallots,
  };
}
