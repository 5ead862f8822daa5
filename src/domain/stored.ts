import { z } from 'zod';
import type { Invocation } from '../messages.ts';
import type { PollOutcome } from './polls/polls.ts';
import type { Ballot, Tally } from './polls/tally.ts';

/**
 * What the JSON columns hold, checked when read back: a row written by an older version, or
 * edited by hand, fails here with its column named instead of deep inside a tally or a dispatch.
 */

const optionIndex = z.number().int().min(0);

const ballotSchema: z.ZodType<Ballot> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('approval'), approved: z.array(optionIndex) }),
  z.object({ kind: z.literal('single'), choice: optionIndex }),
  z.object({ kind: z.literal('score'), scores: z.record(z.string(), z.number()) }),
  z.object({ kind: z.literal('ranked'), ranking: z.array(optionIndex) }),
]);

const tallySchema: z.ZodType<Tally> = z.object({
  method: z.enum(['approval', 'single', 'score', 'schulze', 'irv']),
  ballots: z.number().int(),
  ranking: z.array(optionIndex),
  ties: z.array(z.array(optionIndex)),
  scores: z.array(z.number()),
  explanation: z.array(z.string()),
});

const outcomeSchema: z.ZodType<PollOutcome> = z.object({
  tally: tallySchema,
  quorumMet: z.boolean(),
  quorumNote: z.string(),
  winners: z.array(optionIndex),
  organizations: z.number().int(),
  tieBreak: z.string(),
  prioritizedTargets: z.array(z.number().int()),
});

const invocationSchema: z.ZodType<Invocation> = z.object({
  command: z.string(),
  subcommand: z.string().optional(),
  options: z.record(z.string(), z.unknown()),
  text: z.string().optional(),
});

/** A stored value that is not what its column should hold. */
export class StoredValueError extends Error {
  override readonly name = 'StoredValueError';
}

export function reader<T>(schema: z.ZodType<T>, column: string): (value: unknown) => T {
  return (value) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success)
      throw new StoredValueError(
        `${column} holds an unreadable value: ${parsed.error.issues[0]?.message ?? ''}`,
      );
    return parsed.data;
  };
}

export const storedBallot = reader(ballotSchema, 'ballot.choices');
export const storedOutcome = reader(outcomeSchema, 'poll.outcome');
export const storedInvocation = reader(invocationSchema, 'pending_action.invocation');
