import { z } from 'zod';
import { renderBarChart } from '../src/chat/chart.ts';
import { defineCommand, defineGroup } from '../src/chat/command.ts';
import { csvCell } from '../src/chat/csv.ts';
import { choice, singleLine } from '../src/chat/fields.ts';
import { jurisdictionLabel, LIST_CODES, type ListCode } from '../src/sanctions/lists.ts';
import {
  type CountryBasis,
  countryGroupShares,
  describeBases,
  designationStats,
} from '../src/sanctions/mirror.ts';

const designations = defineCommand({
  name: 'designations',
  description: 'Designations counted by country, year or program, with a chart and a CSV',
  permission: 'sanctions.view',
  action: 'look up sanctions lists',
  options: z.object({
    list: choice('list', LIST_CODES as [ListCode, ...ListCode[]])
      .default('us')
      .describe('us, uk, ca, au or eu (default us)'),
    program: singleLine('program', 80)
      .optional()
      .describe('A program or regime (GLOMAG), or human-rights, anti-corruption'),
    by: choice('by', ['country', 'year', 'program'] as const)
      .default('country')
      .describe('country (as the list states it), year or program'),
  }),
  examples: ['/stats designations list:us program:GLOMAG by:country', '/stats designations list:uk by:year'],
  async run(input, ctx) {
    const bases = new Map<CountryBasis, number>();
    const rows = await designationStats(ctx.db, {
      list: input.list,
      program: input.program,
      by: input.by,
      bases,
    });
    const total = rows.reduce((sum, row) => sum + row.count, 0);
    const groups = input.by === 'country' ? countryGroupShares(rows, ctx.countryGroups) : [];
    const what = `${jurisdictionLabel(input.list)} designations${input.program ? ` (${input.program})` : ''} by ${input.by}`;
    const png = await renderBarChart({
      title: what,
      subtitle:
        input.by === 'country'
          ? `${total} entries; the country the list states, none guessed (${describeBases(bases)})`
          : `${total} entries`,
      rows: rows.slice(0, 30).map((row) => ({ label: row.key, value: row.count })),
    });
    return {
      kind: 'file',
      title: what,
      filename: `designations-${input.list}-by-${input.by}.csv`,
      content: `${['key,count', ...rows.map((row) => [row.key, row.count].map(csvCell).join(','))].join('\n')}\n`,
      summary: [
        ...(input.by === 'country' ? [`${total} entries; ${describeBases(bases)}.`] : []),
        ...groups.map(
          (group) =>
            `${group.name}: ${group.count} of ${total} (${total ? Math.round((group.count / total) * 100) : 0}%)`,
        ),
        ...rows.slice(0, 8).map((row) => `${row.key}: ${row.count}`),
      ],
      images: [{ filename: `designations-${input.list}-by-${input.by}.png`, base64: png.toString('base64') }],
    };
  },
});

export default defineGroup({
  name: 'stats',
  description: 'Designation statistics: by country, year or program',
  subcommands: [designations],
});
