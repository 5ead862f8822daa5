import { z } from 'zod';
import { ballotForm, choiceOf, votesByForm } from '../src/chat/ballot-form.ts';
import { defineCommand } from '../src/chat/command.ts';
import { id, singleLine } from '../src/chat/fields.ts';
import { UserError } from '../src/domain/errors.ts';
import { parseBallot } from '../src/domain/polls/ballot-syntax.ts';
import { describeBallot, pollDetails } from '../src/domain/polls/details.ts';
import { castBallot, currentBallot, findPoll } from '../src/domain/polls/polls.ts';
import type { Ballot } from '../src/domain/polls/tally.ts';

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
    const poll = await findPoll(ctx.db, input.poll);
    if (!poll) throw new UserError(`There is no poll ${input.poll}. /poll list shows the open ones.`);
    if (input.choice === undefined && input.toggle === undefined && votesByForm(poll)) {
      // /vote 3 alone, or the poll's Vote button: the ballot as a form, the member's own filled in.
      if (poll.status !== 'open') throw new UserError(`Poll ${poll.id} is closed.`);
      const mine = await currentBallot(ctx.db, ctx.actor, poll.id);
      return ballotForm(await pollDetails(ctx.db, poll.id), choiceOf(poll, mine));
    }
    if ((input.choice === undefined) === (input.toggle === undefined))
      throw new UserError('Give choice:... (or, on approval polls, toggle:<option>).');
    let ballot: Ballot;
    if (input.toggle !== undefined) {
      if (poll.method !== 'approval') throw new UserError('toggle: works on approval polls only.');
      const mine = await currentBallot(ctx.db, ctx.actor, poll.id);
      const approved = new Set(mine?.kind === 'approval' ? mine.approved : []);
      const option = input.toggle - 1;
      if (approved.has(option)) approved.delete(option);
      else approved.add(option);
      ballot = { kind: 'approval', approved: [...approved] };
    } else {
      ballot = parseBallot(poll.method, input.choice ?? '');
    }
    const result = await castBallot(ctx.db, ctx.actor, poll.id, ballot, ctx.now());
    const whose = result.per === 'organization' ? `Your organization's ballot` : 'Your ballot';
    return {
      kind: 'notice',
      tone: 'success',
      title: `${whose} in poll ${poll.id} is ${result.replaced ? 'updated' : 'counted'}`,
      lines: [
        `${poll.question}`,
        `Ballot: ${describeBallot(result.ballot)}`,
        ...(result.per === 'organization' ? ['It replaces any earlier ballot from your organization.'] : []),
        'You can change it until the poll closes.',
      ],
      ephemeral: true,
    };
  },
});
