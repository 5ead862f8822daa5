import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { addMember } from '../../src/domain/members.ts';
import { castBallot, closePoll, createPoll } from '../../src/domain/polls/polls.ts';
import { closeDuePolls, remindDuePolls } from '../../src/domain/polls/schedule.ts';
import type { Actor } from '../../src/domain/tx.ts';
import { startScheduler } from '../../src/scheduler.ts';
import { type Cast, createTestApp, expectKind, run, seedCast } from '../helpers/app.ts';
import { createTestDatabase, resetDatabase } from '../helpers/database.ts';

let app: App;
let cast: Cast;
let clock = new Date('2026-11-25T12:00:00Z');

beforeAll(async () => {
  app = await createTestApp(await createTestDatabase(), {}, () => clock);
});
afterAll(async () => {
  await app?.close();
});
beforeEach(async () => {
  clock = new Date('2026-11-25T12:00:00Z');
  await resetDatabase(app.database);
  cast = await seedCast(app);
  for (const name of ['A One', 'B Two', 'C Three']) await run(app, cast.member, `/propose "${name}"`);
});

const db = () => app.database.prisma;
const hours = (n: number) => new Date(clock.getTime() + n * 3_600_000);

async function poll(settings: Partial<Parameters<typeof createPoll>[2]> = {}) {
  return createPoll(
    db(),
    cast.coordinator,
    {
      question: 'Priorities',
      options: [{ label: 'A' }, { label: 'B' }, { label: 'C' }],
      method: 'schulze',
      per: 'member',
      hiddenResults: false,
      secret: false,
      seats: 1,
      prioritize: false,
      closesAt: hours(24),
      ...settings,
    },
    clock,
  );
}

/** A member of `organization` made on the fly, to have many voters. */
async function voter(index: number, organization: 'hrw' | 'ti'): Promise<Actor> {
  const { member, organization: org } = await addMember(db(), cast.admin, {
    name: `Voter ${index}`,
    orgSlug: organization,
    role: 'member',
  });
  return {
    memberId: member.id,
    displayName: member.displayName,
    role: 'member',
    organizationId: org.id,
    organizationSlug: org.slug,
  };
}

describe('ballots', () => {
  it('neither loses nor doubles ballots cast concurrently, and keeps the latest per voter', async () => {
    const { id } = await poll();
    const voters = await Promise.all(
      [...Array(12).keys()].map((index) => voter(index, index % 2 ? 'hrw' : 'ti')),
    );
    await Promise.all(
      voters.flatMap((actor, index) => [
        castBallot(db(), actor, id, { kind: 'ranked', ranking: [index % 3, (index + 1) % 3] }, clock),
        castBallot(db(), actor, id, { kind: 'ranked', ranking: [2, 1, 0] }, clock).catch(() => undefined),
      ]),
    );
    expect(await db().ballot.count({ where: { pollId: id } })).toBe(12);
    expect(await db().pollVoter.count({ where: { pollId: id } })).toBe(12);
  });

  it('per:organization keeps one ballot per organization, the latest, and the audit says who cast it', async () => {
    const { id } = await poll({ per: 'organization' });
    await castBallot(db(), cast.coordinator, id, { kind: 'ranked', ranking: [0, 1, 2] }, clock);
    await castBallot(db(), cast.member, id, { kind: 'ranked', ranking: [2, 1, 0] }, clock);
    const ballots = await db().ballot.findMany({ where: { pollId: id } });
    expect(ballots).toHaveLength(1);
    expect(ballots[0]).toMatchObject({
      voterKey: `organization:${cast.member.organizationId}`,
      castByMemberId: cast.member.memberId,
    });
    expect(ballots[0]?.choices).toEqual({ kind: 'ranked', ranking: [2, 1, 0] });
    const audit = await db().auditLog.findMany({
      where: { entityType: 'poll', entityId: String(id), action: { startsWith: 'poll.ballot' } },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((row) => [row.action, row.actorMemberId])).toEqual([
      ['poll.ballot-cast', cast.coordinator.memberId],
      ['poll.ballot-replaced', cast.member.memberId],
    ]);
  });

  it('keeps secret ballots apart from voters and erases the linking key at close', async () => {
    const { id } = await poll({ secret: true });
    await castBallot(db(), cast.member, id, { kind: 'ranked', ranking: [1] }, clock);
    const [ballot] = await db().ballot.findMany({ where: { pollId: id } });
    expect(ballot?.castByMemberId).toBeNull();
    // A keyed hash: neither the member nor the organization appears in the key.
    expect(ballot?.voterKey).toMatch(/^secret:[A-Za-z0-9_-]{43}$/);
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: 'poll.ballot-cast' } });
    expect(JSON.stringify(audit.after)).not.toContain('ranking');
    await closePoll(db(), id, clock, cast.coordinator);
    expect((await db().poll.findUniqueOrThrow({ where: { id } })).voterSalt).toBeNull();
    const view = expectKind(await run(app, cast.observer, `/poll show ${id}`), 'poll');
    expect(view.poll.openBallots).toBeNull();
    expect(view.poll.secrecy).toContain('at close the linking key is erased');
  });

  it('refuses invalid ballots and ballots after close, writing nothing', async () => {
    const { id } = await poll();
    for (const [line, message] of [
      [`/vote poll:${id} choice:"1 1"`, 'option 1 appears twice'],
      [`/vote poll:${id} choice:"4"`, 'This poll has options 1 to 3; 4 is not one of them.'],
      [`/vote poll:${id} choice:"x"`, '"x" is not an option number'],
      [`/vote poll:${id} toggle:1`, 'toggle: works on approval polls only.'],
      [`/vote poll:99 choice:1`, 'There is no poll 99.'],
    ] as const) {
      const view = expectKind(await run(app, cast.member, line), 'error');
      expect(view.lines.join(' ')).toContain(message);
    }
    const observer = expectKind(await run(app, cast.observer, `/vote poll:${id} choice:1`), 'error');
    expect(observer.lines[0]).toContain('Only admins, coordinators, members can vote');
    clock = hours(25);
    const late = expectKind(await run(app, cast.member, `/vote poll:${id} choice:1`), 'error');
    expect(late.lines[0]).toBe(`Poll ${id} is closed; ballots can no longer be changed.`);
    expect(await db().ballot.count()).toBe(0);
  });
});

describe('poll lifecycle', () => {
  it('closes on schedule, even after downtime, prioritizes the winner and queues the result', async () => {
    await run(app, cast.admin, '/channel list');
    const created = expectKind(
      await run(
        app,
        cast.coordinator,
        '/poll create "Q1" targets:1,2,3 in:1h prioritize:yes quorum_orgs:2 per:organization',
      ),
      'poll',
    );
    const id = created.poll.id;
    await db().pollPost.create({
      data: { pollId: id, platform: 'slack', workspaceId: 'T1', channelId: 'CPOLL' },
    });
    await run(app, cast.member, `/vote poll:${id} choice:"2 1 3"`);
    await run(app, cast.observer, `/vote poll:${id} choice:"3"`);
    const other = await voter(1, 'ti');
    await castBallot(db(), other, id, { kind: 'ranked', ranking: [1, 2, 0] }, clock);
    expect(await closeDuePolls(db(), clock)).toEqual([]);

    clock = hours(5); // the bot was down past the closing time; the first tick at start-up closes it
    const scheduler = startScheduler(app, '0 0 1 1 *');
    await scheduler.stop();
    const closed = await db().poll.findUniqueOrThrow({ where: { id } });
    expect(closed.status).toBe('closed');
    expect(closed.outcome).toMatchObject({
      winners: [1],
      quorumMet: true,
      organizations: 2,
      prioritizedTargets: [2],
    });
    expect((await db().target.findUniqueOrThrow({ where: { id: 2 } })).status).toBe('prioritized');
    const result = await db().outboxMessage.findFirstOrThrow({ where: { channelId: 'CPOLL' } });
    expect(JSON.stringify(result.view)).toContain('Poll closed');
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: 'poll.close-scheduled' } });
    expect(audit.actorMemberId).toBeNull();
  });

  it('reports an unmet quorum and prioritizes nothing', async () => {
    const { id } = await poll({
      quorumBallots: 3,
      prioritize: true,
      options: [
        { label: '#1', targetId: 1 },
        { label: '#2', targetId: 2 },
      ],
    });
    await castBallot(db(), cast.member, id, { kind: 'ranked', ranking: [0] }, clock);
    const outcome = await closePoll(db(), id, clock, cast.coordinator);
    expect(outcome).toMatchObject({
      quorumMet: false,
      winners: [],
      quorumNote: 'Quorum not met: 1 of 3 ballots.',
    });
    expect(await db().target.count({ where: { status: 'prioritized' } })).toBe(0);
  });

  it('reminds once, naming the organizations that have not voted', async () => {
    const { id } = await poll({ per: 'organization', remindAt: hours(20) });
    await db().pollPost.create({
      data: { pollId: id, platform: 'discord', workspaceId: 'G', channelId: 'C' },
    });
    await castBallot(db(), cast.member, id, { kind: 'ranked', ranking: [0] }, clock);
    expect(await remindDuePolls(db(), hours(19))).toEqual([]);
    expect(await remindDuePolls(db(), hours(21))).toEqual([id]);
    expect(await remindDuePolls(db(), hours(22))).toEqual([]);
    const reminder = await db().outboxMessage.findFirstOrThrow({ where: { channelId: 'C' } });
    const text = JSON.stringify(reminder.view);
    // Transparency Initiative has only an observer, who cannot vote; Human Rights Watch has voted.
    expect(text).toContain('Not voted yet (organizations): Local console"');
    expect(text).not.toContain('Human Rights Watch');
  });

  it('checks /poll create input', async () => {
    for (const [line, message] of [
      ['/poll create Q targets:1,2', 'Give the closing time either as closes:'],
      [
        '/poll create Q targets:1,2 in:3d closes:2026-12-01T10:00Z',
        'Give the closing time either as closes:',
      ],
      ['/poll create Q targets:1 in:1d', 'A poll needs at least two options.'],
      ['/poll create Q targets:1,9 in:1d', 'There is no target 9.'],
      ['/poll create Q targets:1,2 in:forever', 'in: give a duration like 90m, 12h, 3d or 2w.'],
      ['/poll create Q targets:1,2 closes:2026-11-24T10:00Z', 'The closing time must be in the future.'],
      ['/poll create Q targets:1,2 in:200d', 'A poll can stay open at most 90 days.'],
      [
        '/poll create Q targets:1,2 in:1d method:borda',
        'method: method must be one of: schulze, irv, approval, single, score.',
      ],
    ] as const) {
      const view = expectKind(await run(app, cast.coordinator, line), 'error');
      expect(view.lines.join(' ')).toContain(message);
    }
    const member = expectKind(await run(app, cast.member, '/poll create Q targets:1,2 in:1d'), 'error');
    expect(member.lines[0]).toContain('Only admins, coordinators can start polls');
    expect(await db().poll.count()).toBe(0);
  });

  it('hides results until close when asked, toggles approvals, and exports the tally as CSV', async () => {
    const created = expectKind(
      await run(
        app,
        cast.coordinator,
        '/poll create "Campaigns" choices:"=Xinjiang; Belarus, 2021; Nicaragua" method:approval results:hidden in:1d',
      ),
      'poll',
    );
    const id = created.poll.id;
    await run(app, cast.member, `/vote poll:${id} toggle:1`);
    await run(app, cast.member, `/vote poll:${id} toggle:3`);
    const toggled = expectKind(await run(app, cast.member, `/vote poll:${id} toggle:1`), 'notice');
    expect(toggled.lines).toContain('Ballot: 3');
    await run(app, cast.coordinator, `/vote poll:${id} choice:"2 3"`);
    const hidden = expectKind(await run(app, cast.member, `/poll show ${id}`), 'poll');
    expect(hidden.poll.standing).toBeNull();
    expect(hidden.yourBallot).toBe('3');
    const early = expectKind(await run(app, cast.coordinator, `/poll export ${id}`), 'error');
    expect(early.lines[0]).toBe('The results of this poll are hidden until it closes.');
    await run(app, cast.coordinator, `/poll close ${id}`);
    const file = expectKind(await run(app, cast.coordinator, `/poll export ${id}`), 'file');
    expect(file.filename).toBe(`poll-${id}.csv`);
    expect(file.content).toBe(
      [
        'rank,option,label,target,score',
        '1,3,Nicaragua,,2',
        '2,2,"Belarus, 2021",,1',
        "3,1,'=Xinjiang,,0",
        '',
        'voter,ballot',
        'Bo Lin (Human Rights Watch),3',
        'Ana Díaz (Human Rights Watch),"2, 3"',
        '',
      ].join('\n'),
    );
  });
});
