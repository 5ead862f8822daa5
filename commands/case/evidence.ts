import { z } from 'zod';
import { defineCommand } from '../../src/chat/command.ts';
import { httpsUrl, singleLine } from '../../src/chat/fields.ts';
import { addEvidence } from '../../src/domain/cases/changes.ts';
import { caseId, caseOfChannel } from './shared.ts';

export default defineCommand({
  name: 'evidence',
  description: 'Add evidence (a link, with the sha256 of the file if you have it)',
  permission: 'case.work',
  action: 'add evidence',
  options: z.object({
    id: caseId(),
    link: httpsUrl('link').describe('https:// link to the document'),
    sha256: z
      .string()
      .trim()
      .regex(/^[0-9a-fA-F]{64}$/, 'sha256 must be 64 hexadecimal characters.')
      .optional()
      .describe("The file's SHA-256, for the chain of custody"),
    note: singleLine('note', 500).optional().describe('What it shows'),
  }),
  leading: 'id',
  context: caseOfChannel,
  examples: [
    '/case evidence 3 link:https://example.org/report.pdf',
    '/case evidence id:3 link:https://example.org/report.pdf note:"satellite images"',
  ],
  async run(input, ctx) {
    const added = await addEvidence(ctx.db, ctx.actor, {
      id: input.id,
      url: input.link,
      sha256: input.sha256,
      note: input.note,
      now: ctx.now(),
    });
    return {
      kind: 'notice',
      tone: 'success',
      title: `Evidence E${added} added to case ${input.id}`,
      lines: [],
      ephemeral: true,
    };
  },
});
