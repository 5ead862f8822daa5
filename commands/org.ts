import { z } from 'zod';
import { defineCommand, defineGroup } from '../src/chat/command.ts';
import { singleLine, slug } from '../src/chat/fields.ts';
import { addOrganization } from '../src/domain/organizations.ts';

const add = defineCommand({
  name: 'add',
  description: 'Add a member organization',
  permission: 'organization.add',
  action: 'add organizations',
  options: z.object({
    name: singleLine('name', 120).describe('Organization name'),
    slug: slug('slug').describe('Short id used in commands, e.g. hrw'),
  }),
  primary: 'name',
  examples: ['/org add name:"Human Rights Watch" slug:hrw'],
  async run(input, ctx) {
    const organization = await addOrganization(ctx.db, ctx.actor, input);
    return {
      kind: 'notice',
      tone: 'success',
      title: `Organization added: ${organization.name}`,
      lines: [`Slug: ${organization.slug}`, `Add its people with /member add org:${organization.slug}`],
      ephemeral: false,
    };
  },
});

export default defineGroup({
  name: 'org',
  description: 'Manage member organizations',
  subcommands: [add],
});
