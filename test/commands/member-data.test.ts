import { describe, expect, it } from 'vitest';
import { expectKind, run, useSeededApp } from '../helpers/app.ts';

const state = useSeededApp();
const db = () => state.app.database.prisma;

describe('member data', () => {
  it('gives a member their own data, and nobody else’s', async () => {
    const { member } = state.cast;
    await run(state.app, member, '/propose "Chen Quanguo"');
    const file = expectKind(await run(state.app, member, '/member export'), 'file');
    const data = JSON.parse(file.content) as Record<string, unknown>;
    expect(data).toMatchObject({
      exportedFor: member.memberId,
      member: { id: member.memberId, name: 'Bo Lin', role: 'member', organization: { slug: 'hrw' } },
      accounts: [{ platform: 'slack', workspace: 'T1', user: `U${member.memberId}` }],
      proposals: [{ id: 1, primaryName: 'Chen Quanguo' }],
    });
    expect(JSON.stringify(data)).not.toContain('Ana Díaz');
    expect(
      expectKind(
        await run(state.app, member, `/member export member:${state.cast.coordinator.memberId}`),
        'error',
      ).title,
    ).toBe('Unknown option for /member export');
  });

  it('erases a member’s personal data and keeps ballots, proposals and results consistent', async () => {
    const { admin, member, coordinator } = state.cast;
    await run(state.app, member, '/propose "Chen Quanguo"');
    await run(state.app, member, '/propose "Zhu Hailun"');
    await run(state.app, coordinator, '/poll create "Priorities" targets:1,2 method:single in:1d');
    await run(state.app, member, '/vote poll:1 choice:1');
    await run(state.app, coordinator, '/vote poll:1 choice:1');
    const before = expectKind(await run(state.app, admin, '/poll show 1'), 'poll');

    const unconfirmed = expectKind(
      await run(state.app, admin, `/member erase member:${member.memberId}`),
      'error',
    );
    expect(unconfirmed.lines[0]).toContain('Run again with confirm:yes');
    expectKind(await run(state.app, admin, `/member erase member:${member.memberId} confirm:yes`), 'notice');

    const erased = await db().member.findUniqueOrThrow({
      where: { id: member.memberId },
      include: { identities: true },
    });
    expect(erased).toMatchObject({
      displayName: `Erased member ${member.memberId}`,
      role: 'observer',
      identities: [],
    });
    const ballots = await db().ballot.findMany({ where: { pollId: 1 } });
    expect(ballots).toHaveLength(2);
    expect(ballots.some((ballot) => ballot.voterKey === `member:${member.memberId}`)).toBe(false);
    expect(ballots.filter((ballot) => ballot.castByMemberId === null)).toHaveLength(1);
    const after = expectKind(await run(state.app, admin, '/poll show 1'), 'poll');
    expect(after.poll.standing).toEqual(before.poll.standing);
    expect(await db().target.count({ where: { proposedByMemberId: member.memberId } })).toBe(2);
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: 'member.erase' } });
    const text = (value: unknown) =>
      JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? String(item) : item));
    expect(text(audit)).not.toContain('Bo Lin');
    // Older audit rows keep the name as it was written: the log is append-only (see README).
    expect(text(await db().auditLog.findMany())).toContain('Bo Lin');
  });
});
