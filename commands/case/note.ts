import { z } from 'zod';
import { defineCommand } from '../../src/chat/command.ts';
import { multiLine } from '../../src/chat/fields.ts';
import { noteCase } from '../../src/domain/cases/changes.ts';
import { caseId, caseOfChannel } from './shared.ts';

export default defineCommand({
  name: 'note',
  description: 'Add a note to the case timeline',
  permission: 'case.work',
  action: 'add notes',
  options: z.object({ id: caseId(), text: multiLine('text', 2000).describe('The note') }),
  leading: 'id',
  primary: 'text',
  context: caseOfChannel,
  examples: [
    '/case note 3 Called the Treasury desk officer',
    '/case note id:3 text:"Called the Treasury desk officer"',
  ],
  async run(input, ctx) {
    await noteCase(ctx.db, ctx.actor, { id: input.id, text: input.text, now: ctx.now() });
    return {
      kind: 'notice',
      tone: 'success',
      title: `Note added to case ${input.id}`,
      lines: [],
      ephemeral: true,
    };
  },
});
