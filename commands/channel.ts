import { z } from 'zod';
import { defineCommand, defineGroup } from '../src/chat/command.ts';
import { choice } from '../src/chat/fields.ts';
import { CHANNEL_PURPOSES, listChannels, setChannel } from '../src/domain/channels.ts';
import { UserError } from '../src/domain/errors.ts';

const set = defineCommand({
  name: 'set',
  description: 'Make this channel the one the bot posts to for a purpose',
  permission: 'channel.set',
  action: 'choose channels',
  options: z.object({
    purpose: choice('purpose', CHANNEL_PURPOSES).describe(
      'proposals: new targets are announced here; polls: every poll is posted here; cases: case threads are opened here; admin: warnings for admins (held OFAC publications, failing syncs, undeliverable messages)',
    ),
  }),
  primary: 'purpose',
  examples: ['/channel set purpose:proposals'],
  async run(input, ctx) {
    if (!ctx.channel) {
      throw new UserError('Run /channel set inside the Slack or Discord channel you want to use.');
    }
    const { before } = await setChannel(
      ctx.db,
      ctx.actor,
      { platform: ctx.platform, ...ctx.channel },
      input.purpose,
    );
    const replaced =
      before && before.channelId !== ctx.channel.channelId
        ? [`It replaces channel ${before.channelId}.`]
        : [];
    return {
      kind: 'notice',
      tone: 'success',
      title: `This channel now receives ${input.purpose}`,
      lines: [...replaced, 'Make sure the bot is a member of this channel so it can post here.'],
      ephemeral: false,
    };
  },
});

const list = defineCommand({
  name: 'list',
  description: 'Show which channels the bot posts to',
  permission: 'channel.view',
  action: 'see channel settings',
  options: z.object({}),
  examples: ['/channel list'],
  async run(_input, ctx) {
    const channels = await listChannels(ctx.db);
    return {
      kind: 'notice',
      tone: 'info',
      title: channels.length > 0 ? 'Channels' : 'No channels are set',
      lines:
        channels.length > 0
          ? channels.map(
              (row) => `${row.purpose}: ${row.platform} ${row.workspaceId} channel ${row.channelId}`,
            )
          : [
              'An admin runs /channel set purpose:proposals in the channel that should receive new proposals.',
            ],
      ephemeral: true,
    };
  },
});

export default defineGroup({
  name: 'channel',
  description: 'Choose the channels the bot posts to',
  subcommands: [set, list],
});
