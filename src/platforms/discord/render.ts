import type {
  APIActionRowComponent,
  APIButtonComponent,
  APIComponentInMessageActionRow,
  APIEmbed,
  APIEmbedField,
  APIStringSelectComponent,
} from 'discord.js';
import { actionValue, encodeActions } from '../../chat/actions.ts';
import { ballotFormText, ballotMenus } from '../../chat/ballot-form.ts';
import { describeFilters, pollText, summaryParts, targetFacts } from '../../chat/present.ts';
import { digestLine } from '../../digest/compose.ts';
import type { TargetDetails } from '../../domain/targets.ts';
import type { Db } from '../../domain/tx.ts';
import type { BallotChoice, CommandAction, View } from '../../messages.ts';
import { escapeDiscord as esc, truncate } from './escape.ts';

export const ACTION_PREFIX = 'cb:run:';
// Discord allows 100 characters in a custom_id; the prefix and an index come first.
const CUSTOM_ID_LIMIT = 100 - ACTION_PREFIX.length - 3;

export type DiscordMessage = {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
};

const COLORS = { error: 0xd62828, success: 0x2a9d8f, info: 0x457b9d, warning: 0xf4a261 };

/** Embeds and buttons for a view. Member text is escaped; mentions are also disabled when sending. */
export async function renderForDiscord(view: View, db: Db): Promise<DiscordMessage> {
  return discordMessage(await encodeActions(db, view, CUSTOM_ID_LIMIT));
}

/** `renderForDiscord` of a view whose long button commands are encoded already: no I/O. */
export function discordMessage(view: View): DiscordMessage {
  switch (view.kind) {
    case 'error':
      return {
        embeds: [
          {
            color: COLORS.error,
            title: truncate(esc(view.title), 256),
            description: description(view.lines.map(esc)),
          },
        ],
        components: [],
      };
    case 'notice':
      return {
        // Only ids the bot put there on purpose (case reminders); they are digits, never member text.
        ...(view.ping?.length
          ? { content: view.ping.map((userId) => `<@${userId.replace(/\D/g, '')}>`).join(' ') }
          : {}),
        embeds: [
          {
            color: view.tone === 'success' ? COLORS.success : COLORS.info,
            title: truncate(esc(view.title), 256),
            ...(view.lines.length ? { description: description(view.lines.map(esc)) } : {}),
          },
        ],
        components: buttons(view.actions ?? []),
      };
    case 'target':
      return {
        ...(view.headline ? { content: esc(view.headline) } : {}),
        embeds: [targetEmbed(view.target)],
        components: [],
      };
    case 'target-list': {
      const { page } = view;
      const filters = describeFilters(view.filters);
      const lines = page.items.map(summaryLine);
      if (page.total === 0)
        lines.push(filters ? 'No targets match.' : 'No targets yet. Propose one with /propose.');
      else if (lines.length === 0) lines.push('No targets on this page.');
      return {
        embeds: [
          {
            color: COLORS.info,
            title: truncate(esc(`Targets${filters ? ` (${filters})` : ''}: ${page.total}`), 256),
            description: description(lines),
            footer: { text: `Page ${page.page} of ${page.pageCount}` },
          },
        ],
        components: buttons(view.actions),
      };
    }
    case 'duplicates':
      return {
        embeds: [
          {
            color: COLORS.warning,
            title: truncate(esc(`"${view.proposedName}" looks like a target we already have`), 256),
            description: description([
              ...view.matches.map(summaryLine),
              '',
              'Nothing was saved. If it is a different person or entity, propose it anyway.',
            ]),
          },
        ],
        components: buttons(view.actions),
      };
    case 'digest':
      return {
        embeds: [
          {
            color: COLORS.info,
            title: truncate(esc(view.title), 256),
            description: description(
              view.sections.flatMap((part) => [
                `**${esc(part.heading)}**`,
                ...part.entries.map(
                  (entry) =>
                    `• ${esc(digestLine(entry))} ${entry.link ? `[${esc(entry.label)}](${entry.link})` : esc(entry.label)}`,
                ),
                '',
              ]),
            ),
            ...(view.footer.length ? { footer: { text: truncate(view.footer.join(' '), 2048) } } : {}),
          },
        ],
        components: [],
      };
    case 'file':
      return {
        embeds: [
          {
            color: COLORS.info,
            title: truncate(esc(view.title), 256),
            // The content travels as an attachment (the adapter adds it): never cut off.
            description: truncate(
              [
                ...(view.summary ?? []).map(esc),
                `Attached: ${[view.filename, ...(view.images ?? []).map((image) => image.filename)].map(esc).join(', ')}`,
              ].join('\n'),
              4096,
            ),
          },
        ],
        components: [],
      };
    case 'ballot-form': {
      const text = ballotFormText(view);
      const menus = menusOf(view);
      const unshown = view.poll.options.length - BALLOT_MENUS;
      return {
        embeds: [
          {
            color: COLORS.info,
            title: truncate(esc(text.title), 256),
            description: description([
              ...text.lines.map(esc),
              ...(unshown > 0
                ? [
                    'ranking' in view.choice
                      ? `The menus rank your first ${BALLOT_MENUS}; to rank more, type the whole ballot.`
                      : `The menus score options 1-${BALLOT_MENUS}; to score the others, type the whole ballot.`,
                  ]
                : []),
            ]),
          },
        ],
        components: [...menus, ...buttons(view.actions)],
      };
    }
    case 'poll': {
      const text = pollText(view.poll, view.yourBallot);
      const fields: APIEmbedField[] = [];
      if (text.result.length)
        fields.push({ name: 'Result', value: truncate(text.result.map(esc).join('\n'), 1024) });
      if (text.explanation.length) {
        fields.push({
          name: 'How it was counted',
          value: truncate(`\`\`\`\n${text.explanation.join('\n')}\n\`\`\``, 1024),
        });
      }
      if (text.ballots.length)
        fields.push({ name: 'Ballots', value: truncate(text.ballots.map(esc).join('\n'), 1024) });
      return {
        ...(view.headline ? { content: esc(view.headline) } : {}),
        embeds: [
          {
            color: view.poll.status === 'open' ? COLORS.info : COLORS.success,
            title: truncate(esc(text.title), 256),
            description: description([
              esc(text.status),
              '',
              ...text.options.map(
                (option) =>
                  `${option.winner ? '🏆 ' : ''}${esc(option.text)}${option.score ? ` — **${esc(option.score)}**` : ''}`,
              ),
              '',
              ...text.facts.map(esc),
            ]),
            fields,
          },
        ],
        components: buttons(view.actions),
      };
    }
    case 'help': {
      const fields: APIEmbedField[] = view.entries.slice(0, 25).map((entry) => ({
        name: truncate(entry.usage, 256),
        value: truncate(
          [
            esc(entry.description),
            ...(view.detailed
              ? [
                  `Who: ${esc(entry.allowed)}`,
                  ...entry.options.map(
                    (option) =>
                      `\`${option.name}\` ${esc(option.description)}${option.choices ? ` (${option.choices.join(' | ')})` : ''}${option.required ? ' **required**' : ''}`,
                  ),
                ]
              : []),
          ].join('\n'),
          1024,
        ),
      }));
      return {
        embeds: [
          {
            color: COLORS.info,
            title: truncate(view.title, 256),
            fields,
            ...(view.footer.length ? { footer: { text: truncate(view.footer.join(' '), 2048) } } : {}),
          },
        ],
        components: [],
      };
    }
  }
}

function targetEmbed(target: TargetDetails): APIEmbed {
  const fields: APIEmbedField[] = targetFacts(target).map(([name, value]) => ({
    name,
    value: truncate(esc(value), 1024),
    inline: value.length < 40,
  }));
  if (target.evidence.length > 0) {
    // Links are validated https URLs: shown as links (<...> suppresses previews), not markdown-escaped.
    const links = target.evidence.map((link) => `• <${link.replace(/</g, '%3C').replace(/>/g, '%3E')}>`);
    fields.push({ name: 'Evidence', value: truncate(links.join('\n'), 1024) });
  }
  return {
    color: COLORS.info,
    title: truncate(`#${target.id} ${esc(target.name)}`, 256),
    ...(target.conduct ? { description: truncate(esc(target.conduct), 4096) } : {}),
    fields,
    footer: { text: `Target ${target.id}` },
    timestamp: target.createdAt.toISOString(),
  };
}

function summaryLine(target: TargetDetails): string {
  return `**#${target.id} ${esc(target.name)}** — ${summaryParts(target).map(esc).join(' — ')}`;
}

function description(lines: string[]): string {
  return truncate(lines.join('\n'), 4096);
}

function buttons(actions: CommandAction[]): APIActionRowComponent<APIButtonComponent>[] {
  if (actions.length === 0) return [];
  const components = actions.slice(0, 25).map((action, index) => ({
    type: 2 as const,
    style: action.style === 'danger' ? 4 : action.style === 'primary' ? 1 : 2,
    label: truncate(action.label, 80),
    custom_id: `${ACTION_PREFIX}${index}:${actionValue(action, CUSTOM_ID_LIMIT)}`,
  }));
  // Discord rows hold five buttons, and a message five rows.
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let start = 0; start < components.length; start += 5) {
    rows.push({ type: 1, components: components.slice(start, start + 5) as APIButtonComponent[] });
  }
  return rows;
}

export function parseActionId(customId: string): string | undefined {
  if (!customId.startsWith(ACTION_PREFIX)) return undefined;
  const rest = customId.slice(ACTION_PREFIX.length);
  const colon = rest.indexOf(':');
  return colon >= 0 ? rest.slice(colon + 1) : undefined;
}

export const BALLOT_PREFIX = 'cb:ballot:';
/** A message holds five rows: four menus and the row of the Cast button. */
const BALLOT_MENUS = 4;

/**
 * One menu per place in the ranking ("1st choice", …) or one score menu per option, the choice so
 * far selected. Each menu's id names the poll and its place (r1, r2, …) or option (s1, s2, …):
 * `cb:ballot:<poll>:r<place>`.
 */
function menusOf(
  view: Extract<View, { kind: 'ballot-form' }>,
): APIActionRowComponent<APIStringSelectComponent>[] {
  return ballotMenus(view, BALLOT_MENUS).map((menu) => ({
    type: 1,
    components: [
      {
        type: 3,
        custom_id: `${BALLOT_PREFIX}${view.poll.id}:${menu.kind === 'rank' ? 'r' : 's'}${menu.slot}`,
        placeholder: truncate(menu.label, 150),
        min_values: 0,
        max_values: 1,
        options: menu.options.slice(0, 25).map((item) => ({
          label: truncate(item.label, 100),
          value: item.value,
          ...(item.value === menu.selected ? { default: true } : {}),
        })),
      },
    ],
  }));
}

/**
 * The choice a ballot message holds after a member picked in one of its menus: the other menus'
 * selections as the message shows them, this one's as picked (or cleared).
 */
export function readBallotMenus(
  components: ReadonlyArray<{
    components?: ReadonlyArray<{
      type: number;
      custom_id?: string;
      options?: ReadonlyArray<{ value: string; default?: boolean }>;
    }>;
  }>,
  picked: { customId: string; values: readonly string[] },
): { poll: number; choice: BallotChoice } | undefined {
  const slotOf = (customId: string | undefined) => {
    const match = customId?.startsWith(BALLOT_PREFIX)
      ? /^(\d+):([rs])(\d+)$/.exec(customId.slice(BALLOT_PREFIX.length))
      : null;
    return match ? { poll: Number(match[1]), ranked: match[2] === 'r', slot: Number(match[3]) } : undefined;
  };
  const target = slotOf(picked.customId);
  if (!target) return undefined;
  const slots = new Map<number, string>();
  for (const row of components)
    for (const component of row.components ?? []) {
      const at = slotOf(component.custom_id);
      if (component.type !== 3 || !at || at.poll !== target.poll) continue;
      const selected = component.options?.find((item) => item.default)?.value;
      if (selected !== undefined) slots.set(at.slot, selected);
    }
  const value = picked.values[0];
  if (value === undefined) slots.delete(target.slot);
  else slots.set(target.slot, value);
  const ordered = [...slots].sort(([a], [b]) => a - b);
  if (target.ranked) {
    // A pick moves an option: ranked elsewhere already, it leaves its old place.
    const ranking: number[] = [];
    for (const [slot, option] of ordered) {
      if (slot !== target.slot && option === value) continue;
      ranking.push(Number(option));
    }
    return { poll: target.poll, choice: { ranking } };
  }
  return {
    poll: target.poll,
    choice: { scores: Object.fromEntries(ordered.map(([slot, score]) => [slot, Number(score)])) },
  };
}
