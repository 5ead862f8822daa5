import { z } from 'zod';
import { defineCommand } from '../src/chat/command.ts';
import { choice, id, singleLine } from '../src/chat/fields.ts';
import { reviewHeldTarget } from '../src/domain/targets.ts';

const options = z.object({
  target: id('target').describe('The held proposal, as numbered in the admin channel'),
  decision: choice('decision', ['keep', 'drop'] as const).describe(
    'keep: a new proposal, announced now; drop: already tracked',
  ),
  reason: singleLine('reason', 300).optional().describe('Why, for the audit log'),
});

export default defineCommand({
  name: 'review',
  description: 'Decide on a proposal held as a possible duplicate of a hidden target',
  permission: 'target.review',
  action: 'review held proposals',
  options,
  primary: 'target',
  examples: ['/review target:14 decision:keep', '/review target:14 decision:drop reason:"same as #2"'],
  async run(input, ctx) {
    const target = await reviewHeldTarget(ctx.db, ctx.actor, {
      id: input.target,
      decision: input.decision,
      reason: input.reason,
    });
    return {
      kind: 'notice',
      tone: 'success',
      title:
        input.decision === 'keep'
          ? `Target ${target.id} kept: announced as a new proposal`
          : `Target ${target.id} dropped as a duplicate`,
      lines: [],
      ephemeral: true,
    };
  },
});
