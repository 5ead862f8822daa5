import type { APIModalInteractionResponseCallbackData } from 'discord.js';

export const PROPOSE_MODAL = 'cb:propose';
export const REOPEN_PREFIX = 'cb:form:';

/** Discord modals hold five inputs: the essentials; kind, position and aliases are /propose options. */
const FIELDS = [
  { id: 'name', label: 'Name', style: 1, required: true, max: 200, placeholder: 'Chen Quanguo' },
  { id: 'country', label: 'Country', style: 1, required: false, max: 80 },
  {
    id: 'programs',
    label: 'Suggested OFAC programs',
    style: 1,
    required: false,
    max: 200,
    placeholder: 'GLOMAG, MAGNIT',
  },
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
    components: FIELDS.map((field) => ({
      type: 1,
      components: [
        {
          type: 4,
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
  };
}

/** The raw text of each input, as submitted (kept to reopen the form prefilled after an error). */
export function readModalValues(
  fields: Iterable<{ customId: string; value?: unknown }>,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of fields) {
    if (typeof field.value === 'string' && field.value.trim() !== '') values[field.customId] = field.value;
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
  };
}
