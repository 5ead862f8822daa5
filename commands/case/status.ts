import { z } from 'zod';
import { caseCard } from '../../src/chat/case-view.ts';
import { defineCommand } from '../../src/chat/command.ts';
import { caseDetails } from '../../src/domain/cases/details.ts';
import { isoDate } from '../../src/domain/dates.ts';
import { caseId, caseOfChannel } from './shared.ts';

export default defineCommand({
  name: 'status',
  description: 'Show a case: stage, targets, team, submissions, evidence',
  permission: 'case.view',
  action: 'see cases',
  options: z.object({ id: caseId() }),
  primary: 'id',
  context: caseOfChannel,
  examples: ['/case status 3'],
  async run(input, ctx) {
    const details = await caseDetails(ctx.db, input.id);
    const recent = details.events
      .slice(-5)
      .map((event) => `${isoDate(event.at)} ${event.actor ?? 'bot'}: ${event.summary}`);
    const view = caseCard(details);
    return {
      ...view,
      lines: [...view.lines, ...(recent.length ? ['Recent:', ...recent] : [])],
      ephemeral: true,
    };
  },
});
