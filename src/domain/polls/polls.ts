import { createHmac, randomBytes } from 'node:crypto';
import { sqlOf } from '../../db/client.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { PollMethod, PollScope } from '../../generated/prisma/enums.ts';
import { recordAudit } from '../audit.ts';
import { channelsFor } from '../channels.ts';
import { ConflictError, NotFoundError, UserError } from '../errors.ts';
import { enqueue } from '../outbox.ts';
import { storedBallot } from '../stored.ts';
import { shownName } from '../targets.ts';
import type { Actor, Db } from '../tx.ts';
import { pollDetails } from './details.ts';
import { type Ballot, MAX_SCORE, type Tally, TIE_BREAK_RULE, tally } from './tally.ts';

export const POLL_METHODS = [
  'schulze',
  'irv',
  'approval',
  'single',
  'score',
] as const satisfies readonly PollMethod[];

export const METHOD_NAMES: Record<PollMethod, string> = {
  schulze: 'ranked (Schulze)',
  irv: 'ranked (instant-runoff)',
  approval: 'approval (pick any)',
  single: 'single choice',
  score: `score (0-${MAX_SCORE} per option)`,
};

/** What a poll's per-option number counts, in results and charts. */
export const SCORE_UNITS: Record<PollMethod, string> = {
  schulze: 'wins',
  irv: 'first choices',
  approval: 'votes',
  single: 'votes',
  score: 'points',
};

export type PollOptionInput = { label: string; targetId?: number };

export type PollInput = {
  question: string;
  options: PollOptionInput[];
  method: PollMethod;
  per: PollScope;
  hiddenResults: boolean;
  secret: boolean;
  quorumBallots?: number | undefined;
  quorumOrganizations?: number | undefined;
  seats: number;
  prioritize: boolean;
  closesAt: Date;
  remindAt?: Date | undefined;
  /** Where the poll was created; it is posted there and in every channel set for polls. */
  channel?: { platform: 'slack' | 'discord'; workspaceId: string; channelId: string } | undefined;
};

export const MAX_OPTIONS = 50;
/** Single-choice and approval polls have a button per option; platforms show at most 25 buttons. */
export const MAX_BUTTON_OPTIONS = 24;

export async function createPoll(db: Db, actor: Actor, input: PollInput, now: Date) {
  if (input.options.length < 2) throw new UserError('A poll needs at least two options.');
  if (input.options.length > MAX_OPTIONS)
    throw new UserError(`A poll can have at most ${MAX_OPTIONS} options.`);
  if (input.closesAt.getTime() <= now.getTime())
    throw new UserError('The closing time must be in the future.');
  if (input.seats >= input.options.length)
    throw new UserError('seats must be fewer than the number of options.');
  return db.$transaction(async (tx) => {
    const poll = await tx.poll.create({
      data: {
        question: input.question,
        method: input.method,
        per: input.per,
        hiddenResults: input.hiddenResults,
        secret: input.secret,
        voterSalt: input.secret ? randomBytes(32).toString('base64url') : null,
        quorumBallots: input.quorumBallots ?? null,
        quorumOrganizations: input.quorumOrganizations ?? null,
        seats: input.seats,
        prioritize: input.prioritize,
        closesAt: input.closesAt,
        remindAt: input.remindAt ?? null,
        createdByMemberId: actor.memberId,
        options: {
          create: input.options.map((option, position) => ({
            position,
            label: option.label,
            targetId: option.targetId ?? null,
          })),
        },
      },
      include: { options: true },
    });
    const places = await channelsFor(tx, 'polls');
    const posts = new Map<
      string,
      { platform: 'slack' | 'discord' | 'console'; workspaceId: string; channelId: string }
    >();
    for (const { platform, workspaceId, channelId } of [
      ...(input.channel ? [input.channel] : []),
      ...places,
    ]) {
      posts.set(`${platform}:${workspaceId}:${channelId}`, { platform, workspaceId, channelId });
    }
    if (posts.size > 0) {
      await tx.pollPost.createMany({
        data: [...posts.values()].map((place) => ({ pollId: poll.id, ...place })),
      });
    }
    const { voterSalt: _salt, ...recorded } = poll;
    await recordAudit(tx, {
      actorMemberId: actor.memberId,
      action: 'poll.create',
      entityType: 'poll',
      entityId: poll.id,
      after: recorded,
    });
    return poll;
  });
}

/** Resolves target ids and `status:` selections into options; free-text options keep their label. */
export async function targetOptions(db: Db, ids: number[], status: Prisma.TargetWhereInput['status']) {
  const wanted = await db.target.findMany({
    where: { OR: [...(ids.length ? [{ id: { in: ids } }] : []), ...(status ? [{ status }] : [])] },
    orderBy: { id: 'asc' },
    select: { id: true, primaryName: true, confidential: true, codename: true, status: true },
  });
  const missing = ids.filter((id) => !wanted.some((target) => target.id === id && target.status !== 'held'));
  if (missing.length) throw new NotFoundError(`There is no target ${missing.join(', ')}.`);
  return wanted.map((target) => ({ label: `#${target.id} ${shownName(target)}`, targetId: target.id }));
}

function voterKey(
  poll: { id: number; per: PollScope; secret: boolean; voterSalt: string | null },
  actor: Actor,
) {
  const voter =
    poll.per === 'organization' ? `organization:${actor.organizationId}` : `member:${actor.memberId}`;
  if (!poll.secret) return voter;
  if (!poll.voterSalt) throw new ConflictError('This poll is closed.');
  return `secret:${createHmac('sha256', poll.voterSalt).update(`${poll.id}:${voter}`).digest('base64url')}`;
}

/** Checks a ballot against the poll's method and options; returns it normalized. */
export function validateBallot(method: PollMethod, optionCount: number, ballot: Ballot): Ballot {
  const inRange = (option: number) => Number.isInteger(option) && option >= 0 && option < optionCount;
  const name = (option: number) => `option ${option + 1}`;
  const check = (options: number[]) => {
    const bad = options.find((option) => !inRange(option));
    if (bad !== undefined)
      throw new UserError(`This poll has options 1 to ${optionCount}; ${bad + 1} is not one of them.`);
    const seen = new Set<number>();
    for (const option of options) {
      if (seen.has(option)) throw new UserError(`${name(option)} appears twice; give each option once.`);
      seen.add(option);
    }
  };
  const expected = method === 'schulze' || method === 'irv' ? 'ranked' : method;
  if (ballot.kind !== expected) {
    throw new UserError(`This poll is ${METHOD_NAMES[method]}; vote with ${voteSyntax(method)}.`);
  }
  switch (ballot.kind) {
    case 'approval':
      check(ballot.approved);
      return { kind: 'approval', approved: [...ballot.approved].sort((a, b) => a - b) };
    case 'single':
      check([ballot.choice]);
      return ballot;
    case 'ranked':
      if (ballot.ranking.length === 0) throw new UserError('Rank at least one option.');
      check(ballot.ranking);
      return ballot;
    case 'score': {
      const options = Object.keys(ballot.scores).map(Number);
      check(options);
      for (const [option, score] of Object.entries(ballot.scores)) {
        if (!Number.isInteger(score) || score < 0 || score > MAX_SCORE) {
          throw new UserError(`Scores go from 0 to ${MAX_SCORE}; option ${Number(option) + 1} got ${score}.`);
        }
      }
      return ballot;
    }
  }
}

export function voteSyntax(method: PollMethod): string {
  switch (method) {
    case 'schulze':
    case 'irv':
      return 'choice:"3 1 2" (option numbers, most preferred first)';
    case 'approval':
      return 'choice:"1 3" (every option you approve)';
    case 'single':
      return 'choice:2 (one option number)';
    case 'score':
      return `choice:"1=5 2=3 3=0" (option=score, 0-${MAX_SCORE})`;
  }
}

export type CastResult = {
  replaced: boolean;
  pollId: number;
  question: string;
  ballot: Ballot;
  per: PollScope;
};

/**
 * Stores a member's ballot: one row per poll and voter (or organization) under a unique constraint,
 * written by upsert, so concurrent clicks, retried deliveries and two platforms at once can neither
 * lose nor double it. A later ballot replaces the earlier one; the audit says who cast each.
 */
export async function castBallot(
  db: Db,
  actor: Actor,
  pollId: number,
  /** The ballot, or how to read it once the poll's method is known (a typed choice). */
  ballot: Ballot | ((method: PollMethod) => Ballot),
  now: Date,
): Promise<CastResult> {
  // Raw SQL on the same database: through a vote rush, Prisma's own work on each of these
  // statements (compiling, serializing, reading back whole rows) was most of a ballot's cost.
  return sqlOf(db).transaction(async (tx) => {
    const [poll] = await tx.query<BallotPoll>(
      `SELECT p.id, p.question, p.method::text AS method, p.per::text AS per, p.secret,
              p.voter_salt AS "voterSalt", p.status::text AS status, p.closes_at AS "closesAt",
              (SELECT count(*)::int FROM poll_option o WHERE o.poll_id = p.id) AS options
       FROM poll p WHERE p.id = $1`,
      [pollId],
    );
    checkOpen(poll, pollId, now);
    const given = typeof ballot === 'function' ? ballot(poll.method) : ballot;
    const valid = validateBallot(poll.method, poll.options, given);
    const key = voterKey(poll, actor);
    const at = now.toISOString();
    // One statement writes the ballot and tells whether it replaced one (xmax is 0 on an insert).
    const [written] = await tx.query<{ inserted: boolean }>(
      `INSERT INTO ballot (poll_id, voter_key, choices, cast_by_member_id, updated_at)
       VALUES ($1, $2, $3::jsonb, $4, $5::timestamptz)
       ON CONFLICT (poll_id, voter_key)
       DO UPDATE SET choices = EXCLUDED.choices, cast_by_member_id = EXCLUDED.cast_by_member_id,
                     updated_at = EXCLUDED.updated_at
       RETURNING (xmax = 0) AS inserted`,
      [pollId, key, JSON.stringify(valid), poll.secret ? null : actor.memberId, at],
    );
    const existing = written?.inserted === false;
    const audit = {
      per: poll.per,
      ...(poll.per === 'organization' ? { organizationId: actor.organizationId } : {}),
      // A secret ballot's content is never written next to its voter, not even in the audit.
      ...(poll.secret ? {} : { ballot: valid }),
    };
    // The voter, the audit row and the poll's version in one statement, the last before COMMIT:
    // every ballot of a poll bumps the same row, and its lock is held from here to COMMIT.
    await tx.query(
      `WITH voter AS (
         INSERT INTO poll_voter (poll_id, member_id, organization_id, first_voted_at, last_voted_at)
         VALUES ($1, $2, $3, $4::timestamptz, $4::timestamptz)
         ON CONFLICT (poll_id, member_id) DO UPDATE SET last_voted_at = EXCLUDED.last_voted_at
       ), audit AS (
         INSERT INTO audit_log (actor_member_id, action, entity_type, entity_id, after)
         VALUES ($2, $5, 'poll', $6, $7::jsonb)
       )
       UPDATE poll SET version = version + 1 WHERE id = $1`,
      [
        pollId,
        actor.memberId,
        actor.organizationId,
        at,
        existing ? 'poll.ballot-replaced' : 'poll.ballot-cast',
        String(pollId),
        JSON.stringify(audit),
      ],
    );
    return { replaced: existing, pollId, question: poll.question, ballot: valid, per: poll.per };
  });
}

/** What a ballot needs of its poll. */
type BallotPoll = {
  id: number;
  question: string;
  method: PollMethod;
  per: PollScope;
  secret: boolean;
  voterSalt: string | null;
  status: string;
  closesAt: Date;
  options: number;
};

function checkOpen<Poll extends { status: string; closesAt: Date }>(
  poll: Poll | undefined,
  pollId: number,
  now: Date,
): asserts poll is Poll {
  if (!poll) throw new NotFoundError(`There is no poll ${pollId}. /poll list shows the open ones.`);
  if (poll.status === 'closed' || poll.closesAt.getTime() <= now.getTime()) {
    throw new ConflictError(`Poll ${pollId} is closed; ballots can no longer be changed.`);
  }
}

/** The member's (or their organization's) current ballot, for "your ballot" confirmations. */
export async function currentBallot(db: Db, actor: Actor, pollId: number): Promise<Ballot | null> {
  const poll = await findPoll(db, pollId);
  if (!poll || poll.status === 'closed') return null;
  const row = await db.ballot.findUnique({
    where: { pollId_voterKey: { pollId, voterKey: voterKey(poll, actor) } },
  });
  return row ? storedBallot(row.choices) : null;
}

export type PollOutcome = {
  tally: Tally;
  quorumMet: boolean;
  quorumNote: string;
  winners: number[];
  organizations: number;
  tieBreak: string;
  prioritizedTargets: number[];
};

/**
 * Closes a poll: counts, checks quorum, records the outcome, erases the secret-ballot key, moves the
 * winners' targets to `prioritized` when the poll asked for it, and announces the result.
 */
export async function closePoll(db: Db, pollId: number, now: Date, actor: Actor | null) {
  return db.$transaction(async (tx) => {
    const poll = await tx.poll.findUnique({
      where: { id: pollId },
      include: { options: { orderBy: { position: 'asc' } } },
    });
    if (!poll) throw new NotFoundError(`There is no poll ${pollId}.`);
    if (poll.status === 'closed') throw new ConflictError(`Poll ${pollId} is already closed.`);
    const ballots = await tx.ballot.findMany({ where: { pollId }, orderBy: { id: 'asc' } });
    const organizations = (await tx.pollVoter.groupBy({ by: ['organizationId'], where: { pollId } })).length;
    const result = tally(
      poll.method,
      poll.options.length,
      ballots.map((row) => storedBallot(row.choices)),
    );
    const shortOf = [
      ...(poll.quorumBallots && ballots.length < poll.quorumBallots
        ? [`${ballots.length} of ${poll.quorumBallots} ballots`]
        : []),
      ...(poll.quorumOrganizations && organizations < poll.quorumOrganizations
        ? [`${organizations} of ${poll.quorumOrganizations} organizations`]
        : []),
    ];
    const quorumMet = shortOf.length === 0 && ballots.length > 0;
    const winners = quorumMet ? result.ranking.slice(0, poll.seats) : [];
    const prioritizedTargets: number[] = [];
    if (quorumMet && poll.prioritize) {
      for (const index of winners) {
        const targetId = poll.options[index]?.targetId;
        if (!targetId) continue;
        const target = await tx.target.findUnique({ where: { id: targetId } });
        if (target?.status !== 'proposed') continue;
        await tx.target.update({ where: { id: targetId }, data: { status: 'prioritized' } });
        await recordAudit(tx, {
          actorMemberId: actor?.memberId ?? null,
          action: 'target.prioritize',
          entityType: 'target',
          entityId: targetId,
          before: { status: 'proposed' },
          after: { status: 'prioritized', poll: pollId },
        });
        prioritizedTargets.push(targetId);
      }
    }
    const outcome: PollOutcome = {
      tally: result,
      quorumMet,
      quorumNote:
        ballots.length === 0
          ? 'No ballots were cast.'
          : shortOf.length
            ? `Quorum not met: ${shortOf.join(', ')}.`
            : 'Quorum met.',
      winners,
      organizations,
      tieBreak: TIE_BREAK_RULE,
      prioritizedTargets,
    };
    await tx.poll.update({
      where: { id: pollId },
      data: {
        status: 'closed',
        closedAt: now,
        voterSalt: null,
        outcome: outcome as unknown as Prisma.InputJsonValue,
        version: { increment: 1 },
      },
    });
    await recordAudit(tx, {
      actorMemberId: actor?.memberId ?? null,
      action: actor ? 'poll.close' : 'poll.close-scheduled',
      entityType: 'poll',
      entityId: pollId,
      after: { winners, quorumMet, ballots: ballots.length, organizations },
    });
    // The result goes, as a new message, everywhere the poll was posted; the poll messages themselves
    // are re-rendered (closed, with the result) by the publisher because the version changed.
    const posts = await tx.pollPost.findMany({ where: { pollId } });
    await enqueue(tx, posts, {
      kind: 'poll',
      poll: await pollDetails(tx, pollId),
      actions: [],
      ephemeral: false,
      headline: 'Poll closed',
    });
    return outcome;
  });
}

export function findPoll(db: Db, pollId: number) {
  return db.poll.findUnique({ where: { id: pollId } });
}

/** The open polls, the first to close first. */
export function openPolls(db: Db, limit = 25) {
  return db.poll.findMany({ where: { status: 'open' }, orderBy: { closesAt: 'asc' }, take: limit });
}
