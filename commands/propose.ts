import { z } from 'zod';
import { defineCommand } from '../src/chat/command.ts';
import { choice, httpsUrl, list, multiLine, singleLine, yesNo } from '../src/chat/fields.ts';
import { proposeTarget } from '../src/domain/targets.ts';

const options = z.object({
  name: singleLine('name', 200).describe('Full name of the person or entity, as commonly written'),
  kind: choice('kind', ['individual', 'entity']).default('individual').describe('individual or entity'),
  country: singleLine('country', 80).optional().describe('Country where they act or are national'),
  position: singleLine('position', 200)
    .optional()
    .describe('Position or role, e.g. "Party Secretary of Xinjiang"'),
  conduct: multiLine('conduct', 4000).optional().describe('Summary of the abuse or corruption'),
  evidence: list('evidence', httpsUrl('evidence link'), { separator: /[;\s]+/, max: 20 })
    .default([])
    .describe('https:// links, separated by ;'),
  aliases: list('aliases', singleLine('alias', 200), { separator: /;/, max: 30 })
    .default([])
    .describe('Other spellings or names, separated by ;'),
  programs: list('programs', singleLine('program', 40), { separator: /[,;]/, max: 10 })
    .default([])
    .describe('Suggested OFAC programs, e.g. GLOMAG, MAGNIT'),
  confidential: yesNo('confidential')
    .default(false)
    .describe('yes: only admins, you and its case team see it; others see a codename'),
  confirm: yesNo('confirm').default(false).describe('yes to propose even if a similar target exists'),
});

export default defineCommand({
  name: 'propose',
  description: 'Propose a person or entity for sanctions',
  permission: 'target.propose',
  action: 'propose targets',
  options,
  primary: 'name',
  form: true,
  examples: [
    '/propose name:"Chen Quanguo" country:China kind:individual programs:GLOMAG',
    '/propose Chen Quanguo country:China position:"Party Secretary" evidence:https://example.org/report',
    '/propose name:"…" confidential:yes (only you, admins and its case team see the name)',
  ],
  async run(input, ctx) {
    const result = await proposeTarget(ctx.db, ctx.actor, input, {
      catalogue: ctx.programs,
      confirmDuplicate: input.confirm,
      confidential: input.confidential,
    });
    if (result.outcome === 'possible-duplicates') {
      return {
        kind: 'duplicates',
        proposedName: input.name,
        matches: result.matches,
        actions: [
          {
            label: 'Propose anyway',
            style: 'primary',
            invocation: { command: 'propose', options: { ...input, confirm: true } },
          },
        ],
      };
    }
    if (result.outcome === 'held') {
      return {
        kind: 'notice',
        tone: 'info',
        title: `Proposal ${result.target.id} saved and held for review`,
        lines: [
          'A possible duplicate exists among targets you cannot see; an admin will look and either announce your proposal or tell you it is already tracked.',
        ],
        ephemeral: true,
      };
    }
    return {
      kind: 'target',
      headline: `Target ${result.target.id} proposed by ${ctx.actor.displayName}`,
      target: result.target,
      // The proposals channel gets the public announcement; the proposer gets a private receipt.
      ephemeral: true,
    };
  },
});
