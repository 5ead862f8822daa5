import { describe, expect, it } from 'vitest';
import { StoredValueError, storedBallot, storedInvocation, storedOutcome } from '../../src/domain/stored.ts';
import { storedChangeEntry, storedEntry } from '../../src/sanctions/stored.ts';

describe('JSON columns read back', () => {
  it('give back what was stored', () => {
    expect(storedBallot({ kind: 'ranked', ranking: [2, 0, 1] })).toEqual({
      kind: 'ranked',
      ranking: [2, 0, 1],
    });
    expect(storedBallot({ kind: 'score', scores: { 0: 5, 2: 3 } })).toEqual({
      kind: 'score',
      scores: { 0: 5, 2: 3 },
    });
    expect(storedInvocation({ command: 'vote', options: { poll: 3 }, text: '1 2' })).toEqual({
      command: 'vote',
      options: { poll: 3 },
      text: '1 2',
    });
  });

  it('refuse a value their column should not hold, naming the column', () => {
    expect(() => storedBallot({ kind: 'ranked', ranking: ['a'] })).toThrow(StoredValueError);
    expect(() => storedBallot({ kind: 'borda', ranking: [0] })).toThrow(/ballot\.choices/);
    expect(() => storedOutcome({ tally: null })).toThrow(/poll\.outcome/);
    expect(() => storedInvocation('vote 3')).toThrow(/pending_action\.invocation/);
  });

  it('read list entries back from entry versions and change details, refusing a malformed one', () => {
    const entry = {
      uid: 36216,
      type: 'individual',
      name: 'CHEN, Quanguo',
      lastName: 'CHEN',
      firstName: 'Quanguo',
      programs: ['GLOMAG'],
      title: null,
      aliases: [{ name: '陈全国', strength: 'strong', script: 'Han' }],
      nationalities: ['China'],
      datesOfBirth: ['1955'],
      placesOfBirth: [],
      addresses: [],
      documents: [],
      remarks: null,
      listedOn: '2020-07-09',
    };
    expect(storedEntry(entry)).toEqual(entry);
    expect(storedChangeEntry({ entry, changes: { programsAdded: ['GLOMAG'] } })).toEqual(entry);
    expect(() => storedEntry({ ...entry, type: 'person' })).toThrow(/sanctions_entry_version\.data/);
    expect(() => storedChangeEntry({ changes: {} })).toThrow(/sanctions_change\.details/);
    expect(() => storedEntry({ ...entry, aliases: [{ name: 'X', strength: 'medium' }] })).toThrow(
      StoredValueError,
    );
  });
});
