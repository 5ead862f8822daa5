import { describe, expect, it } from 'vitest';
import { expectKind, inChannel, run, useSeededApp } from '../helpers/app.ts';

/** A bare first number is the poll or the case, and the rest of the line the command's text. */
const state = useSeededApp();
const db = () => state.app.database.prisma;

async function twoTargetPoll() {
  for (const name of ['Alpha', 'Beta', 'Gamma'])
    await run(state.app, state.cast.member, `/propose "${name}" country:China conduct:"Abuses"`);
  return expectKind(
    await run(state.app, state.cast.coordinator, '/poll create "Which first?" targets:1,2,3 in:1h'),
    'poll',
  ).poll.id;
}

describe('a bare first number', () => {
  it('is the poll of /vote, in every ballot form', async () => {
    const poll = await twoTargetPoll();
    expectKind(await run(state.app, state.cast.member, `/vote ${poll} 3>1>2`), 'notice');
    const ballot = await db().ballot.findFirstOrThrow({ where: { pollId: poll } });
    expect(ballot.choices).toEqual({ kind: 'ranked', ranking: [2, 0, 1] });
    expectKind(await run(state.app, state.cast.member, `/vote ${poll} 2 3 1`), 'notice');
    expect((await db().ballot.findFirstOrThrow({ where: { pollId: poll } })).choices).toEqual({
      kind: 'ranked',
      ranking: [1, 2, 0],
    });
    // The named form still works, and a number given both ways is refused, not guessed.
    expectKind(await run(state.app, state.cast.member, `/vote poll:${poll} choice:"1 2 3"`), 'notice');
    expect(
      expectKind(await run(state.app, state.cast.member, `/vote ${poll} 1 2 3 choice:"1 2 3"`), 'error')
        .title,
    ).toBe('choice is given twice');
  });

  it('is the case of /case subcommands, the rest their text', async () => {
    await run(state.app, state.cast.member, '/propose "Chen Quanguo" country:China conduct:"Mass detention"');
    await run(state.app, state.cast.coordinator, '/case open target:1');
    expectKind(
      await run(state.app, state.cast.coordinator, '/case note 1 Called the Treasury desk officer'),
      'notice',
    );
    expectKind(
      await run(state.app, state.cast.coordinator, '/case evidence 1 link:https://example.org/a.pdf'),
      'notice',
    );
    expectKind(await run(state.app, state.cast.coordinator, '/case submit 1 UK'), 'notice');
    const events = await db().caseEvent.findMany({ where: { caseId: 1 }, orderBy: { id: 'asc' } });
    expect(events.map((event) => [event.kind, event.summary])).toEqual([
      ['opened', expect.any(String)],
      ['note', 'Called the Treasury desk officer'],
      ['evidence', 'Evidence E1 added: https://example.org/a.pdf'],
      ['submitted', expect.stringMatching(/^Submitted to UK on /)],
    ]);
  });
});

describe("in a case's Discord thread", () => {
  it('the case subcommands act on that case without its number', async () => {
    await run(state.app, state.cast.member, '/propose "Chen Quanguo" country:China conduct:"Mass detention"');
    await run(state.app, state.cast.coordinator, '/case open target:1');
    // The thread the case publisher starts under the card in the cases channel.
    await db().caseThread.create({
      data: {
        caseId: 1,
        platform: 'discord',
        workspaceId: '200000000000000002',
        channelId: 'C',
        threadId: '7000',
      },
    });
    const inThread = (line: string) =>
      inChannel(state.app, state.cast.coordinator, line, { platform: 'discord', channelId: '7000' });
    expectKind(await inThread('/case note Called the Treasury desk officer'), 'notice');
    expectKind(await inThread('/case move drafting'), 'notice');
    // A number still wins, and elsewhere the number is needed.
    expect(expectKind(await inThread('/case note 9 elsewhere'), 'error').lines.join(' ')).toContain('9');
    const outside = await inChannel(state.app, state.cast.coordinator, '/case note Called again', {
      platform: 'discord',
      channelId: '7001',
    });
    expect(expectKind(outside, 'error').lines.join(' ')).toMatch(/id/);
    const events = await db().caseEvent.findMany({ where: { caseId: 1 }, orderBy: { id: 'asc' } });
    expect(events.map((event) => [event.kind, event.summary])).toEqual([
      ['opened', expect.any(String)],
      ['note', 'Called the Treasury desk officer'],
      ['moved', 'Moved from research to drafting'],
    ]);
  });
});
