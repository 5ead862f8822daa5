import { z } from 'zod';
import { defineCommand } from '../../src/chat/command.ts';
import { followCase } from '../../src/domain/cases/changes.ts';
import { caseId, channelOf } from './shared.ts';

export default defineCommand({
  name: 'follow',
  description: 'Follow a case from this workspace: its card and events get a thread here too',
  permission: 'case.work',
  action: 'follow cases',
  options: z.object({ id: caseId() }),
  primary: 'id',
  examples: ['/case follow 3'],
  async run(input, ctx) {
    const added = await followCase(ctx.db, ctx.actor, input.id, channelOf(ctx), ctx.now());
    return {
      kind: 'notice',
      tone: 'success',
      title: added ? `Case ${input.id} is followed here` : `Case ${input.id} already has a thread here`,
      lines: added ? ['Its status card and new events will appear in a thread in the cases channel.'] : [],
      ephemeral: true,
    };
  },
});
