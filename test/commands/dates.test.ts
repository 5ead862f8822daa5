import { describe, expect, it } from 'vitest';
import { isRealDay } from '../../src/domain/dates.ts';
import { expectKind, run, useSeededApp } from '../helpers/app.ts';

/** A date that does not exist is refused by name, never rolled over into the next month. */
const state = useSeededApp();

describe('impossible dates', () => {
  it('are told apart from real ones, leap years included', () => {
    expect(['2026-02-28', '2028-02-29', '2000-02-29', '2026-12-31'].map(isRealDay)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(
      ['2026-02-31', '2027-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-00-10'].map(isRealDay),
    ).toEqual([false, false, false, false, false, false]);
  });

  it('are refused with the option named, and nothing is saved', async () => {
    const { coordinator, admin } = state.cast;
    await run(state.app, coordinator, '/propose "Chen Quanguo"');
    const due = expectKind(await run(state.app, coordinator, '/case open target:1 due:2026-02-31'), 'error');
    expect(due.lines.join(' ')).toContain('due: 2026-02-31 is not a real date.');
    expect(await state.app.database.prisma.case.count()).toBe(0);

    await run(state.app, coordinator, '/case open target:1');
    const submit = expectKind(
      await run(state.app, coordinator, '/case submit id:1 to:UK date:2026-04-31'),
      'error',
    );
    expect(submit.lines.join(' ')).toContain('2026-04-31 is not a real date.');
    expect(await state.app.database.prisma.caseSubmission.count()).toBe(0);

    const poll = expectKind(
      await run(state.app, coordinator, '/poll create "Q" choices:"a;b" closes:2027-02-29T10:00Z'),
      'error',
    );
    expect(poll.lines.join(' ')).toContain('closes: 2027-02-29T10:00Z is not a real date and time.');
    expect(await state.app.database.prisma.poll.count()).toBe(0);

    const audit = expectKind(await run(state.app, admin, '/audit since:2026-02-30'), 'error');
    expect(audit.lines.join(' ')).toContain('since: 2026-02-30 is not a real date.');
  });
});
