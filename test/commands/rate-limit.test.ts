import { describe, expect, it } from 'vitest';
import { expectKind, run, useSeededApp } from '../helpers/app.ts';

/** The per-member write limit (WRITES_PER_MINUTE), with its own app so no other test spends it. */
const state = useSeededApp({ WRITES_PER_MINUTE: '5' });

describe('write rate limit', () => {
  it('slows down a member who writes too fast, without saving the refused write', async () => {
    for (let index = 1; index <= 5; index++) {
      expectKind(await run(state.app, state.cast.member, `/propose "Official Number ${index}"`), 'target');
    }
    const refused = expectKind(
      await run(state.app, state.cast.member, '/propose "Official Number 6"'),
      'error',
    );
    expect(refused.title).toBe('Slow down');
    expect(refused.lines[0]).toMatch(/try again in \d+ seconds\. Nothing was saved\.$/);
    expect(await state.app.database.prisma.target.count()).toBe(5);
    // Reading is never limited, and other members are not affected.
    expectKind(await run(state.app, state.cast.member, '/targets'), 'target-list');
    expectKind(await run(state.app, state.cast.coordinator, '/propose "Official Number 6"'), 'target');
  });
});
