import { z } from 'zod';
import { defineCommand } from '../../src/chat/command.ts';
import { day, id, singleLine } from '../../src/chat/fields.ts';
import { answerSubmission } from '../../src/domain/cases/changes.ts';
import { startOfDay } from '../../src/domain/dates.ts';
import { card } from './shared.ts';

export default defineCommand({
  name: 'answer',
  description: "Record a government's answer to a submission",
  permission: 'case.work',
  action: 'record answers',
  options: z.object({
    submission: id('submission').describe('Submission number (shown by /case export)'),
    answer: singleLine('answer', 500).describe('What they answered'),
    date: day('date').optional().describe('When, YYYY-MM-DD (default today)'),
  }),
  leading: 'submission',
  primary: 'answer',
  examples: [
    '/case answer 4 acknowledged, under review',
    '/case answer submission:4 answer:"acknowledged, under review"',
  ],
  async run(input, ctx) {
    const caseNumber = await answerSubmission(ctx.db, ctx.actor, {
      submissionId: input.submission,
      answer: input.answer,
      answeredOn: input.date ?? startOfDay(ctx.now()),
      now: ctx.now(),
    });
    return card(ctx, caseNumber, 'Answer recorded');
  },
});
