import { z } from 'zod';
import { defineCommand } from '../../src/chat/command.ts';
import { listCases } from '../../src/domain/cases/details.ts';
import { caseList } from './shared.ts';

export default defineCommand({
  name: 'mine',
  description: 'The cases you are on',
  permission: 'case.view',
  action: 'see cases',
  options: z.object({}),
  examples: ['/case mine'],
  async run(_input, ctx) {
    return caseList('Your cases', await listCases(ctx.db, { memberId: ctx.actor.memberId }));
  },
});
