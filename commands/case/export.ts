import { z } from 'zod';
import { defineCommand } from '../../src/chat/command.ts';
import { exportDossier } from '../../src/domain/cases/dossier.ts';
import { caseId, caseOfChannel } from './shared.ts';

export default defineCommand({
  name: 'export',
  description: 'The dossier as Markdown: targets, evidence with hashes, submissions, timeline',
  permission: 'case.view',
  action: 'export cases',
  options: z.object({ id: caseId() }),
  primary: 'id',
  context: caseOfChannel,
  examples: ['/case export 3'],
  async run(input, ctx) {
    const markdown = await exportDossier(ctx.db, ctx.actor, input.id);
    return {
      kind: 'file',
      title: `Case ${input.id} dossier`,
      filename: `case-${input.id}.md`,
      content: markdown,
    };
  },
});
