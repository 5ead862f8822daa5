import { describe, expect, it } from 'vitest';
import { suggestCases } from '../../src/domain/cases/details.ts';
import { expectKind, run, useSeededApp } from '../helpers/app.ts';

/** The case rules one by one: each refusal changes nothing, and the way round it works. */
const state = useSeededApp();
const db = () => state.app.database.prisma;
const events = async () =>
  (await db().caseEvent.findMany({ where: { caseId: 1 }, orderBy: { id: 'asc' } })).map(
    (event) => event.kind,
  );
const refusal = async (actor: keyof typeof state.cast, line: string) =>
  expectKind(await run(state.app, state.cast[actor], line), 'error').lines.join(' ');

async function openCase() {
  await run(state.app, state.cast.member, '/propose "Chen Quanguo" country:China conduct:"Mass detention"');
  expectKind(await run(state.app, state.cast.coordinator, '/case open target:1'), 'notice');
}

describe('case rules', () => {
  it('a case ends or reopens only with a reason', async () => {
    await openCase();
    expect(await refusal('coordinator', '/case move id:1 stage:closed')).toContain(
      'reason: say why the case is closed',
    );
    expect(await refusal('coordinator', '/case move id:1 stage:declined')).toContain(
      'reason: say why the case is declined',
    );
    expect(await events()).toEqual(['opened']);
    await run(state.app, state.cast.coordinator, '/case move id:1 stage:closed reason:"merged into case 2"');
    expect(await refusal('coordinator', '/case move id:1 stage:research')).toContain(
      'reason: say why the case is reopened',
    );
    await run(state.app, state.cast.coordinator, '/case move id:1 stage:research reason:"new evidence"');
    expect(await events()).toEqual(['opened', 'moved', 'moved']);
    expect((await db().case.findUniqueOrThrow({ where: { id: 1 } })).stage).toBe('research');
  });

  it('a case keeps at least one owner', async () => {
    await openCase();
    const { coordinator, member } = state.cast;
    expect(
      await refusal('coordinator', `/case assign id:1 member:${coordinator.memberId} role:remove`),
    ).toContain('A case keeps at least one owner');
    expect(await db().caseMember.count({ where: { caseId: 1, role: 'owner' } })).toBe(1);
    await run(state.app, coordinator, `/case assign id:1 member:${member.memberId} role:owner`);
    await run(state.app, coordinator, `/case assign id:1 member:${coordinator.memberId} role:remove`);
    expect(
      await db().caseMember.findMany({ where: { caseId: 1 }, select: { memberId: true, role: true } }),
    ).toEqual([{ memberId: member.memberId, role: 'owner' }]);
  });

  it('evidence is retracted once', async () => {
    await openCase();
    await run(state.app, state.cast.coordinator, '/case evidence id:1 link:https://example.org/report.pdf');
    await run(state.app, state.cast.coordinator, '/case retract evidence:1 reason:"wrong file"');
    expect(await refusal('coordinator', '/case retract evidence:1 reason:"again"')).toContain(
      'Evidence E1 was already retracted.',
    );
    expect(await events()).toEqual(['opened', 'evidence', 'evidence-retracted']);
    expect((await db().caseEvidence.findUniqueOrThrow({ where: { id: 1 } })).retractReason).toBe(
      'wrong file',
    );
  });

  it('a case is found by its number or a part of its title, newest first', async () => {
    await openCase();
    await run(state.app, state.cast.member, '/propose "Zhu Hailun" country:China');
    expectKind(await run(state.app, state.cast.coordinator, '/case open target:2'), 'notice');
    const titles = (text: string) => suggestCases(db(), text).then((rows) => rows.map((row) => row.id));
    expect(await titles('')).toEqual([2, 1]);
    expect(await titles('#1')).toEqual([1]);
    expect(await titles('hailun')).toEqual([2]);
    expect(await titles('nobody')).toEqual([]);
  });
});
