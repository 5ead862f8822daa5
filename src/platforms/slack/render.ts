import type { KnownBlock } from '@slack/types';
import { actionValue, encodeActions } from '../../chat/actions.ts';
import { ballotFormText } from '../../chat/ballot-form.ts';
import { describeFilters, pollText, summaryParts, targetFacts } from '../../chat/present.ts';
import { digestLine } from '../../digest/compose.ts';
import type { TargetDetails } from '../../domain/targets.ts';
import type { Db } from '../../domain/tx.ts';
import type { CommandAction, View } from '../../messages.ts';
import { escapeMrkdwn as esc, truncate } from './escape.ts';

export type SlackMessage = { text: string; blocks: KnownBlock[] };

export const ACTION_PREFIX = 'cb:run:';
const BUTTON_VALUE_LIMIT = 2000;

const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text: truncate(text, 3000) });
const section = (text: string): KnownBlock => ({ type: 'section', text: mrkdwn(text) });

/** Block Kit for a view. Member text is escaped; `text` is the notification fallback, escaped too. */
export async function renderForSlack(view: View, db: Db): Promise<SlackMessage> {
  return slackMessage(await encodeActions(db, view, BUTTON_VALUE_LIMIT));
}

/** `renderForSlack` of a view whose long button commands are encoded already: no I/O. */
export function slackMessage(view: View): SlackMessage {
  switch (view.kind) {
    case 'error':
      return {
        text: `${esc(view.title)}: ${esc(view.lines.join(' '))}`,
        blocks: [section(`:warning: *${esc(view.title)}*\n${view.lines.map(esc).join('\n')}`)],
      };
    case 'notice':
      return {
        text: esc(view.title),
        blocks: [
          section(
            `${view.ping?.length ? `${view.ping.map((userId) => `<@${userId.replace(/[^A-Z0-9]/g, '')}>`).join(' ')} ` : ''}${view.tone === 'success' ? ':white_check_mark:' : ':information_source:'} *${esc(view.title)}*${view.lines.length ? `\n${view.lines.map(esc).join('\n')}` : ''}`,
          ),
          ...actionsBlock(view.actions ?? []),
        ],
      };
    case 'target':
      return {
        text: esc(
          view.headline
            ? `${view.headline}: #${view.target.id} ${view.target.name}`
            : `#${view.target.id} ${view.target.name}`,
        ),
        blocks: [
          ...(view.headline ? [section(`*${esc(view.headline)}*`)] : []),
          ...targetBlocks(view.target),
        ],
      };
    case 'target-list': {
      const { page } = view;
      const filters = describeFilters(view.filters);
      const title = `Targets${filters ? ` (${filters})` : ''}: ${page.total}`;
      const rows = page.items.map((target) => section(summaryLine(target)));
      if (page.total === 0)
        rows.push(section(filters ? 'No targets match.' : 'No targets yet. Propose one with /propose.'));
      else if (page.items.length === 0) rows.push(section('No targets on this page.'));
      return {
        text: esc(title),
        blocks: [
          section(`*${esc(title)}*`),
          ...rows,
          { type: 'context', elements: [mrkdwn(`Page ${page.page} of ${page.pageCount}`)] },
          ...actionsBlock(view.actions),
        ],
      };
    }
    case 'duplicates':
      return {
        text: esc(`"${view.proposedName}" looks like a target we already have`),
        blocks: [
          section(`:warning: *"${esc(view.proposedName)}" looks like a target we already have:*`),
          ...view.matches.map((target) => section(summaryLine(target))),
          section('Nothing was saved. If it is a different person or entity, propose it anyway.'),
          ...actionsBlock(view.actions),
        ],
      };
    case 'digest':
      return {
        text: esc(view.title),
        blocks: [
          section(`*${esc(view.title)}*`),
          ...view.sections.map((part) =>
            section(
              `*${esc(part.heading)}*\n${part.entries.map((entry) => `• ${esc(digestLine(entry))} ${entry.link ? `<${entry.link}|${esc(entry.label)}>` : esc(entry.label)}`).join('\n')}`,
            ),
          ),
          ...(view.footer.length
            ? [{ type: 'context' as const, elements: [mrkdwn(view.footer.map(esc).join('\n'))] }]
            : []),
        ],
      };
    case 'file':
      return {
        text: esc(view.title),
        blocks: [
          // The adapter uploads the file itself; this is the line shown where a file cannot go.
          section(`*${esc(view.title)}*: ${esc(view.filename)} (${view.content.length} characters)`),
        ],
      };
    case 'poll': {
      const text = pollText(view.poll, view.yourBallot);
      const blocks: KnownBlock[] = [
        ...(view.headline ? [section(`*${esc(view.headline)}*`)] : []),
        section(`*${esc(text.title)}*\n${esc(text.status)}`),
        section(
          text.options
            .map(
              (option) =>
                `${option.winner ? ':trophy: ' : ''}${esc(option.text)}${option.score ? ` — *${esc(option.score)}*` : ''}`,
            )
            .join('\n'),
        ),
        { type: 'context', elements: [mrkdwn(text.facts.map(esc).join('\n'))] },
      ];
      if (text.result.length) blocks.push(section(`*Result*\n${text.result.map(esc).join('\n')}`));
      if (text.explanation.length)
        blocks.push(section(`\`\`\`${esc(truncate(text.explanation.join('\n'), 2800))}\`\`\``));
      if (text.ballots.length)
        blocks.push(section(`*Ballots*\n${esc(truncate(text.ballots.join('\n'), 2900))}`));
      blocks.push(...actionsBlock(view.actions));
      return { text: esc(text.title), blocks };
    }
    case 'ballot-form': {
      // Slack opens the form as a modal (the adapter); this is the message where one cannot open.
      const text = ballotFormText(view);
      return {
        text: esc(text.title),
        blocks: [section(`*${esc(text.title)}*`), section(esc(truncate(text.lines.join('\n'), 2900)))],
      };
    }
    case 'help': {
      const blocks: KnownBlock[] = [
        { type: 'header', text: { type: 'plain_text', text: truncate(view.title, 150) } },
      ];
      for (const entry of view.entries) {
        const lines = [`*${esc(entry.usage)}*: ${esc(entry.description)}`];
        if (view.detailed) {
          lines.push(`_Who:_ ${esc(entry.allowed)}`);
          for (const option of entry.options) {
            const choices = option.choices ? ` (${option.choices.map(esc).join(' | ')})` : '';
            lines.push(
              `• \`${esc(option.name)}:\` ${esc(option.description)}${choices}${option.required ? ' *required*' : ''}`,
            );
          }
          for (const example of entry.examples) lines.push(`\`${esc(example)}\``);
        }
        blocks.push(section(lines.join('\n')));
      }
      if (view.footer.length > 0)
        blocks.push({ type: 'context', elements: [mrkdwn(view.footer.map(esc).join('\n'))] });
      return { text: esc(view.title), blocks: blocks.slice(0, 50) };
    }
  }
}

function targetBlocks(target: TargetDetails): KnownBlock[] {
  const fields = targetFacts(target)
    .filter(([label]) => label !== 'Aliases')
    .map(([label, value]) => mrkdwn(`*${label}*\n${esc(truncate(value, 1900))}`));
  const blocks: KnownBlock[] = [
    // A section rather than a header block: every piece of member text goes through the one escaper.
    section(`*#${target.id} ${esc(target.name)}*`),
    { type: 'section', fields },
  ];
  if (target.aliases.length > 0) blocks.push(section(`*Aliases*\n${esc(target.aliases.join('; '))}`));
  if (target.conduct) blocks.push(section(`*Conduct*\n${esc(truncate(target.conduct, 2900))}`));
  if (target.evidence.length > 0) {
    blocks.push(section(`*Evidence*\n${target.evidence.map((link) => `• ${esc(link)}`).join('\n')}`));
  }
  blocks.push({
    type: 'context',
    elements: [mrkdwn(`Target ${target.id} · proposed ${target.createdAt.toISOString().slice(0, 10)}`)],
  });
  return blocks;
}

function summaryLine(target: TargetDetails): string {
  return `*#${target.id} ${esc(target.name)}* — ${summaryParts(target).map(esc).join(' — ')}`;
}

function actionsBlock(actions: CommandAction[]): KnownBlock[] {
  if (actions.length === 0) return [];
  const elements = actions.map((action, index) => ({
    type: 'button' as const,
    action_id: `${ACTION_PREFIX}${index}`,
    text: { type: 'plain_text' as const, text: truncate(action.label, 75) },
    value: actionValue(action, BUTTON_VALUE_LIMIT),
    ...(action.style ? { style: action.style } : {}),
  }));
  return [{ type: 'actions', elements }];
}
