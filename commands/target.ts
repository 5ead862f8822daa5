import { z } from 'zod';
import { defineCommand } from '../src/chat/command.ts';
import { id } from '../src/chat/fields.ts';
import { recordAudit } from '../src/domain/audit.ts';
import { getTarget, maySee, redacted } from '../src/domain/targets.ts';

const options = z.object({
  id: id('id').meta({ autocomplete: 'target' }).describe('Target number, as shown by /targets'),
});

export default defineCommand({
  name: 'target',
  description: 'Show one target in full',
  permission: 'target.view',
  action: 'see targets',
  options,
  primary: 'id',
  examples: ['/target id:12', '/target 12'],
  async run(input, ctx) {
    const target = await getTarget(ctx.db, input.id, ctx.actor);
    const held =
      target.status === 'held' ? 'Held: waiting for an admin (it may duplicate another target)' : undefined;
    if (!target.confidential)
      return { kind: 'target', ...(held ? { headline: held } : {}), target, ephemeral: true };
    if (!(await maySee(ctx.db, ctx.actor, target))) {
      return {
        kind: 'target',
        headline: 'Confidential: only admins, the proposer and its case team see the details',
        target: redacted(target),
        ephemeral: true,
      };
    }
    // Every look at a confidential record is on file; the answer only ever goes to the asker.
    await recordAudit(ctx.db, {
      actorMemberId: ctx.actor.memberId,
      action: 'target.reveal',
      entityType: 'target',
      entityId: target.id,
      after: { platform: ctx.platform },
    });
    return {
      kind: 'target',
      headline: `Confidential (${target.codename}): shown only to you`,
      target,
      ephemeral: true,
    };
  },
});
