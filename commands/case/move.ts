import { z } from 'zod';
import { defineCommand } from '../../src/chat/command.ts';
import { choice, day, singleLine } from '../../src/chat/fields.ts';
import { moveCase } from '../../src/domain/cases/changes.ts';
import { CASE_STAGES } from '../../src/domain/cases/stages.ts';
import { card, caseId, caseOfChannel } from './shared.ts';

export default defineCommand({
  name: 'move',
  description: 'Move a case to another stage (a reason is needed to close, decline or designate)',
  permission: 'case.work',
  action: 'move cases',
  options: z.object({
    id: caseId(),
    stage: choice('stage', CASE_STAGES).describe(CASE_STAGES.join(', ')),
    reason: singleLine('reason', 500).optional().describe('Why (required for designated, declined, closed)'),
    due: day('due').optional().describe('New due date, YYYY-MM-DD'),
  }),
  leading: 'id',
  primary: 'stage',
  context: caseOfChannel,
  examples: [
    '/case move 3 drafting',
    '/case move id:3 stage:drafting',
    '/case move id:3 stage:closed reason:"merged into case 5"',
  ],
  async run(input, ctx) {
    await moveCase(ctx.db, ctx.actor, {
      id: input.id,
      stage: input.stage,
      reason: input.reason,
      dueOn: input.due,
      now: ctx.now(),
    });
    return card(ctx, input.id, `Moved to ${input.stage}`);
  },
});
