import { describe, expect, it } from 'vitest';
import { toInvocation } from '../../src/chat/dispatch.ts';
import { parseCommandLine } from '../../src/chat/syntax.ts';
import type { Actor } from '../../src/domain/tx.ts';
import type { View } from '../../src/messages.ts';
import { expectKind, run, useSeededApp } from '../helpers/app.ts';

/** The per-member write limit (WRITES_PER_MINUTE), with its own app so no other test spends it. */
const state = useSeededApp({ WRITES_PER_MINUTE: '5' });

const inSlack = (actor: Actor, line: string): Promise<View> =>
  state.app.execute(toInvocation(state.app.registry, parseCommandLine(line)), actor, 'slack', {
    workspaceId: 'T1',
    channelId: 'CGENERAL',
  });

describe('write rate limit', () => {
  it('slows down a member who writes too fast, without saving the refused write', async () => {
    for (let index = 1; index <= 5; index++) {
      expectKind(await inSlack(state.cast.member, `/propose "Official Number ${index}"`), 'target');
    }
    const refused = expectKind(await inSlack(state.cast.member, '/propose "Official Number 6"'), 'error');
    expect(refused.title).toBe('Slow down');
    expect(refused.lines[0]).toMatch(/try again in \d+ seconds\. Nothing was saved\.$/);
    expect(await state.app.database.prisma.target.count()).toBe(5);
    // Reading is never limited, other members are not affected, and the operator's console is not limited.
    expectKind(await inSlack(state.cast.member, '/targets'), 'target-list');
    expectKind(await inSlack(state.cast.coordinator, '/propose "Official Number 6"'), 'target');
    expectKind(await run(state.app, state.cast.member, '/propose "Official Number 7"'), 'target');
  });

  it('counts refused commands against the limit, and audits a burst of refusals in a few rows with a count', async () => {
    const audit = () =>
      state.app.database.prisma.auditLog.findMany({
        where: { action: 'command.refused' },
        orderBy: { id: 'asc' },
      });
    for (let index = 0; index < 5; index++) {
      const refused = expectKind(
        await inSlack(state.cast.observer, '/poll create "Q" choices:"a;b" in:1d'),
        'error',
      );
      expect(refused.title).toBe('Not allowed');
    }
    for (let index = 0; index < 195; index++) {
      const slowed = expectKind(
        await inSlack(state.cast.observer, '/poll create "Q" choices:"a;b" in:1d'),
        'error',
      );
      expect(slowed.title).toBe('Slow down');
    }
    expect(await audit()).toHaveLength(5);
  });

  it('writes the first refusals of a burst one by one, then one row with the count of the rest', async () => {
    const { RefusalAudit } = await import('../../src/chat/refusal-audit.ts');
    const refusals = new RefusalAudit(state.app.logger, 60_000);
    const db = state.app.database.prisma;
    const refusal = {
      actorMemberId: state.cast.observer.memberId,
      path: '/poll create',
      role: 'observer',
      platform: 'slack',
      reason: 'role',
    };
    for (let index = 0; index < 200; index++) await refusals.record(db, refusal);
    await refusals.flush();
    const rows = await db.auditLog.findMany({ where: { action: 'command.refused' }, orderBy: { id: 'asc' } });
    expect(rows.map((row) => (row.after as { count: number }).count)).toEqual([1, 1, 1, 1, 1, 195]);
    // A new window starts afresh.
    await refusals.record(db, refusal);
    expect(await db.auditLog.count({ where: { action: 'command.refused' } })).toBe(7);
    await refusals.flush();
  });
});
