import type { APIModalInteractionResponseCallbackData } from 'discord.js';

export const PROPOSE_MODAL = 'cb:propose';
export const REOPEN_PREFIX = 'cb:form:';

/**
 * Discord modals hold five components: four inputs and the confidential choice. Kind, position,
 * aliases and suggested programs are /propose options (`/propose name:… programs:GLOMAG`).
 */
const FIELDS = [
  { id: 'name', label: 'Name', style: 1, required: true, max: 200, placeholder: 'Chen Quanguo' },
  { id: 'country', label: 'Country', style: 1, required: false, max: 80 },
  { id: 'conduct', label: 'Conduct', style: 2, required: false, max: 4000 },
  {
    id: 'evidence',
    label: 'Evidence links (one https:// link per line)',
    style: 2,
    required: false,
    max: 4000,
  },
] as const;

export function proposeModal(values: Record<string, string> = {}): APIModalInteractionResponseCallbackData {
  return {
    custom_id: PROPOSE_MODAL,
    title: 'Propose a target',
    components: [
      ...FIELDS.map((field) => ({
        type: 1 as const,
        components: [
          {
            type: 4 as const,
            custom_id: field.id,
            label: field.label,
            style: field.style,
            required: field.required,
            max_length: field.max,
            ...('placeholder' in field ? { placeholder: field.placeholder } : {}),
            ...(values[field.id] ? { value: values[field.id] } : {}),
          },
        ],
      })),
      {
        type: 18 as const,
        label: 'Confidential',
        description: 'Others see a codename; the name shows only to you, admins and its case team.',
        component: {
          type: 3 as const,
          custom_id: 'confidential',
          required: false,
          min_values: 0,
          max_values: 1,
          options: [
            { label: 'No: show the name', value: 'no', default: values.confidential !== 'yes' },
            {
              label: 'Yes: keep the name confidential',
              value: 'yes',
              default: values.confidential === 'yes',
            },
          ],
        },
      },
    ],
  };
}

/** The raw text of each input, as submitted (kept to reopen the form prefilled after an error). */
export function readModalValues(
  fields: Iterable<{ customId: string; value?: unknown; values?: unknown }>,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of fields) {
    // A text input has a value; a select menu (the confidential choice) the values picked.
    const value = Array.isArray(field.values) ? field.values.join(',') : field.value;
    if (typeof value === 'string' && value.trim() !== '') values[field.customId] = value;
  }
  return values;
}

export function proposeOptions(values: Record<string, string>): Record<string, unknown> {
  const lines = (text: string | undefined) => (text ?? '').split('\n').filter((line) => line.trim() !== '');
  return {
    name: values.name ?? '',
    ...(values.country ? { country: values.country } : {}),
    ...(values.conduct ? { conduct: values.conduct } : {}),
    ...(values.programs ? { programs: values.programs } : {}),
    evidence: lines(values.evidence),
    confidential: values.confidential === 'yes',
  };
}
