import { describe, expect, it } from 'vitest';
import { createTestApp, expectKind, run, useSeededApp } from '../helpers/app.ts';

const state = useSeededApp();

const db = () => state.app.database.prisma;

describe('/propose', () => {
  it('stores a target with every field, attributed to the member and their organization', async () => {
    const view = await run(
      state.app,
      state.cast.member,
      '/propose name:"Chen Quanguo" kind:individual country:China position:"Party Secretary of Xinjiang" ' +
        'conduct:"Architect of mass detention" evidence:"https://example.org/a; https://example.org/b" ' +
        'aliases:"Ch\'en Ch\'üan-kuo; Quanguo Chen" programs:glomag,MAGNIT',
    );
    const card = expectKind(view, 'target');
    expect(card.target).toMatchObject({
      name: 'Chen Quanguo',
      country: 'China',
      status: 'proposed',
      programs: ['GLOMAG', 'MAGNIT'],
      evidence: ['https://example.org/a', 'https://example.org/b'],
      aliases: ["Ch'en Ch'üan-kuo", 'Quanguo Chen'],
      proposedBy: 'Bo Lin',
      organization: 'Human Rights Watch',
    });
    const stored = await db().target.findUniqueOrThrow({ where: { id: card.target.id } });
    expect(stored.proposedByMemberId).toBe(state.cast.member.memberId);
    expect(stored.proposedByOrganizationId).toBe(state.cast.member.organizationId);
    expect(stored.nameKeys).toContain('chen quanguo');
    expect(stored.nameKeys).toContain('chen chuan kuo');
  });

  it('takes the name as bare text and writes one audit row in the same transaction', async () => {
    const card = expectKind(
      await run(state.app, state.cast.coordinator, '/propose Chen Quanguo country:China'),
      'target',
    );
    expect(card.target.name).toBe('Chen Quanguo');
    const audit = await db().auditLog.findMany({ where: { entityType: 'target' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'target.propose',
      entityId: String(card.target.id),
      actorMemberId: state.cast.coordinator.memberId,
    });
    expect(audit[0]?.after).toMatchObject({ primaryName: 'Chen Quanguo' });
  });

  it.each([
    ['an empty name', '/propose name:""', 'name: name cannot be empty.'],
    ['a missing name', '/propose country:China', 'name: is required.'],
    ['an over-long name', `/propose name:${'x'.repeat(201)}`, 'name: name can be at most 200 characters.'],
    [
      'a non-https link',
      '/propose X evidence:http://example.org',
      'evidence: evidence link must be a full https://',
    ],
    [
      'a javascript: link',
      '/propose X evidence:javascript:alert(1)',
      'evidence link must be a full https://',
    ],
    ['an unknown kind', '/propose X kind:vessel', 'kind: kind must be one of: individual, entity.'],
    ['an unknown option', '/propose X contry:China', 'has no option contry:'],
    ['a name given twice', '/propose X name:Y', 'name is given twice'],
    ['an unknown program', '/propose X programs:GLOMAG,FOO', 'FOO is not an OFAC program tag'],
    ['a name with no letters', '/propose name:"!!!"', 'needs at least one letter or digit'],
  ])('refuses %s with a clear message and writes nothing', async (_case, line, message) => {
    const view = expectKind(await run(state.app, state.cast.member, line), 'error');
    expect([view.title, ...view.lines].join('\n')).toContain(message);
    expect(await db().target.count()).toBe(0);
    expect(await db().auditLog.count({ where: { entityType: 'target' } })).toBe(0);
  });

  it('accepts program tags with spaces and extra tags from EXTRA_PROGRAMS', async () => {
    const card = expectKind(
      await run(state.app, state.cast.member, '/propose X programs:"caatsa -  russia; GLOMAG"'),
      'target',
    );
    expect(card.target.programs).toEqual(['CAATSA - RUSSIA', 'GLOMAG']);
    const extended = await createTestApp(state.app.database, { EXTRA_PROGRAMS: 'NEW-EO99999' });
    const other = expectKind(
      await run(extended, state.cast.member, '/propose Y programs:new-eo99999'),
      'target',
    );
    expect(other.target.programs).toEqual(['NEW-EO99999']);
  });

  it('strips invisible and bidi-override characters from names', async () => {
    const card = expectKind(
      await run(state.app, state.cast.member, '/propose name:"Chen\u200b \u202eQuanguo\u202c"'),
      'target',
    );
    expect(card.target.name).toBe('Chen Quanguo');
  });

  it.each([
    ['the same name in other case and accents', 'CHÉN quanguo'],
    ['the name in another word order with punctuation', 'Quanguo, Chen'],
    ['an alias of the existing target', 'Ch‘en Ch‘üan-kuo'],
    // Beyond name keys, the matcher that links designations and lists decides too.
    ['the syllables hyphenated', 'Quan-guo Chen'],
    ['the name in Chinese characters', '陈全国'],
    ['a one-letter typo', 'Chen Quangou'],
  ])('points out a likely duplicate: %s', async (_case, name) => {
    await run(state.app, state.cast.member, `/propose "Chen Quanguo" aliases:"Ch'en Ch'üan-kuo"`);
    const view = expectKind(
      await run(state.app, state.cast.coordinator, `/propose name:"${name}"`),
      'duplicates',
    );
    expect(view.matches.map((match) => match.name)).toEqual(['Chen Quanguo']);
    expect(await db().target.count()).toBe(1);
    const confirm = view.actions[0];
    expect(confirm?.invocation.options).toMatchObject({ name, confirm: true });
  });

  it('matches a new alias against an existing name, and proposes anyway on confirm:yes', async () => {
    await run(state.app, state.cast.member, '/propose Chen Quanguo');
    expectKind(
      await run(state.app, state.cast.member, '/propose "Chen Q." aliases:"Chen Quanguo"'),
      'duplicates',
    );
    const card = expectKind(
      await run(state.app, state.cast.member, '/propose "Chen Q." aliases:"Chen Quanguo" confirm:yes'),
      'target',
    );
    expect(card.target.id).toBe(2);
    const audit = await db().auditLog.findFirstOrThrow({ where: { entityId: '2', entityType: 'target' } });
    expect(audit.action).toBe('target.propose-confirmed-duplicate');
  });

  it('does not flag a different person who shares one word of the name', async () => {
    await run(state.app, state.cast.member, '/propose Chen Quanguo');
    expectKind(await run(state.app, state.cast.member, '/propose Chen Mingguo'), 'target');
    expect(await db().target.count()).toBe(2);
  });

  it('saves one target when several members propose the same name at the same moment', async () => {
    const proposers = [state.cast.admin, state.cast.coordinator, state.cast.member];
    for (let round = 1; round <= 3; round++) {
      const views = await Promise.all(
        [...proposers, ...proposers].map((actor, index) =>
          run(
            state.app,
            actor,
            index % 2 ? `/propose "Race N${round} Twin"` : `/propose "Twin Race N${round}"`,
          ),
        ),
      );
      expect(
        views.filter((view) => view.kind === 'target'),
        `round ${round}`,
      ).toHaveLength(1);
      expect(views.filter((view) => view.kind === 'duplicates')).toHaveLength(5);
    }
    expect(await db().target.count()).toBe(3);
  });

  it('is refused to observers, who can still read', async () => {
    const view = expectKind(await run(state.app, state.cast.observer, '/propose X'), 'error');
    expect(view.lines.join(' ')).toContain('Only admins, coordinators, members can propose targets');
    expect(await db().target.count()).toBe(0);
    expectKind(await run(state.app, state.cast.observer, '/targets'), 'target-list');
  });
});
