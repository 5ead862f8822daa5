import { beforeEach, describe, expect, it } from 'vitest';
import { expectKind, run, useSeededApp } from '../helpers/app.ts';

const state = useSeededApp({ PAGE_SIZE: '3' });
beforeEach(async () => {
  const proposals = [
    '/propose "Chen Quanguo" country:China programs:GLOMAG',
    '/propose "Zhu Hailun" country:China programs:GLOMAG',
    '/propose "Wang Mingshan" country:China programs:GLOMAG,MAGNIT',
    '/propose "Ramzan Kadyrov" country:Russia programs:GLOMAG',
    '/propose "Artem Kuznetsov" country:Russia programs:MAGNIT',
    '/propose "Acme Mining Ltd" kind:entity country:Guatemala',
  ];
  for (const line of proposals) expectKind(await run(state.app, state.cast.member, line), 'target');
});

describe('/targets', () => {
  it('lists targets a page at a time with next and previous actions', async () => {
    const first = expectKind(await run(state.app, state.cast.observer, '/targets'), 'target-list');
    expect(first.page).toMatchObject({ total: 6, page: 1, pageCount: 2 });
    expect(first.page.items.map((target) => target.name)).toEqual([
      'Chen Quanguo',
      'Zhu Hailun',
      'Wang Mingshan',
    ]);
    expect(first.actions.map((action) => [action.label, action.invocation.options.page])).toEqual([
      ['Next', 2],
    ]);
    const second = expectKind(await run(state.app, state.cast.observer, '/targets page:2'), 'target-list');
    expect(second.page.items.map((target) => target.id)).toEqual([4, 5, 6]);
    expect(second.actions.map((action) => [action.label, action.invocation.options.page])).toEqual([
      ['Previous', 1],
    ]);
  });

  it('filters by status, country (any case) and program, and keeps the filters when paging', async () => {
    const china = expectKind(
      await run(state.app, state.cast.member, '/targets country:china'),
      'target-list',
    );
    expect(china.page.items.map((target) => target.name)).toEqual([
      'Chen Quanguo',
      'Zhu Hailun',
      'Wang Mingshan',
    ]);
    const magnit = expectKind(
      await run(state.app, state.cast.member, '/targets program:magnit'),
      'target-list',
    );
    expect(magnit.page.items.map((target) => target.name)).toEqual(['Wang Mingshan', 'Artem Kuznetsov']);
    const glomag = expectKind(
      await run(state.app, state.cast.member, '/targets program:GLOMAG status:proposed'),
      'target-list',
    );
    expect(glomag.page.total).toBe(4);
    expect(glomag.actions[0]?.invocation.options).toEqual({ program: 'GLOMAG', status: 'proposed', page: 2 });
    const prioritized = expectKind(
      await run(state.app, state.cast.member, '/targets status:prioritized'),
      'target-list',
    );
    expect(prioritized.page.total).toBe(0);
  });

  it('finds targets by the case-open status as members write it', async () => {
    await state.app.database.prisma.target.update({ where: { id: 2 }, data: { status: 'case_open' } });
    const open = expectKind(
      await run(state.app, state.cast.member, '/targets status:case-open'),
      'target-list',
    );
    expect(open.page.items.map((target) => [target.id, target.status])).toEqual([[2, 'case-open']]);
  });

  it('refuses bad filters clearly', async () => {
    const status = expectKind(await run(state.app, state.cast.member, '/targets status:approved'), 'error');
    expect(status.lines[0]).toBe(
      'status: status must be one of: proposed, prioritized, case-open, designated, dropped, held.',
    );
    const page = expectKind(await run(state.app, state.cast.member, '/targets page:0'), 'error');
    expect(page.lines[0]).toBe('page: page must be a positive number.');
    const text = expectKind(await run(state.app, state.cast.member, '/targets China'), 'error');
    expect(text.title).toBe('/targets does not take free text');
  });
});

describe('/target', () => {
  it('shows one target in full, by option or bare id', async () => {
    const byOption = expectKind(await run(state.app, state.cast.observer, '/target id:4'), 'target');
    expect(byOption.target).toMatchObject({
      id: 4,
      name: 'Ramzan Kadyrov',
      country: 'Russia',
      proposedBy: 'Bo Lin',
    });
    const bare = expectKind(await run(state.app, state.cast.observer, '/target #4'), 'target');
    expect(bare.target.id).toBe(4);
  });

  it('says when there is no such target', async () => {
    const view = expectKind(await run(state.app, state.cast.observer, '/target 99'), 'error');
    expect(view.lines[0]).toBe('There is no target 99. /targets lists them.');
    const bad = expectKind(await run(state.app, state.cast.observer, '/target abc'), 'error');
    expect(bad.lines[0]).toBe('id: id must be a number, like 12.');
  });
});
