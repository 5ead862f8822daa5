import { z } from 'zod';
import { defineCommand } from '../../src/chat/command.ts';
import { id, singleLine } from '../../src/chat/fields.ts';
import { retractEvidence } from '../../src/domain/cases/changes.ts';
import { card } from './shared.ts';

export default defineCommand({
  name: 'retract',
  description: 'Retract evidence (kept, marked retracted, with the reason)',
  permission: 'case.work',
  action: 'retract evidence',
  options: z.object({
    evidence: id('evidence').describe('Evidence number (E12 → 12)'),
    reason: singleLine('reason', 500).describe('Why'),
  }),
  leading: 'evidence',
  primary: 'reason',
  examples: [
    '/case retract 12 source asked to withdraw',
    '/case retract evidence:12 reason:"source asked to withdraw"',
  ],
  async run(input, ctx) {
    const caseNumber = await retractEvidence(
      ctx.db,
      ctx.actor,
      { evidenceId: input.evidence, reason: input.reason },
      ctx.now(),
    );
    return card(ctx, caseNumber, `Evidence E${input.evidence} retracted`);
  },
});
