import { z } from 'zod';
import { defineCommand } from '../../src/chat/command.ts';
import { choice } from '../../src/chat/fields.ts';
import { listCases } from '../../src/domain/cases/details.ts';
import { CASE_STAGES } from '../../src/domain/cases/stages.ts';
import { caseList } from './shared.ts';

export default defineCommand({
  name: 'list',
  description: 'Cases, open ones by default, or those at a stage',
  permission: 'case.view',
  action: 'see cases',
  options: z.object({ stage: choice('stage', CASE_STAGES).optional().describe('Only cases at this stage') }),
  examples: ['/case list', '/case list stage:submitted'],
  async run(input, ctx) {
    return caseList(
      input.stage ? `Cases at ${input.stage}` : 'Open cases',
      await listCases(ctx.db, { stage: input.stage, open: true }),
    );
  },
});
