import { z } from 'zod';
import { defineCommand, defineGroup } from '../src/chat/command.ts';
import { choice, id, list, singleLine, yesNo } from '../src/chat/fields.ts';
import { pollCsv, pollView } from '../src/chat/poll-view.ts';
import { parseDuration, parseMoment } from '../src/chat/time.ts';
import { UserError } from '../src/domain/errors.ts';
import { describeBallot, pollDetails } from '../src/domain/polls/details.ts';
import {
  closePoll,
  createPoll,
  currentBallot,
  openPolls,
  POLL_METHODS,
  type PollOptionInput,
  targetOptions,
} from '../src/domain/polls/polls.ts';
import { statusToDb, TARGET_STATUSES } from '../src/domain/targets.ts';

const MAX_OPEN_DAYS = 90;

const create = defineCommand({
  name: 'create',
  description: 'Start a prioritization poll',
  permission: 'poll.create',
  action: 'start polls',
  options: z.object({
    question: singleLine('question', 300).describe('What the coalition decides'),
    targets: list('targets', id('target'), { separator: /[\s,;]+/, max: 50 })
      .default([])
      .describe('Target numbers as options, e.g. 3,7,12'),
    status: choice('status', TARGET_STATUSES)
      .optional()
      .describe('Every target with this status as an option'),
    choices: list('choices', singleLine('choice', 120), { separator: /;/, max: 50 })
      .default([])
      .describe('Free-text options, separated by ;'),
    method: choice('method', POLL_METHODS)
      .default('schulze')
      .describe('schulze (ranked, default), irv, approval, single or score'),
    closes: singleLine('closes', 40)
      .optional()
      .describe('Closing time with a time zone, e.g. 2026-12-01T17:00+01:00'),
    in: singleLine('in', 20).optional().describe('Or: how long it stays open, e.g. 3d, 12h'),
    per: choice('per', ['member', 'organization'] as const)
      .default('member')
      .describe('member, or organization: one ballot per organization'),
    results: choice('results', ['live', 'hidden'] as const)
      .default('live')
      .describe('live, or hidden until close'),
    ballot: choice('ballot', ['open', 'secret'] as const)
      .default('open')
      .describe('open (who voted what is shown after close) or secret'),
    quorum: id('quorum').optional().describe('Minimum number of ballots'),
    quorum_orgs: id('quorum_orgs').optional().describe('Minimum number of organizations voting'),
    seats: id('seats').default(1).describe('How many options win (default 1)'),
    prioritize: yesNo('prioritize')
      .default(false)
      .describe("yes: at close, the winners' targets become prioritized"),
    remind: singleLine('remind', 20)
      .optional()
      .describe('Remind those who have not voted this long before close, e.g. 1d'),
  }),
  primary: 'question',
  examples: [
    '/poll create question:"Q1 priorities" status:proposed in:3d per:organization prioritize:yes seats:2',
    '/poll create "Which dossier first?" targets:3,7,12 method:irv closes:2026-12-01T17:00+01:00',
    '/poll create "Next campaign" choices:"Xinjiang; Nicaragua; Belarus" method:approval in:2d ballot:secret',
  ],
  async run(input, ctx) {
    const now = ctx.now();
    if ((input.closes === undefined) === (input.in === undefined)) {
      throw new UserError(
        'Give the closing time either as closes:<date and time with zone> or as in:<duration>, one of them.',
      );
    }
    const closesAt = input.closes
      ? parseMoment(input.closes, 'closes')
      : new Date(now.getTime() + parseDuration(input.in ?? '', 'in'));
    if (closesAt.getTime() - now.getTime() > MAX_OPEN_DAYS * 86_400_000) {
      throw new UserError(`A poll can stay open at most ${MAX_OPEN_DAYS} days.`);
    }
    const remindAt = input.remind
      ? new Date(closesAt.getTime() - parseDuration(input.remind, 'remind'))
      : undefined;
    if (remindAt && remindAt.getTime() <= now.getTime())
      throw new UserError('remind: that is already past; choose a shorter time before close.');
    const options: PollOptionInput[] = [
      ...(input.targets.length || input.status
        ? await targetOptions(ctx.db, input.targets, input.status ? statusToDb(input.status) : undefined)
        : []),
      ...input.choices.map((label) => ({ label })),
    ];
    const poll = await createPoll(
      ctx.db,
      ctx.actor,
      {
        question: input.question,
        options,
        method: input.method,
        per: input.per,
        hiddenResults: input.results === 'hidden',
        secret: input.ballot === 'secret',
        quorumBallots: input.quorum,
        quorumOrganizations: input.quorum_orgs,
        seats: input.seats,
        prioritize: input.prioritize,
        closesAt,
        remindAt,
        channel:
          ctx.channel && ctx.platform !== 'console' ? { platform: ctx.platform, ...ctx.channel } : undefined,
      },
      now,
    );
    return pollView(await pollDetails(ctx.db, poll.id), {
      headline: `Poll ${poll.id} created; it is posted in this channel and the polls channels.`,
      ephemeral: true,
    });
  },
});

const show = defineCommand({
  name: 'show',
  description: 'Show a poll, how to vote in it, and your ballot',
  permission: 'poll.view',
  action: 'see polls',
  options: z.object({ id: id('id').describe('Poll number') }),
  primary: 'id',
  examples: ['/poll show 3'],
  async run(input, ctx) {
    const details = await pollDetails(ctx.db, input.id);
    const mine = await currentBallot(ctx.db, ctx.actor, input.id);
    return pollView(details, {
      ephemeral: true,
      ...(mine ? { yourBallot: describeBallot(mine) } : {}),
    });
  },
});

const list_ = defineCommand({
  name: 'list',
  description: 'List open polls',
  permission: 'poll.view',
  action: 'see polls',
  options: z.object({}),
  examples: ['/poll list'],
  async run(_input, ctx) {
    const polls = await openPolls(ctx.db);
    return {
      kind: 'notice',
      tone: 'info',
      title: polls.length ? 'Open polls' : 'No open polls',
      lines: polls.map(
        (poll) =>
          `Poll ${poll.id}: ${poll.question} (closes ${poll.closesAt.toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
      ),
      ephemeral: true,
      actions: polls.slice(0, 5).map((poll) => ({
        label: `Poll ${poll.id}`,
        invocation: { command: 'poll', subcommand: 'show', options: { id: poll.id } },
      })),
    };
  },
});

const close = defineCommand({
  name: 'close',
  description: 'Close a poll now and post the result',
  permission: 'poll.close',
  action: 'close polls',
  options: z.object({ id: id('id').describe('Poll number') }),
  primary: 'id',
  examples: ['/poll close 3'],
  async run(input, ctx) {
    await closePoll(ctx.db, input.id, ctx.now(), ctx.actor);
    return pollView(await pollDetails(ctx.db, input.id), {
      headline: `Poll ${input.id} closed`,
      ephemeral: true,
    });
  },
});

const exportPoll = defineCommand({
  name: 'export',
  description: 'The tally (and open ballots, after close) as CSV',
  permission: 'poll.export',
  action: 'export polls',
  options: z.object({ id: id('id').describe('Poll number') }),
  primary: 'id',
  examples: ['/poll export 3'],
  async run(input, ctx) {
    const details = await pollDetails(ctx.db, input.id);
    if (!details.standing) throw new UserError('The results of this poll are hidden until it closes.');
    return {
      kind: 'file',
      title: `Poll ${details.id}: ${details.question}`,
      filename: `poll-${details.id}.csv`,
      content: pollCsv(details),
    };
  },
});

export default defineGroup({
  name: 'poll',
  description: 'Prioritization polls',
  subcommands: [create, show, list_, close, exportPoll],
});
