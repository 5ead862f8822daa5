import { describe, expect, it } from 'vitest';
import { resolveActor } from '../../src/domain/members.ts';
import { expectKind, run, useSeededApp } from '../helpers/app.ts';

const state = useSeededApp();

const db = () => state.app.database.prisma;

describe('/org add', () => {
  it('adds an organization with an audit row', async () => {
    const view = expectKind(
      await run(state.app, state.cast.admin, '/org add name:"Open Society" slug:Open-Society'),
      'notice',
    );
    expect(view.title).toBe('Organization added: Open Society');
    const organization = await db().organization.findUniqueOrThrow({ where: { slug: 'open-society' } });
    const audit = await db().auditLog.findFirstOrThrow({
      where: { entityType: 'organization', entityId: String(organization.id) },
    });
    expect(audit).toMatchObject({ action: 'organization.add', actorMemberId: state.cast.admin.memberId });
  });

  it('refuses a taken slug or name, and a malformed slug', async () => {
    const slug = expectKind(
      await run(state.app, state.cast.admin, '/org add name:"Other" slug:hrw'),
      'error',
    );
    expect(slug.lines[0]).toBe('The slug "hrw" is already used by Human Rights Watch.');
    const name = expectKind(
      await run(state.app, state.cast.admin, '/org add name:"human rights watch" slug:hrw2'),
      'error',
    );
    expect(name.lines[0]).toBe('An organization named "Human Rights Watch" already exists (slug hrw).');
    const bad = expectKind(
      await run(state.app, state.cast.admin, '/org add name:"X" slug:"no spaces"'),
      'error',
    );
    expect(bad.lines[0]).toContain('slug: slug must be 1-40 lower-case letters');
    expect(await db().organization.count()).toBe(3);
  });

  it.each(['coordinator', 'member', 'observer'] as const)(
    'is refused to a %s, with an explanation',
    async (role) => {
      const view = expectKind(await run(state.app, state.cast[role], '/org add name:"X" slug:x'), 'error');
      expect(view.lines[0]).toBe(`Only admins can add organizations; you are ${role}.`);
      expect(await db().organization.findUnique({ where: { slug: 'x' } })).toBeNull();
    },
  );
});

describe('/member add and /member link', () => {
  it('adds a member to an organization and links a Discord account that then resolves to them', async () => {
    const added = expectKind(
      await run(state.app, state.cast.admin, '/member add name:"Dana Ruiz" org:ti role:coordinator'),
      'notice',
    );
    expect(added.title).toMatch(/^Member \d+ added: Dana Ruiz$/);
    const member = await db().member.findFirstOrThrow({ where: { displayName: 'Dana Ruiz' } });
    expect(member.role).toBe('coordinator');
    expectKind(
      await run(
        state.app,
        state.cast.admin,
        `/member link member:${member.id} platform:discord workspace:9001 user:42`,
      ),
      'notice',
    );
    const actor = await resolveActor(db(), { platform: 'discord', workspaceId: '9001', userId: '42' });
    expect(actor).toMatchObject({ memberId: member.id, role: 'coordinator', organizationSlug: 'ti' });
    const actions = await db().auditLog.findMany({
      where: { actorMemberId: state.cast.admin.memberId },
      orderBy: { id: 'desc' },
      take: 2,
    });
    expect(actions.map((row) => row.action)).toEqual(['member.link', 'member.add']);
  });

  it('links one member to Slack and Discord: the same person on both', async () => {
    await run(
      state.app,
      state.cast.admin,
      `/member link member:${state.cast.member.memberId} platform:discord workspace:9001 user:77`,
    );
    const onSlack = await resolveActor(db(), {
      platform: 'slack',
      workspaceId: 'T1',
      userId: `U${state.cast.member.memberId}`,
    });
    const onDiscord = await resolveActor(db(), { platform: 'discord', workspaceId: '9001', userId: '77' });
    expect(onDiscord).toEqual(onSlack);
  });

  it('refuses duplicates and unknown references without writing', async () => {
    const before = await db().auditLog.count();
    const dupe = expectKind(
      await run(state.app, state.cast.admin, '/member add name:"ana díaz" org:hrw'),
      'error',
    );
    expect(dupe.lines[0]).toContain('Human Rights Watch already has a member named "Ana Díaz"');
    const org = expectKind(await run(state.app, state.cast.admin, '/member add name:"X" org:nope'), 'error');
    expect(org.lines[0]).toContain('No organization has the slug "nope"');
    const role = expectKind(
      await run(state.app, state.cast.admin, '/member add name:"X" org:hrw role:boss'),
      'error',
    );
    expect(role.lines[0]).toBe('role: role must be one of: admin, coordinator, member, observer.');
    const taken = expectKind(
      await run(
        state.app,
        state.cast.admin,
        `/member link member:${state.cast.admin.memberId} platform:slack workspace:T1 user:U${state.cast.member.memberId}`,
      ),
      'error',
    );
    expect(taken.lines[0]).toContain('already linked to member');
    const missing = expectKind(
      await run(state.app, state.cast.admin, '/member link member:999 platform:slack workspace:T1 user:U9'),
      'error',
    );
    expect(missing.lines[0]).toBe('There is no member 999.');
    const platform = expectKind(
      await run(state.app, state.cast.admin, '/member link member:2 platform:console workspace:a user:b'),
      'error',
    );
    expect(platform.lines[0]).toBe('platform: platform must be one of: slack, discord.');
    expect(await db().auditLog.count()).toBe(before);
  });

  it('needs a subcommand, and names the ones there are', async () => {
    const none = expectKind(await run(state.app, state.cast.admin, '/member'), 'error');
    expect(none.lines[0]).toBe('Use one of: add, link, export, erase.');
    const wrong = expectKind(await run(state.app, state.cast.admin, '/member remove name:x'), 'error');
    expect(wrong.lines[0]).toBe('"remove" is not a /member command. Use one of: add, link, export, erase.');
  });

  it('is refused to non-admins', async () => {
    const view = expectKind(
      await run(state.app, state.cast.coordinator, '/member add name:X org:hrw'),
      'error',
    );
    expect(view.lines[0]).toBe('Only admins can add members; you are coordinator.');
  });
});

describe('/help', () => {
  it('lists the commands a role may use, generated from the registry', async () => {
    const forAdmin = expectKind(await run(state.app, state.cast.admin, '/help'), 'help');
    expect(forAdmin.entries.map((entry) => entry.usage)).toEqual([
      '/propose',
      '/targets',
      '/target',
      '/review',
      '/poll create',
      '/poll show',
      '/poll list',
      '/poll close',
      '/poll export',
      '/vote',
      '/case open',
      '/case status',
      '/case move',
      '/case assign',
      '/case submit',
      '/case answer',
      '/case note',
      '/case evidence',
      '/case retract',
      '/case list',
      '/case mine',
      '/case follow',
      '/case export',
      '/case confirm',
      '/digest subscribe',
      '/digest unsubscribe',
      '/digest list',
      '/digest now',
      '/mirror show',
      '/mirror gaps',
      '/mirror chart',
      '/mirror review',
      '/mirror confirm',
      '/mirror split',
      '/stats designations',
      '/org add',
      '/member add',
      '/member link',
      '/member export',
      '/member erase',
      '/channel set',
      '/channel list',
      '/audit',
      '/help',
    ]);
    const forObserver = expectKind(await run(state.app, state.cast.observer, '/help'), 'help');
    expect(forObserver.entries.map((entry) => entry.usage)).toEqual([
      '/targets',
      '/target',
      '/poll show',
      '/poll list',
      '/case status',
      '/case list',
      '/case mine',
      '/case export',
      '/digest list',
      '/digest now',
      '/mirror show',
      '/mirror gaps',
      '/mirror chart',
      '/mirror review',
      '/stats designations',
      '/member export',
      '/help',
    ]);
  });

  it('explains one command with its options, choices and examples', async () => {
    const view = expectKind(await run(state.app, state.cast.member, '/help propose'), 'help');
    const [entry] = view.entries;
    expect(entry?.usage).toBe('/propose');
    expect(entry?.options.find((option) => option.name === 'name')).toMatchObject({
      required: true,
      primary: true,
    });
    expect(entry?.options.find((option) => option.name === 'kind')?.choices).toEqual([
      'individual',
      'entity',
    ]);
    expect(entry?.examples.length).toBeGreaterThan(0);
    const group = expectKind(await run(state.app, state.cast.member, '/help member'), 'help');
    expect(group.entries.map((item) => item.usage)).toEqual([
      '/member add',
      '/member link',
      '/member export',
      '/member erase',
    ]);
    const unknown = expectKind(await run(state.app, state.cast.member, '/help fly'), 'error');
    expect(unknown.lines[0]).toBe('There is no /fly command. Type /help to list them.');
  });
});
