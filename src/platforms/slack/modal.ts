import type { KnownBlock, ModalView } from '@slack/types';
import { ballotMenus } from '../../chat/ballot-form.ts';
import { MAX_SCORE } from '../../domain/polls/tally.ts';
import type { BallotFormView } from '../../messages.ts';
import { HUMAN_RIGHTS_PROGRAMS, type ProgramCatalogue } from '../../sanctions/programs.ts';

export const PROPOSE_CALLBACK = 'cb:propose';
const VALUE = 'value';

type StateValues = Record<
  string,
  Record<
    string,
    {
      value?: string | null;
      selected_option?: { value: string } | null;
      selected_options?: Array<{ value: string }>;
    }
  >
>;

const option = (text: string, value = text) => ({ text: { type: 'plain_text' as const, text }, value });

function textInput(
  name: string,
  label: string,
  options: {
    optional?: boolean;
    multiline?: boolean;
    max?: number;
    hint?: string;
    placeholder?: string;
  } = {},
): KnownBlock {
  return {
    type: 'input',
    block_id: name,
    optional: options.optional ?? true,
    label: { type: 'plain_text', text: label },
    ...(options.hint ? { hint: { type: 'plain_text', text: options.hint } } : {}),
    element: {
      type: 'plain_text_input',
      action_id: VALUE,
      multiline: options.multiline ?? false,
      ...(options.max ? { max_length: options.max } : {}),
      ...(options.placeholder ? { placeholder: { type: 'plain_text', text: options.placeholder } } : {}),
    },
  };
}

/** The /propose form. Block ids are the command's option names, so errors land beside their field. */
export function proposeModal(programs: ProgramCatalogue, channelId: string | undefined): ModalView {
  const humanRights = new Set<string>(HUMAN_RIGHTS_PROGRAMS);
  const others = [...programs].filter((tag) => !humanRights.has(tag)).sort();
  return {
    type: 'modal',
    callback_id: PROPOSE_CALLBACK,
    private_metadata: JSON.stringify({ channelId }),
    title: { type: 'plain_text', text: 'Propose a target' },
    submit: { type: 'plain_text', text: 'Propose' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      textInput('name', 'Name', { optional: false, max: 200, placeholder: 'Chen Quanguo' }),
      {
        type: 'input',
        block_id: 'kind',
        label: { type: 'plain_text', text: 'Kind' },
        element: {
          type: 'static_select',
          action_id: VALUE,
          initial_option: option('individual'),
          options: [option('individual'), option('entity')],
        },
      },
      textInput('country', 'Country', { max: 80 }),
      textInput('position', 'Position or role', { max: 200 }),
      textInput('conduct', 'Conduct', {
        multiline: true,
        max: 3000,
        hint: 'The abuse or corruption, in brief.',
      }),
      textInput('evidence', 'Evidence links', { multiline: true, hint: 'One https:// link per line.' }),
      textInput('aliases', 'Aliases', { multiline: true, hint: 'Other spellings or names, one per line.' }),
      {
        type: 'input',
        block_id: 'programs',
        optional: true,
        label: { type: 'plain_text', text: 'Suggested OFAC programs' },
        element: {
          type: 'multi_static_select',
          action_id: VALUE,
          option_groups: [
            {
              label: { type: 'plain_text', text: 'Human rights' },
              options: [...humanRights].filter((tag) => programs.has(tag)).map((tag) => option(tag)),
            },
            {
              label: { type: 'plain_text', text: 'Other programs' },
              options: others.slice(0, 90).map((tag) => option(tag)),
            },
          ],
        },
      },
      {
        type: 'input',
        block_id: 'confidential',
        optional: true,
        label: { type: 'plain_text', text: 'Confidential' },
        hint: {
          type: 'plain_text',
          text: 'Others see a codename; the name is shown only to you, admins and its case team.',
        },
        element: {
          type: 'checkboxes',
          action_id: VALUE,
          options: [option('Keep the name confidential', 'yes')],
        },
      },
      {
        type: 'input',
        block_id: 'confirm',
        optional: true,
        label: { type: 'plain_text', text: 'Similar targets' },
        element: {
          type: 'checkboxes',
          action_id: VALUE,
          options: [option('Propose even if a similar target exists', 'yes')],
        },
      },
    ],
  };
}

/** The form's block ids (they are /propose's option names): where an error can be shown beside its field. */
export function formFields(modal: ModalView): Set<string> {
  return new Set(
    modal.blocks.flatMap((block) => ('block_id' in block && block.block_id ? [block.block_id] : [])),
  );
}

/** The submitted form as command options (the same schema validates them as for typed commands). */
export function readProposeForm(values: StateValues): Record<string, unknown> {
  const field = (name: string) => values[name]?.[VALUE];
  const text = (name: string) => {
    const value = field(name)?.value;
    return value === null || value === undefined || value.trim() === '' ? undefined : value;
  };
  const lines = (name: string) => (text(name) ?? '').split('\n').filter((line) => line.trim() !== '');
  const options: Record<string, unknown> = {
    name: text('name') ?? '',
    kind: field('kind')?.selected_option?.value ?? 'individual',
    evidence: lines('evidence'),
    aliases: lines('aliases'),
    programs: (field('programs')?.selected_options ?? []).map((selected) => selected.value),
    confirm: (field('confirm')?.selected_options ?? []).length > 0,
    confidential: (field('confidential')?.selected_options ?? []).length > 0,
  };
  for (const name of ['country', 'position', 'conduct']) {
    const value = text(name);
    if (value !== undefined) options[name] = value;
  }
  return options;
}

/** What a form carries in its private metadata: the channel it was opened from, a ballot's poll. */
export function readMetadata(privateMetadata: string | undefined): { channelId?: string; poll?: number } {
  try {
    const parsed = JSON.parse(privateMetadata ?? '{}') as { channelId?: unknown; poll?: unknown };
    return {
      ...(typeof parsed.channelId === 'string' ? { channelId: parsed.channelId } : {}),
      ...(typeof parsed.poll === 'number' ? { poll: parsed.poll } : {}),
    };
  } catch {
    return {};
  }
}

export const BALLOT_CALLBACK = 'cb:ballot';
/** Slack's modals hold 100 blocks; a ranking past ten places is typed. */
const RANKS_SHOWN = 10;

/**
 * A ranked or score poll's ballot as a modal: one menu per place in the ranking ("1st choice", …),
 * or one score menu per option, the member's current ballot selected.
 */
export function ballotModal(view: BallotFormView, channelId: string | undefined): ModalView {
  const { poll, choice } = view;
  const menus = ballotMenus(view, 'ranking' in choice ? RANKS_SHOWN : poll.options.length).map((menu) => {
    const choices = menu.options.map((item) => option(truncateLabel(item.label, 75), item.value));
    return {
      type: 'input' as const,
      block_id: `${menu.kind}-${menu.slot}`,
      optional: true,
      label: { type: 'plain_text' as const, text: truncateLabel(menu.label, 2000) },
      element: {
        type: 'static_select' as const,
        action_id: VALUE,
        placeholder: { type: 'plain_text' as const, text: 'Not chosen' },
        options: choices,
        ...(menu.selected ? { initial_option: choices.find((item) => item.value === menu.selected) } : {}),
      },
    };
  });
  return {
    type: 'modal',
    callback_id: BALLOT_CALLBACK,
    private_metadata: JSON.stringify({ channelId, poll: poll.id }),
    title: { type: 'plain_text', text: truncateLabel(`Vote in poll ${poll.id}`, 24) },
    submit: { type: 'plain_text', text: 'Cast ballot' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'plain_text',
          text: truncateLabel(
            `${poll.question}\n${'ranking' in choice ? 'Rank as many options as you like, most preferred first.' : `Score any option from 0 to ${MAX_SCORE}; options left unscored are not counted.`}`,
            3000,
          ),
        },
      },
      ...menus,
    ],
  };
}

/**
 * The submitted ballot as /vote's choice ("3 1 2", "1=5 2=3"), or errors beside the menus: an
 * option ranked twice, nothing chosen.
 */
export function readBallotForm(
  values: StateValues,
): { choice: string } | { errors: Record<string, string> } | undefined {
  const picked = (blockId: string) => values[blockId]?.[VALUE]?.selected_option?.value;
  const ranks = Object.keys(values)
    .filter((blockId) => blockId.startsWith('rank-'))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  if (ranks.length) {
    const ranking: string[] = [];
    for (const blockId of ranks) {
      const value = picked(blockId);
      if (value === undefined) continue;
      if (ranking.includes(value))
        return { errors: { [blockId]: `Option ${value} is ranked already; pick each option once.` } };
      ranking.push(value);
    }
    return ranking.length
      ? { choice: ranking.join(' ') }
      : { errors: { [ranks[0] as string]: 'Rank at least one option.' } };
  }
  const scores = Object.keys(values).filter((blockId) => blockId.startsWith('score-'));
  if (scores.length === 0) return undefined;
  const pairs = scores.flatMap((blockId) => {
    const value = picked(blockId);
    return value === undefined ? [] : [`${blockId.slice(6)}=${value}`];
  });
  return pairs.length
    ? { choice: pairs.join(' ') }
    : { errors: { [scores[0] as string]: 'Score at least one option.' } };
}

function truncateLabel(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
