import { z } from 'zod';
import type { CommandContext } from '../../src/chat/command.ts';
import { defineCommand } from '../../src/chat/command.ts';
import { choice, singleLine } from '../../src/chat/fields.ts';
import { parseUserReference } from '../../src/chat/mentions.ts';
import { assignCase } from '../../src/domain/cases/changes.ts';
import { NotFoundError, UserError } from '../../src/domain/errors.ts';
import { resolveActor } from '../../src/domain/members.ts';
import { card, caseId, caseOfChannel } from './shared.ts';

export default defineCommand({
  name: 'assign',
  description: 'Add someone to a case team (or make them an owner, or remove them)',
  permission: 'case.work',
  action: 'change case teams',
  options: z.object({
    id: caseId(),
    member: singleLine('member', 120)
      .meta({ chatUser: true })
      .describe('A mention, a user id, or a member number'),
    role: choice('role', ['member', 'owner', 'remove'] as const)
      .default('member')
      .describe('member, owner or remove'),
  }),
  leading: 'id',
  primary: 'member',
  context: caseOfChannel,
  examples: [
    '/case assign 3 @ana role:owner',
    '/case assign id:3 member:@ana role:owner',
    '/case assign id:3 member:7',
  ],
  async run(input, ctx) {
    const memberId = await resolveMember(ctx, input.member);
    await assignCase(ctx.db, ctx.actor, {
      id: input.id,
      memberId,
      role: input.role === 'remove' ? 'member' : input.role,
      remove: input.role === 'remove',
      now: ctx.now(),
    });
    return card(ctx, input.id, 'Team updated');
  },
});

async function resolveMember(ctx: CommandContext, text: string): Promise<number> {
  if (/^\s*#?\d{1,9}\s*$/.test(text)) return Number(text.replace('#', ''));
  const reference = parseUserReference(text);
  if (!reference || !ctx.channel)
    throw new UserError('member: give a member number, or a mention in Slack or Discord.');
  const actor = await resolveActor(ctx.db, {
    platform: ctx.platform,
    workspaceId: ctx.channel.workspaceId,
    userId: reference.userId,
  });
  if (!actor) throw new NotFoundError('member: that account is not linked to a member yet (/member link).');
  return actor.memberId;
}
