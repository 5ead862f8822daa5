import { z } from 'zod';
import { renderBarChart } from '../src/chat/chart.ts';
import { defineCommand, defineGroup } from '../src/chat/command.ts';
import { csvCell } from '../src/chat/csv.ts';
import { choice, list, singleLine } from '../src/chat/fields.ts';
import { ForbiddenError } from '../src/domain/errors.ts';
import { getTarget, maySee } from '../src/domain/targets.ts';
import { jurisdictionLabel, LIST_CODES, type ListCode } from '../src/sanctions/lists.ts';
import {
  borderlinePairs,
  decidePair,
  describeLag,
  describeListingDate,
  mirrorChart,
  mirrorGaps,
  mirrorOf,
  mirrorShares,
} from '../src/sanctions/mirror.ts';

const LIST = LIST_CODES as [ListCode, ...ListCode[]];

const show = defineCommand({
  name: 'show',
  description: 'Which governments list a target or a name, when, and how long after the first',
  permission: 'sanctions.view',
  action: 'look up sanctions lists',
  options: z.object({
    query: singleLine('query', 200).describe('A target number (#12) or a name'),
  }),
  primary: 'query',
  examples: ['/mirror Zhu Hailun', '/mirror #12'],
  async run(input, ctx) {
    let name = input.query;
    let aliases: string[] = [];
    const number = /^#?(\d+)$/.exec(input.query.trim())?.[1];
    if (number) {
      const target = await getTarget(ctx.db, Number(number), ctx.actor);
      // Looking a confidential target up by number would print the lists' entries for its real name.
      if (target.confidential && !(await maySee(ctx.db, ctx.actor, target)))
        throw new ForbiddenError(
          'This target is confidential: only admins, its proposer and its case team can look it up.',
        );
      name = target.name;
      aliases = target.aliases;
    }
    const rows = await mirrorOf(ctx.db, name, { aliases, now: ctx.now() });
    if (rows.length === 0)
      return {
        kind: 'error',
        title: 'No list imported yet',
        lines: ['An admin imports lists with npm run cli -- sanctions sync (or the scheduled checks do).'],
      };
    return {
      kind: 'notice',
      tone: 'info',
      title: `Who lists ${number ? `#${number} ` : ''}${name}`,
      lines: rows.map((row) =>
        row.listed
          ? `${jurisdictionLabel(row.list)}: ${describeListingDate(row.listedOn, row.dateKind)}${row.lagDays ? ` (${describeLag(row.lagDays)} after the first)` : ''}: entry ${row.id} ${row.name} [${row.regimes.join(', ')}]`
          : `${jurisdictionLabel(row.list)}: not listed`,
      ),
      ephemeral: true,
    };
  },
});

const gaps = defineCommand({
  name: 'gaps',
  description: 'What one government listed and the others have not, oldest first, as CSV',
  permission: 'sanctions.view',
  action: 'look up sanctions lists',
  options: z.object({
    from: choice('from', LIST).default('us').describe('The government that listed them (default us)'),
    to: list('to', choice('to', LIST), { separator: /[,;\s]+/, max: 5 })
      .default([])
      .describe('The governments that have not (default: all others)'),
    program: singleLine('program', 80)
      .optional()
      .describe('A program or regime (GLOMAG), or human-rights, anti-corruption'),
    country: singleLine('country', 80)
      .optional()
      .describe('A country the list states (nationality or address)'),
  }),
  examples: [
    '/mirror gaps from:us to:uk,ca program:GLOMAG',
    '/mirror gaps program:human-rights country:China',
  ],
  async run(input, ctx) {
    const to = input.to.length
      ? input.to.filter((code) => code !== input.from)
      : LIST.filter((code) => code !== input.from);
    const rows = await mirrorGaps(ctx.db, {
      from: input.from,
      to,
      program: input.program,
      country: input.country,
      now: ctx.now(),
    });
    const header = 'list,id,name,listed_on,date_kind,regimes';
    const lines = rows.map((row) =>
      [row.list, row.id, row.name, row.listedOn, row.dateKind, row.regimes.join('; ')].map(csvCell).join(','),
    );
    return {
      kind: 'file',
      title: `${rows.length} ${jurisdictionLabel(input.from)} designation${rows.length === 1 ? '' : 's'} not mirrored by ${to.map(jurisdictionLabel).join(', ')}`,
      filename: `gaps-${input.from}-${to.join('-')}.csv`,
      content: `${[header, ...lines].join('\n')}\n`,
      summary: rows
        .slice(0, 10)
        .map((row) => `${row.id} ${row.name} (${describeListingDate(row.listedOn, row.dateKind)})`),
    };
  },
});

const chart = defineCommand({
  name: 'chart',
  description:
    'The share of US human-rights and anti-corruption designations each government has mirrored, by year',
  permission: 'sanctions.view',
  action: 'look up sanctions lists',
  options: z.object({}),
  examples: ['/mirror chart'],
  async run(_input, ctx) {
    const shares = await mirrorShares(ctx.db, 'us', ctx.now());
    const drawn = mirrorChart(shares);
    const rows = drawn.rows;
    const png = await renderBarChart(drawn);
    const header = 'jurisdiction,us_listing_year,us_designations,mirrored,share,median_lag_days';
    return {
      kind: 'file',
      title: 'Mirrors of US human-rights and anti-corruption designations',
      filename: 'mirror-shares.csv',
      content: `${[header, ...shares.map((share) => [share.list, share.year, share.total, share.mirrored, share.total ? (share.mirrored / share.total).toFixed(3) : '', share.medianLagDays ?? ''].map(csvCell).join(','))].join('\n')}\n`,
      summary: rows.slice(0, 12).map((row) => `${row.label}: ${row.value}% (${row.note})`),
      images: [{ filename: 'mirror-shares.png', base64: png.toString('base64') }],
    };
  },
});

const review = defineCommand({
  name: 'review',
  description: 'Pairs of entries that may be the same on two lists, for a coordinator to confirm or split',
  permission: 'sanctions.view',
  action: 'look up sanctions lists',
  options: z.object({ query: singleLine('query', 200).describe('A name') }),
  primary: 'query',
  examples: ['/mirror review Chen Quanguo'],
  async run(input, ctx) {
    const pairs = await borderlinePairs(ctx.db, input.query);
    return {
      kind: 'notice',
      tone: 'info',
      title: pairs.length
        ? `${pairs.length} pair${pairs.length === 1 ? '' : 's'} to decide for ${input.query}`
        : `Nothing to decide for ${input.query}`,
      lines: pairs.flatMap((pair) => [
        `${pair.pair}: ${jurisdictionLabel(pair.a.list)} ${pair.a.id} ${pair.a.name} ~ ${jurisdictionLabel(pair.b.list)} ${pair.b.id} ${pair.b.name} (score ${pair.score.toFixed(2)}; ${pair.evidence.join('; ')})`,
        `  /mirror confirm pair:${pair.pair}   or   /mirror split pair:${pair.pair}`,
      ]),
      ephemeral: true,
    };
  },
});

function decision(same: boolean) {
  return defineCommand({
    name: same ? 'confirm' : 'split',
    description: same
      ? 'Say two entries on two lists are the same person or entity (a mirror)'
      : 'Say two entries on two lists are different people or entities',
    permission: 'mirror.decide',
    action: 'decide on mirror pairs',
    options: z.object({
      pair: singleLine('pair', 80).describe('As /mirror review shows it, e.g. ca:5123~us:29220'),
    }),
    primary: 'pair',
    examples: [same ? '/mirror confirm pair:ca:5123~us:29220' : '/mirror split pair:ca:5123~us:29220'],
    async run(input, ctx) {
      await decidePair(ctx.db, ctx.actor, input.pair, same, ctx.now());
      return {
        kind: 'notice',
        tone: 'success',
        title: same ? `Linked: ${input.pair} is one person or entity` : `Split: ${input.pair} are different`,
        lines: ['/mirror answers, gaps, charts and digests follow this decision from now on.'],
        ephemeral: true,
      };
    },
  });
}

export default defineGroup({
  name: 'mirror',
  description: 'Who has mirrored whom: US, UK, Canada, Australia and EU designations side by side',
  subcommands: [show, gaps, chart, review, decision(true), decision(false)],
  defaultSubcommand: 'show',
});
