import { z } from 'zod';
import { ballotForm, choiceOf, votesByForm } from '../src/chat/ballot-form.ts';
import { defineCommand } from '../src/chat/command.ts';
import { id, singleLine } from '../src/chat/fields.ts';
import { UserError } from '../src/domain/errors.ts';
import { parseBallot } from '../src/domain/polls/ballot-syntax.ts';
import { describeBallot, pollDetails } from '../src/domain/polls/details.ts';
import { type CastResult, castBallot, currentBallot, findPoll } from '../src/domain/polls/polls.ts';
import type { View } from '../src/messages.ts';

export default defineCommand({
  name: 'vote',
  description: 'Cast or change your ballot in a poll',
  permission: 'poll.vote',
  action: 'vote',
  options: z.object({
    poll: id('poll').describe('Poll number'),
    choice: singleLine('choice', 300)
      .optional()
      .describe('Your ballot: "3 1 2" ranked, "1 3" approval, "2" single, "1=5 2=3" score'),
    toggle: id('toggle').optional().describe('Approval polls: add or remove one option'),
  }),
  leading: 'poll',
  primary: 'choice',
  examples: [
    '/vote 3',
    '/vote 3 4>1>2',
    '/vote 3 4 1 2',
    '/vote poll:3 choice:"4 1 2"',
    '/vote poll:5 choice:"1 3"',
    '/vote poll:6 choice:"1=5 2=0 3=4"',
  ],
  async run(input, ctx) {
    const choice = input.choice;
    if (choice !== undefined && input.toggle === undefined)
      // A typed ballot is read inside the vote's transaction, once the poll's method is known.
      return counted(
        await castBallot(ctx.db, ctx.actor, input.poll, (method) => parseBallot(method, choice), ctx.now()),
      );
    const poll = await findPoll(ctx.db, input.poll);
    if (!poll) throw new UserError(`There is no poll ${input.poll}. /poll list shows the open ones.`);
    if (input.choice === undefined && input.toggle === undefined && votesByForm(poll)) {
      // /vote 3 alone, or the poll's Vote button: the ballot as a form, the member's own filled in.
      if (poll.status !== 'open') throw new UserError(`Poll ${poll.id} is closed.`);
      const mine = await currentBallot(ctx.db, ctx.actor, poll.id);
      return ballotForm(await pollDetails(ctx.db, poll.id), choiceOf(poll, mine));
    }
    if (input.toggle === undefined || input.choice !== undefined)
      throw new UserError('Give choice:... (or, on approval polls, toggle:<option>).');
    if (poll.method !== 'approval') throw new UserError('toggle: works on approval polls only.');
    const mine = await currentBallot(ctx.db, ctx.actor, poll.id);
    const approved = new Set(mine?.kind === 'approval' ? mine.approved : []);
    const option = input.toggle - 1;
    if (approved.has(option)) approved.delete(option);
    else approved.add(option);
    return counted(
      await castBallot(ctx.db, ctx.actor, poll.id, { kind: 'approval', approved: [...approved] }, ctx.now()),
    );
  },
});

function counted(result: CastResult): View {
  const whose = result.per === 'organization' ? `Your organization's ballot` : 'Your ballot';
  return {
    kind: 'notice',
    tone: 'success',
    title: `${whose} in poll ${result.pollId} is ${result.replaced ? 'updated' : 'counted'}`,
    lines: [
      result.question,
      `Ballot: ${describeBallot(result.ballot)}`,
      ...(result.per === 'organization' ? ['It replaces any earlier ballot from your organization.'] : []),
      'You can change it until the poll closes.',
    ],
    ephemeral: true,
  };
}
