import { z } from 'zod';
import { defineCommand } from '../../src/chat/command.ts';
import { day, id, list, singleLine } from '../../src/chat/fields.ts';
import { openCase } from '../../src/domain/cases/changes.ts';
import { card, channelOf } from './shared.ts';

export default defineCommand({
  name: 'open',
  description: 'Open a tracked case for one or more targets',
  permission: 'case.open',
  action: 'open cases',
  options: z.object({
    target: list('target', id('target'), { separator: /[\s,;]+/, max: 50 }).describe(
      'Target number(s), e.g. 12 or 12,13,14',
    ),
    title: singleLine('title', 200).optional().describe('A name for the case (default: the target)'),
    due: day('due').optional().describe('Due date, YYYY-MM-DD'),
  }),
  primary: 'target',
  examples: ['/case open target:12', '/case open target:12,13 title:"Xinjiang officials" due:2027-03-01'],
  async run(input, ctx) {
    const created = await openCase(
      ctx.db,
      ctx.actor,
      { targetIds: input.target, title: input.title, dueOn: input.due, now: ctx.now() },
      channelOf(ctx),
    );
    return card(ctx, created, 'Case opened');
  },
});
