import { z } from 'zod';
import { defineCommand, isGroup, type LeafCommand } from '../src/chat/command.ts';
import { describeOptions } from '../src/chat/dispatch.ts';
import { singleLine } from '../src/chat/fields.ts';
import { can, describeAllowedRoles } from '../src/domain/authorization.ts';
import { UserError } from '../src/domain/errors.ts';
import type { HelpEntry } from '../src/messages.ts';
import { HUMAN_RIGHTS_PROGRAMS } from '../src/sanctions/programs.ts';

const options = z.object({
  command: singleLine('command', 40)
    .optional()
    .describe('A command to explain, e.g. propose or "member add"'),
});

export default defineCommand({
  name: 'help',
  description: 'What the bot can do, or how one command works',
  permission: 'help.view',
  action: 'read help',
  options,
  primary: 'command',
  examples: ['/help', '/help propose', '/help member add'],
  async run(input, ctx) {
    const leaves = ctx.registry.flatMap((command) =>
      isGroup(command)
        ? command.subcommands.map((sub) => ({ usage: `/${command.name} ${sub.name}`, command: sub }))
        : [{ usage: `/${command.name}`, command }],
    );
    const entry = ({ usage, command }: { usage: string; command: LeafCommand }): HelpEntry => ({
      usage,
      description: command.description,
      allowed: describeAllowedRoles(command.permission),
      options: describeOptions(command),
      examples: command.examples ?? [],
    });
    if (input.command) {
      const wanted = `/${input.command.replace(/^\//, '').toLowerCase()}`;
      const matches = leaves.filter(({ usage }) => usage === wanted || usage.startsWith(`${wanted} `));
      if (matches.length === 0)
        throw new UserError(`There is no ${wanted} command. Type /help to list them.`);
      const footer = matches.some(({ usage }) => usage === '/propose')
        ? [`Human-rights programs: ${HUMAN_RIGHTS_PROGRAMS.join(', ')}; any OFAC program tag is accepted.`]
        : [];
      return { kind: 'help', title: `Help: ${wanted}`, entries: matches.map(entry), detailed: true, footer };
    }
    const usable = leaves.filter(({ command }) => can(ctx.actor.role, command.permission));
    return {
      kind: 'help',
      title: 'coalition-bot commands',
      entries: usable.map(entry),
      detailed: false,
      footer: ['Type /help <command> for its options and examples, e.g. /help propose.'],
    };
  },
});
