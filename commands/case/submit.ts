import { z } from 'zod';
import { defineCommand } from '../../src/chat/command.ts';
import { day, singleLine } from '../../src/chat/fields.ts';
import { submitCase } from '../../src/domain/cases/changes.ts';
import { DEFAULT_JURISDICTIONS } from '../../src/domain/cases/stages.ts';
import { startOfDay } from '../../src/domain/dates.ts';
import { UserError } from '../../src/domain/errors.ts';
import { card, caseId, caseOfChannel } from './shared.ts';

export default defineCommand({
  name: 'submit',
  description: 'Record a submission of the dossier to a government',
  permission: 'case.work',
  action: 'record submissions',
  options: z.object({
    id: caseId(),
    to: singleLine('to', 40).describe(`Jurisdiction: ${DEFAULT_JURISDICTIONS.join(', ')}`),
    date: day('date').optional().describe('When it was sent, YYYY-MM-DD (default today)'),
    ref: singleLine('ref', 200).optional().describe('Their reference, if any'),
  }),
  leading: 'id',
  primary: 'to',
  context: caseOfChannel,
  examples: ['/case submit 3 UK', '/case submit id:3 to:US-Treasury date:2026-11-20 ref:"GM-2026-114"'],
  async run(input, ctx) {
    const jurisdiction = DEFAULT_JURISDICTIONS.find((item) => item.toLowerCase() === input.to.toLowerCase());
    if (!jurisdiction)
      throw new UserError(
        `to: "${input.to}" is not a jurisdiction we track. Use one of: ${DEFAULT_JURISDICTIONS.join(', ')}.`,
      );
    await submitCase(ctx.db, ctx.actor, {
      id: input.id,
      jurisdiction,
      submittedOn: input.date ?? startOfDay(ctx.now()),
      reference: input.ref,
      now: ctx.now(),
    });
    return card(ctx, input.id, `Submitted to ${jurisdiction}`);
  },
});
