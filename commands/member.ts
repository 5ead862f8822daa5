import { z } from 'zod';
import { defineCommand, defineGroup } from '../src/chat/command.ts';
import { choice, id, singleLine, slug, yesNo } from '../src/chat/fields.ts';
import { parseUserReference } from '../src/chat/mentions.ts';
import { ROLES } from '../src/domain/authorization.ts';
import { UserError } from '../src/domain/errors.ts';
import { eraseMember, exportMemberData } from '../src/domain/member-data.ts';
import { addMember, linkIdentity } from '../src/domain/members.ts';

const add = defineCommand({
  name: 'add',
  description: 'Add a person to an organization',
  permission: 'member.add',
  action: 'add members',
  options: z.object({
    name: singleLine('name', 120).describe('Display name'),
    org: slug('org').meta({ autocomplete: 'organization' }).describe('Organization slug'),
    role: choice('role', ROLES).default('member').describe('admin, coordinator, member or observer'),
    user: singleLine('user', 120)
      .optional()
      .meta({ chatUser: true })
      .describe('Their account on this platform (a mention or user id), linked at once'),
  }),
  primary: 'name',
  examples: [
    '/member add name:"Ana Díaz" org:hrw role:coordinator',
    '/member add @ana org:hrw (in Slack or Discord)',
  ],
  async run(input, ctx) {
    // In Slack, `/member add @ana org:hrw` arrives as a mention in the name: it names and links them.
    const mentioned = parseUserReference(input.name);
    const reference = input.user !== undefined ? parseUserReference(input.user) : mentioned;
    if (input.user !== undefined && !reference) {
      throw new UserError('user: give a mention (@name) or a user id.');
    }
    if (reference && !ctx.channel) {
      throw new UserError('Linking by mention works in Slack or Discord; on the console use /member link.');
    }
    const name = mentioned && input.user === undefined ? (mentioned.label ?? input.name) : input.name;
    const { member, organization, identity } = await addMember(ctx.db, ctx.actor, {
      name,
      orgSlug: input.org,
      role: input.role,
      ...(reference && ctx.channel
        ? {
            identity: {
              platform: ctx.platform,
              workspaceId: ctx.channel.workspaceId,
              userId: reference.userId,
            },
          }
        : {}),
    });
    return {
      kind: 'notice',
      tone: 'success',
      title: `Member ${member.id} added: ${member.displayName}`,
      lines: [
        `${organization.name}, ${member.role}`,
        identity
          ? `Linked to ${identity.platform} user ${identity.userId}.`
          : `Link their chat account with /member link member:${member.id} platform:slack workspace:<team id> user:<user id>`,
      ],
      ephemeral: false,
    };
  },
});

const link = defineCommand({
  name: 'link',
  description: 'Link a Slack or Discord account to a member',
  permission: 'member.link',
  action: 'link accounts',
  options: z.object({
    member: id('member').describe('Member number'),
    platform: choice('platform', ['slack', 'discord'] as const).describe('slack or discord'),
    workspace: singleLine('workspace', 64).describe('Slack team id (T...) or Discord server id'),
    user: singleLine('user', 64).describe('Slack user id (U...) or Discord user id'),
  }),
  examples: ['/member link member:3 platform:slack workspace:T0123ABCD user:U0456EFGH'],
  async run(input, ctx) {
    const { member } = await linkIdentity(ctx.db, ctx.actor, {
      memberId: input.member,
      platform: input.platform,
      workspaceId: input.workspace,
      userId: input.user,
    });
    return {
      kind: 'notice',
      tone: 'success',
      title: `Linked ${input.platform} user ${input.user} to ${member.displayName}`,
      lines: [`They can now use the bot in ${input.platform} workspace ${input.workspace}.`],
      ephemeral: true,
    };
  },
});

const exportData = defineCommand({
  name: 'export',
  description: 'Everything the bot holds about you, as a file only you see',
  permission: 'member.export',
  action: 'export your data',
  options: z.object({}),
  examples: ['/member export'],
  async run(_input, ctx) {
    const data = await exportMemberData(ctx.db, ctx.actor.memberId);
    return {
      kind: 'file',
      title: 'Your data',
      filename: `member-${ctx.actor.memberId}.json`,
      content: `${JSON.stringify(data, null, 2)}\n`,
    };
  },
});

const erase = defineCommand({
  name: 'erase',
  description: "Erase a person's personal data (their records stay, anonymized)",
  permission: 'member.erase',
  action: 'erase members',
  options: z.object({
    member: id('member').describe('Member number'),
    confirm: yesNo('confirm').default(false).describe('yes: really erase'),
  }),
  examples: ['/member erase member:7 confirm:yes'],
  async run(input, ctx) {
    if (!input.confirm) {
      throw new UserError(
        `This removes member ${input.member}'s name and chat accounts for good; their proposals, ballots and case work stay, anonymized. Run again with confirm:yes.`,
      );
    }
    await eraseMember(ctx.db, ctx.actor, input.member);
    return {
      kind: 'notice',
      tone: 'success',
      title: `Member ${input.member} erased`,
      lines: [
        'Name replaced, chat accounts unlinked, ballots anonymized; the coalition records are unchanged.',
      ],
      ephemeral: true,
    };
  },
});

export default defineGroup({
  name: 'member',
  description: 'Manage the people of member organizations',
  subcommands: [add, link, exportData, erase],
});
