import { caseCard } from '../../src/chat/case-view.ts';
import type { CommandContext } from '../../src/chat/command.ts';
import { id } from '../../src/chat/fields.ts';
import { caseDetails, caseOfThread, type listCases } from '../../src/domain/cases/details.ts';
import { stageLabel } from '../../src/domain/cases/stages.ts';
import { isoDate } from '../../src/domain/dates.ts';
import type { View } from '../../src/messages.ts';

export const caseId = () => id('id').meta({ autocomplete: 'case' }).describe('Case number');

export function channelOf(ctx: CommandContext) {
  return ctx.channel ? { platform: ctx.platform, ...ctx.channel } : undefined;
}

export async function card(ctx: CommandContext, caseNumber: number, headline: string): Promise<View> {
  return { ...caseCard(await caseDetails(ctx.db, caseNumber), headline), ephemeral: false };
}

export function caseList(title: string, rows: Awaited<ReturnType<typeof listCases>>): View {
  return {
    kind: 'notice',
    tone: 'info',
    title: rows.length ? title : `${title}: none`,
    lines: rows.map(
      (row) =>
        `Case ${row.id}: ${row.title} · ${stageLabel(row.stage)}${row.dueOn ? ` · due ${isoDate(row.dueOn)}` : ''}`,
    ),
    ephemeral: true,
  };
}

/** In a case's own thread, the case is the one the command is about when no number is given. */
export async function caseOfChannel(ctx: CommandContext): Promise<{ id?: number }> {
  if (!ctx.channel) return {};
  const found = await caseOfThread(ctx.db, ctx.platform, ctx.channel.channelId, ctx.channel.threadId);
  return found === undefined ? {} : { id: found };
}
