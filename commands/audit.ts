import { z } from 'zod';
import { defineCommand } from '../src/chat/command.ts';
import { csvCell } from '../src/chat/csv.ts';
import { choice, day, id, page, singleLine } from '../src/chat/fields.ts';
import { auditPage, auditRows } from '../src/domain/audit.ts';

const PAGE = 20;

export default defineCommand({
  name: 'audit',
  description: 'The audit log: who changed what, and every refused attempt (admins)',
  permission: 'audit.view',
  action: 'read the audit log',
  options: z.object({
    action: singleLine('action', 80)
      .optional()
      .describe('Actions starting with this, e.g. case. or command.refused'),
    entity: singleLine('entity', 40).optional().describe('Entity type, e.g. target, case, poll'),
    member: id('member').optional().describe('Only what this member did (member number)'),
    since: day('since').optional().describe('From this day (UTC), YYYY-MM-DD'),
    format: choice('format', ['list', 'csv'] as const)
      .default('list')
      .describe('list, or csv for a file'),
    page: page().describe('Page of the list'),
  }),
  examples: ['/audit', '/audit action:command.refused', '/audit entity:case since:2026-11-01 format:csv'],
  async run(input, ctx) {
    const filter = { action: input.action, entity: input.entity, memberId: input.member, since: input.since };
    if (input.format === 'csv') {
      const rows = await auditRows(ctx.db, filter);
      const lines = [
        'id,at,member_id,member,action,entity_type,entity_id,before,after',
        ...rows.map((row) =>
          [
            row.id.toString(),
            row.createdAt.toISOString(),
            row.actorMemberId ?? '',
            row.actor?.displayName ?? '',
            row.action,
            row.entityType,
            row.entityId,
            row.before,
            row.after,
          ]
            .map(csvCell)
            .join(','),
        ),
      ];
      return {
        kind: 'file',
        title: `Audit log (${rows.length} rows)`,
        filename: 'audit.csv',
        content: `${lines.join('\n')}\n`,
      };
    }
    const { total, rows } = await auditPage(ctx.db, filter, { number: input.page, size: PAGE });
    return {
      kind: 'notice',
      tone: 'info',
      title: `Audit log: ${total} entr${total === 1 ? 'y' : 'ies'}${total > PAGE ? `, page ${input.page} of ${Math.ceil(total / PAGE)}` : ''}`,
      lines: rows.map(
        (row) =>
          `${row.createdAt.toISOString().slice(0, 16).replace('T', ' ')} ${row.actor ? `${row.actor.displayName} (#${row.actorMemberId})` : 'coalition-bot'}: ${row.action} ${row.entityType} ${row.entityId}`,
      ),
      ephemeral: true,
    };
  },
});
