import { describe, expect, it } from 'vitest';
import { composeDigest } from '../../src/digest/compose.ts';
import { remindCases } from '../../src/domain/cases/reminders.ts';
import { homeSummary } from '../../src/domain/home.ts';
import type { Actor } from '../../src/domain/tx.ts';
import { expectKind, inChannel, run, useSeededApp } from '../helpers/app.ts';
import { importOfacDay } from '../helpers/lists.ts';

const _HISTORY = new URL('../../../shared/fixtures/ofac/history/', import.meta.url).pathname;
const state = useSeededApp();
const db = () => state.app.database.prisma;

const inCaseChannel = (actor: Actor, line: string, platform: 'slack' | 'discord', channelId: string) =>
  inChannel(state.app, actor, line, { platform, channelId });

const importDay = (day: string) => importOfacDay(db(), day, { match: true });

const events = async (caseId = 1) =>
  (await db().caseEvent.findMany({ where: { caseId }, orderBy: { id: 'asc' } })).map((event) => event.kind);

describe('cases', () => {
  it('flags a target that OFAC lists as a possible designation, and moves nothing until a coordinator confirms', async () => {
    const { coordinator, member } = state.cast;
    await run(state.app, member, '/propose "Xinrong Zhuo" country:"Hong Kong"');
    await run(state.app, member, '/propose "Wei Zhou" country:China');
    await run(state.app, member, '/propose "Pingtan Marine" kind:individual');
    expectKind(await run(state.app, coordinator, '/case open target:1'), 'notice');
    await importDay('2022-12-08');
    const { matches } = await importDay('2022-12-09');
    expect(matches).toMatchObject({ pending: 1 });

    const [match, ...others] = await db().sanctionsMatch.findMany({ where: { status: 'pending' } });
    expect(others).toEqual([]);
    expect(match).toMatchObject({
      targetId: 1,
      uid: 33674,
      listedName: 'ZHUO, Xinrong',
      kind: 'designation',
    });
    expect(match?.evidence.join(' ')).toContain('country matches (hong kong)');
    const flagged = await db().caseEvent.findFirstOrThrow({ where: { kind: 'possible-designation' } });
    expect(flagged.summary).toContain('OFAC listed ZHUO, Xinrong (entry 33674; GLOMAG) on 2022-12-09');
    expect(flagged.summary).toContain(`/case confirm match:${match?.id}`);
    // Nothing moved on its own.
    expect(await db().case.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({ stage: 'research' });
    expect(await db().target.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({ status: 'case_open' });

    const digest = await composeDigest(db(), {
      programs: ['GLOMAG'],
      after: 1,
      now: new Date('2026-12-01T00:00:00Z'),
    });
    expect(digest.views.at(-1)?.footer.join('\n')).toContain(
      'Possible designation of coalition target #1 Xinrong Zhuo: OFAC entry 33674 ZHUO, Xinrong',
    );

    // The coordinator's home lists it for confirmation, the member's has no such list; both show
    // the case the coordinator opened (on the coordinator's) and the member's targets.
    const now = new Date('2026-12-01T00:00:00Z');
    const coordinatorsHome = await homeSummary(db(), coordinator, now);
    expect(coordinatorsHome.designations).toEqual([
      { matchId: match?.id, targetId: 1, target: 'Xinrong Zhuo', listed: 'ZHUO, Xinrong', list: 'SDN' },
    ]);
    expect(coordinatorsHome.cases).toEqual([
      { id: 1, title: expect.stringContaining('Xinrong Zhuo'), stage: 'research', dueOn: null },
    ]);
    const membersHome = await homeSummary(db(), member, now);
    expect(membersHome.designations).toBeNull();
    expect(membersHome.cases).toEqual([]);
    expect(membersHome.targets.map((target) => `${target.id} ${target.status}`)).toEqual([
      '3 proposed',
      '2 proposed',
      '1 case-open',
    ]);

    const refused = await run(state.app, member, `/case confirm match:${match?.id}`);
    expect(expectKind(refused, 'error').lines.join(' ')).toMatch(
      /Only admins, coordinators can confirm designations/,
    );
    const confirmed = expectKind(
      await run(state.app, coordinator, `/case confirm match:${match?.id}`),
      'notice',
    );
    expect(confirmed.title).toBe(`Match ${match?.id} confirmed: ZHUO, Xinrong (OFAC 33674)`);
    expect(await db().case.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({ stage: 'designated' });
    expect(await db().target.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({ status: 'designated' });
    const designated = await db().caseEvent.findFirstOrThrow({ where: { kind: 'designated' } });
    expect(designated.summary).toMatch(
      /^Designation confirmed: #1 is OFAC entry 33674 ZHUO, Xinrong \(GLOMAG\)\. Credit: /,
    );
    expect(
      expectKind(await run(state.app, coordinator, `/case confirm match:${match?.id}`), 'error').lines[0],
    ).toBe(`Match ${match?.id} was already confirmed.`);
  }, 120_000);

  it('keeps evidence with hashes and retractions, exports the dossier, and follows a Slack case from Discord', async () => {
    const { coordinator, member, observer } = state.cast;
    await run(
      state.app,
      member,
      '/propose "Chen Quanguo" country:China conduct:"Mass detention in Xinjiang"',
    );
    await inCaseChannel(coordinator, '/case open target:1 title:"Xinjiang officials"', 'slack', 'CGENERAL');
    await run(state.app, coordinator, `/case assign id:1 member:${member.memberId}`);
    const hash = 'a'.repeat(64);
    await run(
      state.app,
      member,
      `/case evidence id:1 link:https://example.org/report.pdf sha256:${hash} note:"leaked files"`,
    );
    await run(state.app, member, '/case evidence id:1 link:https://example.org/photo.jpg');
    await run(state.app, member, '/case retract evidence:2 reason:"source asked to withdraw"');
    const bad = expectKind(
      await run(state.app, member, '/case evidence id:1 link:http://insecure.example'),
      'error',
    );
    expect(bad.lines.join(' ')).toContain('must be a full https:// link');
    expect(
      expectKind(await run(state.app, observer, '/case note id:1 text:hi'), 'error').lines.join(' '),
    ).toContain('Only admins, coordinators, members can add notes');

    const exported = expectKind(await run(state.app, observer, '/case export 1'), 'file');
    expect(exported.filename).toBe('case-1.md');
    expect(exported.content).toContain('# Case 1: Xinjiang officials');
    expect(exported.content).toContain(`| E1 | https://example.org/report.pdf | ${hash} |`);
    expect(exported.content).toMatch(
      /\| E2 \| https:\/\/example\.org\/photo\.jpg \|.*retracted .* source asked to withdraw \|/,
    );
    expect(exported.content).toContain('Conduct: Mass detention in Xinjiang');
    expect(await db().caseEvidence.count()).toBe(2);

    await inCaseChannel(coordinator, '/case follow 1', 'discord', '400000000000000004');
    const threads = await db().caseThread.findMany({ orderBy: { id: 'asc' } });
    expect(threads.map((thread) => thread.platform)).toEqual(['slack', 'discord']);
    const last = await db().caseEvent.findFirstOrThrow({ where: { kind: 'followed' } });
    expect(threads[1]?.postedEventId).toBe(last.id - 1n);
    expect(await events()).toEqual([
      'opened',
      'assigned',
      'evidence',
      'evidence',
      'evidence-retracted',
      'followed',
    ]);
    // Every change left an audit row too.
    expect(await db().auditLog.count({ where: { entityType: 'case' } })).toBe(6);
  });

  it('reminds owners of quiet cases and unanswered submissions once per period', async () => {
    const { coordinator, member } = state.cast;
    await run(state.app, member, '/propose "Ramzan Kadyrov"');
    await run(state.app, coordinator, '/case open target:1');
    await run(state.app, coordinator, '/case submit id:1 to:EU date:2026-01-05');
    const options = { staleDays: 14, followUpDays: 30 };
    const later = new Date(Date.now() + 15 * 86_400_000);
    expect(await remindCases(db(), later, options)).toEqual([1, 1]);
    expect(await remindCases(db(), new Date(later.getTime() + 86_400_000), options)).toEqual([]);
    const reminders = await db().caseEvent.findMany({ where: { kind: 'reminder' }, orderBy: { id: 'asc' } });
    expect(reminders.map((event) => event.summary)).toEqual([
      'No activity on this case for 14 days. Owners: a note, a move or a submission?',
      `EU has not answered the submission of 2026-01-05 after 30 days: time to follow up (/case answer submission:1 when they do).`,
    ]);
    expect(reminders[0]?.data).toEqual({ ping: [coordinator.memberId] });
    await run(state.app, coordinator, '/case answer submission:1 answer:"received"');
    expect(await remindCases(db(), new Date(later.getTime() + 40 * 86_400_000), options)).toEqual([1]);
  });
});
