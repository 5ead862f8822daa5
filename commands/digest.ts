import { z } from 'zod';
import { type CommandContext, defineCommand, defineGroup } from '../src/chat/command.ts';
import { choice, list, singleLine } from '../src/chat/fields.ts';
import { composeDigest } from '../src/digest/compose.ts';
import {
  type DigestChannel,
  digestSubscriptionOf,
  digestSubscriptions,
  subscribeDigest,
  unsubscribeDigest,
} from '../src/digest/subscriptions.ts';
import { UserError } from '../src/domain/errors.ts';
import { isListCode, jurisdictionLabel, LIST_CODES, type ListCode } from '../src/sanctions/lists.ts';
import { canonicalProgramTag } from '../src/sanctions/programs.ts';
import { currentRegimes, isTheme, THEMES } from '../src/sanctions/regimes.ts';

/** The channel a command runs in, as digests are keyed. */
function channelOf(ctx: CommandContext, channel: NonNullable<CommandContext['channel']>): DigestChannel {
  return { platform: ctx.platform, workspaceId: channel.workspaceId, channelId: channel.channelId };
}

const subscribe = defineCommand({
  name: 'subscribe',
  description: 'Post a daily digest of new designations (OFAC, UK, Canada, Australia, EU) in this channel',
  permission: 'digest.manage',
  action: 'manage digests',
  options: z.object({
    lists: list('lists', choice('list', LIST_CODES as [ListCode, ...ListCode[]]), {
      separator: /[,;\s]+/,
      max: 5,
    })
      .default([])
      .describe('Lists to follow: us, uk, ca, au, eu (default: all)'),
    programs: list('programs', singleLine('program', 80), { separator: /[,;]/, max: 30 })
      .default([])
      .describe(
        'human-rights, anti-corruption, program tags (GLOMAG) or regime names (default: human-rights, anti-corruption)',
      ),
    time: singleLine('time', 5).default('09:00').describe('Local time to post, HH:MM (default 09:00)'),
    timezone: singleLine('timezone', 60)
      .default('UTC')
      .describe('IANA time zone, e.g. Europe/Brussels (default UTC)'),
    empty: choice('empty', ['skip', 'post'] as const)
      .default('skip')
      .describe('On days with nothing new: skip (no post, the default) or post a one-line "nothing new"'),
  }),
  examples: [
    '/digest subscribe programs:GLOMAG,MAGNIT time:09:00 timezone:Europe/Brussels',
    '/digest subscribe lists:us,uk,ca programs:human-rights,anti-corruption',
    '/digest subscribe time:08:30 timezone:America/New_York empty:post',
  ],
  async run(input, ctx) {
    if (!ctx.channel || ctx.platform === 'console')
      throw new UserError(
        'Run /digest subscribe in the Slack or Discord channel that should receive the digest.',
      );
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(input.time))
      throw new UserError('time: give a time like 09:00 (24-hour clock).');
    try {
      new Intl.DateTimeFormat('en', { timeZone: input.timezone });
    } catch {
      throw new UserError(
        `timezone: "${input.timezone}" is not a time zone; use a name like Europe/Brussels or America/New_York.`,
      );
    }
    const lists = input.lists.length ? [...new Set(input.lists)] : [...LIST_CODES];
    const programs = input.programs.length
      ? [
          ...new Set(
            input.programs.map((word) => (isTheme(word) ? word.toLowerCase() : canonicalProgramTag(word))),
          ),
        ]
      : [...THEMES];
    // Other lists name their regimes in words ("Global Human Rights"), known from their entries.
    const regimes = await currentRegimes(ctx.db, lists);
    const unknown = programs.filter((tag) => !isTheme(tag) && !ctx.programs.has(tag) && !regimes.has(tag));
    if (unknown.length) {
      throw new UserError(
        `${unknown.join(', ')}: not OFAC program tags. Known tags: ${[...ctx.programs].sort().join(', ')}; or human-rights, anti-corruption, or a regime named on the followed lists${regimes.size ? ` (${[...regimes].sort().slice(0, 12).join(', ')}, ...)` : ''}.`,
      );
    }
    const subscription = await subscribeDigest(ctx.db, ctx.actor, channelOf(ctx, ctx.channel), {
      programs,
      lists,
      time: input.time,
      timezone: input.timezone,
      postWhenEmpty: input.empty === 'post',
    });
    return {
      kind: 'notice',
      tone: 'success',
      title: 'This channel gets the sanctions digest',
      lines: [
        `Lists: ${subscription.lists.map(jurisdictionLabel).join(', ')}`,
        `Programs: ${subscription.programs.join(', ')}`,
        `Every day at ${subscription.time} (${subscription.timezone}), ${subscription.postWhenEmpty ? 'also when there is nothing new' : 'when there is something new'}.`,
      ],
      ephemeral: false,
    };
  },
});

const unsubscribe = defineCommand({
  name: 'unsubscribe',
  description: 'Stop the digest in this channel',
  permission: 'digest.manage',
  action: 'manage digests',
  options: z.object({}),
  examples: ['/digest unsubscribe'],
  async run(_input, ctx) {
    if (!ctx.channel) throw new UserError('Run /digest unsubscribe in the channel that receives the digest.');
    await unsubscribeDigest(ctx.db, ctx.actor, channelOf(ctx, ctx.channel));
    return {
      kind: 'notice',
      tone: 'success',
      title: 'The digest in this channel is stopped',
      lines: [],
      ephemeral: false,
    };
  },
});

const listDigests = defineCommand({
  name: 'list',
  description: 'Channels that receive the digest',
  permission: 'digest.view',
  action: 'see digests',
  options: z.object({}),
  examples: ['/digest list'],
  async run(_input, ctx) {
    const rows = await digestSubscriptions(ctx.db);
    return {
      kind: 'notice',
      tone: 'info',
      title: rows.length ? 'Digest channels' : 'No channel receives the digest',
      lines: rows.map(
        (row) =>
          `${row.platform} ${row.workspaceId} channel ${row.channelId}: ${row.lists.join(',')}: ${row.programs.join(', ')} at ${row.time} ${row.timezone}${row.postWhenEmpty ? ', also when nothing is new' : ''}`,
      ),
      ephemeral: true,
    };
  },
});

const now = defineCommand({
  name: 'now',
  description: 'Preview the digest this channel would get now',
  permission: 'digest.view',
  action: 'see digests',
  options: z.object({}),
  examples: ['/digest now'],
  async run(_input, ctx) {
    const subscription = ctx.channel ? await digestSubscriptionOf(ctx.db, channelOf(ctx, ctx.channel)) : null;
    const digest = await composeDigest(ctx.db, {
      programs: subscription?.programs ?? [...THEMES],
      after: subscription?.lastPublicationId ?? null,
      lists: (subscription?.lists ?? LIST_CODES).filter(isListCode),
      now: ctx.now(),
    });
    const [first] = digest.views;
    if (!first)
      return {
        kind: 'notice',
        tone: 'info',
        title: 'Nothing new in the followed programs',
        lines: [],
        ephemeral: true,
      };
    return first;
  },
});

export default defineGroup({
  name: 'digest',
  description: 'Daily digests of OFAC designations',
  subcommands: [subscribe, unsubscribe, listDigests, now],
});
