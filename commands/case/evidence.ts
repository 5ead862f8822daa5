import { z } from 'zod';
import { defineCommand } from '../../src/chat/command.ts';
import { httpsUrl, singleLine } from '../../src/chat/fields.ts';
import { addEvidence } from '../../src/domain/cases/changes.ts';
import { describeSize } from '../../src/domain/evidence-files.ts';
import { caseId, caseOfChannel } from './shared.ts';

const ATTACH =
  'file: attach the file itself: the file option of /case evidence on Discord; on Slack, share it in the case thread.';

/**
 * A file the bot received and hashed itself (an adapter sets it after the download): typed text is
 * never one, so a member cannot claim a hash for a file the bot did not see.
 */
const receivedFile = z
  .object(
    {
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      size: z.number().int().nonnegative(),
      type: z.string().min(1),
      name: z.string().min(1).max(200),
    },
    { error: ATTACH },
  )
  .meta({ attachment: true })
  .describe('The file (the bot downloads it and records its SHA-256, size and type)');

export default defineCommand({
  name: 'evidence',
  description: 'Add evidence: a file (the bot hashes it) or a link (with its sha256 if you have it)',
  permission: 'case.work',
  action: 'add evidence',
  options: z
    .object({
      id: caseId(),
      file: receivedFile.optional(),
      link: httpsUrl('link').optional().describe('https:// link to the document'),
      sha256: z
        .string()
        .trim()
        .regex(/^[0-9a-fA-F]{64}$/, 'sha256 must be 64 hexadecimal characters.')
        .optional()
        .describe("The linked file's SHA-256, for the chain of custody"),
      note: singleLine('note', 500).optional().describe('What it shows'),
    })
    .refine((input) => (input.file === undefined) !== (input.link === undefined), {
      message: 'Give a file or a link (one of them): link:https://… or, on Discord, the file option.',
      path: ['link'],
    })
    .refine((input) => input.file === undefined || input.sha256 === undefined, {
      message: 'sha256: the bot computes a file’s hash itself; give sha256 with a link only.',
      path: ['sha256'],
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
      source: input.file ? { file: input.file } : { url: input.link ?? '', sha256: input.sha256 },
      note: input.note,
      now: ctx.now(),
    });
    return {
      kind: 'notice',
      tone: 'success',
      title: `Evidence E${added} added to case ${input.id}`,
      lines: input.file
        ? [
            `${input.file.name}: ${describeSize(input.file.size)}, ${input.file.type}`,
            `SHA-256 ${input.file.sha256}, computed by the bot from the file it received.`,
          ]
        : [],
      ephemeral: true,
    };
  },
});
