import { z } from 'zod';
import { defineCommand } from '../src/chat/command.ts';
import { choice, page, singleLine } from '../src/chat/fields.ts';
import { listTargets, TARGET_STATUSES } from '../src/domain/targets.ts';
import type { CommandAction } from '../src/messages.ts';

const options = z.object({
  status: choice('status', TARGET_STATUSES).optional().describe('Only targets with this status'),
  country: singleLine('country', 80).optional().describe('Only targets in this country'),
  program: singleLine('program', 40).optional().describe('Only targets suggested for this OFAC program'),
  page: page().describe('Page number'),
});

export default defineCommand({
  name: 'targets',
  description: 'List proposed and tracked targets',
  permission: 'target.view',
  action: 'see targets',
  options,
  examples: ['/targets', '/targets status:proposed program:GLOMAG', '/targets country:China page:2'],
  async run(input, ctx) {
    const { page: pageNumber, ...filters } = input;
    const result = await listTargets(ctx.db, ctx.actor, filters, {
      page: pageNumber,
      pageSize: ctx.pageSize,
    });
    const turn = (label: string, to: number): CommandAction => ({
      label,
      invocation: { command: 'targets', options: { ...filters, page: to } },
    });
    const actions: CommandAction[] = [];
    if (result.page > 1) actions.push(turn('Previous', Math.min(result.page, result.pageCount + 1) - 1));
    if (result.page < result.pageCount) actions.push(turn('Next', result.page + 1));
    return { kind: 'target-list', filters, page: result, actions };
  },
});
