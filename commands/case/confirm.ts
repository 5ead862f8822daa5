import { z } from 'zod';
import { defineCommand } from '../../src/chat/command.ts';
import { choice, id } from '../../src/chat/fields.ts';
import { decideMatch, matchDetails } from '../../src/domain/cases/designations.ts';
import { codeOfStored, jurisdictionLabel } from '../../src/sanctions/lists.ts';

export default defineCommand({
  name: 'confirm',
  description: 'Confirm or dismiss a possible designation found on a sanctions list',
  permission: 'case.confirm',
  action: 'confirm designations',
  options: z.object({
    match: id('match').describe('Match number, from the possible-designation message'),
    decision: choice('decision', ['confirm', 'dismiss', 'show'] as const)
      .default('confirm')
      .describe('confirm, dismiss, or show (the entry and evidence, only to you)'),
  }),
  examples: [
    '/case confirm match:4',
    '/case confirm match:4 decision:dismiss',
    '/case confirm match:4 decision:show',
  ],
  async run(input, ctx) {
    if (input.decision === 'show') {
      const match = await matchDetails(ctx.db, ctx.actor, input.match);
      return {
        kind: 'notice',
        tone: 'info',
        title: `Match ${match.id}: ${match.list === 'SDN' ? 'OFAC' : jurisdictionLabel(codeOfStored(match.list))} entry ${match.entryId ?? match.uid} ${match.listedName} (${match.status})`,
        lines: [
          `Kind: ${match.kind}; programs: ${match.programs.join(', ')}; score ${match.score.toFixed(2)}`,
          ...match.evidence,
          ...(match.list === 'SDN'
            ? [`https://sanctionssearch.ofac.treas.gov/Details.aspx?id=${match.uid}`]
            : []),
        ],
        ephemeral: true,
      };
    }
    const outcome = await decideMatch(
      ctx.db,
      ctx.actor,
      input.match,
      input.decision === 'confirm',
      ctx.now(),
    );
    return {
      kind: 'notice',
      tone: 'success',
      title:
        input.decision === 'confirm'
          ? outcome.confidential
            ? `Match ${input.match} confirmed for ${outcome.shown}`
            : `Match ${input.match} confirmed: ${outcome.listedName} (${outcome.list === 'us' ? `OFAC ${outcome.uid}` : `${jurisdictionLabel(outcome.list)} ${outcome.entryId}`})`
          : `Match ${input.match} dismissed`,
      lines: outcome.cases.length ? [`Cases updated: ${outcome.cases.join(', ')}`] : [],
      ephemeral: false,
    };
  },
});
