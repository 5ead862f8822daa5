import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { openApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { composeDigest } from '../../src/digest/compose.ts';
import { configureEncryption, isSealed } from '../../src/domain/crypto.ts';
import { rotateKeys } from '../../src/domain/keys.ts';
import type { Actor } from '../../src/domain/tx.ts';
import { createLogger } from '../../src/log.ts';
import type { View } from '../../src/messages.ts';
import { type Cast, expectKind, inChannel, run, seedCast } from '../helpers/app.ts';
import { createTestDatabase, resetDatabase } from '../helpers/database.ts';
import { importOfacDay } from '../helpers/lists.ts';

/**
 * A confidential target's name, aliases and conduct never reach a channel message, a case thread,
 * a poll, a digest or a log line, across propose, poll, case, digest and match flows; they are
 * encrypted at rest and survive a key rotation.
 */
const _HISTORY = new URL('../../../shared/fixtures/ofac/history/', import.meta.url).pathname;
const KEY = randomBytes(32).toString('hex');
const SECRETS = ['Xinrong', 'XINRONG', 'Qwerty Alias', 'detention camps ledger'];

let app: App;
let cast: Cast;
let logs = '';

beforeAll(async () => {
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => {
    logs += chunk.toString();
  });
  const config = loadConfig({ DATA_DIR: '/dev/null/unused', OFAC_CHECK_CRON: 'off', ENCRYPTION_KEY: KEY });
  app = await openApp(config, createLogger('trace', sink), { database: await createTestDatabase() });
});
afterAll(async () => {
  await app?.close();
  configureEncryption(undefined);
});
beforeEach(async () => {
  await resetDatabase(app.database);
  cast = await seedCast(app);
  logs = '';
});

const db = () => app.database.prisma;
const inSlack = (actor: Actor, line: string, channelId = 'CGENERAL'): Promise<View> =>
  inChannel(app, actor, line, { channelId });

async function importDay(day: string) {
  await importOfacDay(db(), day, { match: true });
}

const text = (value: unknown) =>
  JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? String(item) : item));

describe('confidential targets', () => {
  it('never show their name outside the people allowed, and are encrypted at rest', async () => {
    const { admin, coordinator, member, observer } = cast;
    for (const [purpose, channel] of [
      ['proposals', 'CPROP'],
      ['polls', 'CPOLL'],
      ['cases', 'CCASES'],
    ] as const) {
      await inSlack(admin, `/channel set purpose:${purpose}`, channel);
    }
    await inSlack(coordinator, '/digest subscribe programs:GLOMAG time:09:00', 'CDIGEST');

    const proposed = expectKind(
      await inSlack(
        member,
        '/propose "Xinrong Zhuo" country:"Hong Kong" aliases:"Qwerty Alias" conduct:"detention camps ledger" confidential:yes',
      ),
      'target',
    );
    expect(proposed).toMatchObject({ ephemeral: true, target: { name: 'Xinrong Zhuo', confidential: true } });
    const codename = proposed.target.codename as string;
    expect(codename).toMatch(/^[A-Z]+-\d{3}$/);
    await inSlack(member, '/propose "Wang Mingshan"');

    // At rest: name, alias and conduct are ciphertext; the name keys are keyed hashes.
    const row = await db().target.findUniqueOrThrow({ where: { id: 1 } });
    expect([row.primaryName, ...row.aliases, row.conduct].every((value) => isSealed(value as string))).toBe(
      true,
    );
    expect(row.nameKeys.every((key) => key.startsWith('h:'))).toBe(true);
    expect(text(await db().auditLog.findMany())).not.toMatch(/Xinrong|Qwerty|detention/);

    // Duplicate detection still works on the keyed hashes, without showing the name to others.
    const duplicate = expectKind(await inSlack(observer, '/targets'), 'target-list');
    expect(duplicate.page.items.map((item) => item.name)).toEqual([codename, 'Wang Mingshan']);
    // Another member's guess is not confirmed, even by codename: it is held for an admin.
    const again = expectKind(await inSlack(coordinator, '/propose "Zhuo Xinrong"'), 'notice');
    expect(again.title).toBe('Proposal 3 saved and held for review');
    expect(text(again)).not.toContain(codename);
    // The proposer and admins are still told plainly.
    const own = expectKind(await inSlack(member, '/propose "Zhuo Xinrong"'), 'duplicates');
    expect(own.matches.map((match) => match.name)).toContain('Xinrong Zhuo');
    // The admin finds it is the same person.
    await inSlack(admin, '/review target:3 decision:drop');

    // Looking: refused details for the uninvolved, full details (audited) for the proposer.
    const hidden = expectKind(await inSlack(observer, '/target 1'), 'target');
    expect(text(hidden)).not.toMatch(/Xinrong|Qwerty|detention|Hong Kong/);
    const shown = expectKind(await inSlack(member, '/target 1'), 'target');
    expect(shown).toMatchObject({
      ephemeral: true,
      target: { name: 'Xinrong Zhuo', conduct: 'detention camps ledger' },
    });
    expect(
      await db().auditLog.count({ where: { action: 'target.reveal', actorMemberId: member.memberId } }),
    ).toBe(1);

    // A poll, a case, a publication that lists the name, a digest.
    await inSlack(coordinator, '/poll create "Next" targets:1,2 in:1d');
    // Only admins and the proposer open a case on it, and only owners or admins add to its team.
    expectKind(await inSlack(coordinator, '/case open target:1'), 'error');
    await inSlack(admin, '/case open target:1');
    await inSlack(admin, `/case assign id:1 member:${coordinator.memberId} role:owner`);
    await inSlack(
      coordinator,
      '/case evidence id:1 link:https://example.org/a.pdf note:"detention camps ledger scan"',
    );
    await importDay('2022-12-08');
    await importDay('2022-12-09');
    const [match] = await db().sanctionsMatch.findMany({ where: { status: 'pending' } });
    expect(match).toMatchObject({ targetId: 1, uid: 33674 });
    const digest = await composeDigest(db(), {
      programs: ['GLOMAG'],
      after: 1,
      now: new Date('2026-12-01T00:00:00Z'),
    });
    const footer = digest.views.at(-1)?.footer ?? [];
    expect(footer.join('\n')).toContain(`#1 ${codename}: details in its case thread`);
    expect(footer.join('\n')).not.toMatch(/33674/);

    // Everything a channel or thread could show: queued messages, poll labels, case timeline and
    // card, the digest footer, and every log line.
    const posted = [
      await db().outboxMessage.findMany(),
      await db().pollOption.findMany(),
      await db().caseEvent.findMany(),
      await db().case.findMany(),
      footer,
    ];
    for (const secret of SECRETS) {
      expect(text(posted)).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    expect(text(await db().caseEvent.findMany())).not.toContain('33674');
    // Something was logged along the way (a refusal), so the check above looked at real lines.
    await inSlack(observer, '/org add name:"Xinrong Zhuo Fan Club" slug:fans');
    expect(logs).toContain('command refused by role');

    const refusedExport = expectKind(await inSlack(observer, '/case export 1'), 'error');
    expect(refusedExport).toMatchObject({ title: 'Not allowed' });
    expect(
      await db().auditLog.count({ where: { action: 'command.refused', actorMemberId: observer.memberId } }),
    ).toBe(2);

    // The case team sees the match in full on request; the coordinator is on the team (an owner).
    const details = expectKind(
      await inSlack(coordinator, `/case confirm match:${match?.id} decision:show`),
      'notice',
    );
    expect(details).toMatchObject({ ephemeral: true, title: expect.stringContaining('ZHUO, Xinrong') });
    const confirmed = expectKind(await inSlack(coordinator, `/case confirm match:${match?.id}`), 'notice');
    expect(confirmed.title).toBe(`Match ${match?.id} confirmed for ${codename}`);
    const events = text(await db().caseEvent.findMany());
    expect(events, events).not.toMatch(/Xinrong|XINRONG|33674/);
  }, 120_000);

  it('survive a key rotation: re-encrypted under the new key, readable, still found as duplicates', async () => {
    await inSlack(cast.member, '/propose "Xinrong Zhuo" conduct:"detention camps ledger" confidential:yes');
    await inSlack(cast.admin, '/case open target:1');
    await inSlack(cast.admin, '/case evidence id:1 link:https://example.org/a.pdf note:"a sealed note"');
    const before = await db().target.findUniqueOrThrow({ where: { id: 1 } });

    const next = randomBytes(32);
    configureEncryption(next, [Buffer.from(KEY, 'hex')]);
    try {
      expect(await rotateKeys(db())).toEqual({ targets: 1, evidence: 1 });
      const after = await db().target.findUniqueOrThrow({ where: { id: 1 } });
      expect(after.primaryName).not.toBe(before.primaryName);
      expect(after.nameKeys).not.toEqual(before.nameKeys);
      // The old key is no longer needed.
      configureEncryption(next);
      const shown = expectKind(await run(app, cast.admin, '/target 1'), 'target');
      expect(shown.target).toMatchObject({ name: 'Xinrong Zhuo', conduct: 'detention camps ledger' });
      const exported = expectKind(await run(app, cast.admin, '/case export 1'), 'file');
      expect(exported.content).toContain('Xinrong Zhuo');
      expect(await rotateKeys(db())).toEqual({ targets: 0, evidence: 0 });
      expect(
        expectKind(await inSlack(cast.member, '/propose "Xinrong Zhuo"'), 'duplicates').matches,
      ).toHaveLength(1);
    } finally {
      configureEncryption(Buffer.from(KEY, 'hex'));
    }
  });

  it('need an encryption key', async () => {
    configureEncryption(undefined);
    try {
      const refused = expectKind(await run(app, cast.member, '/propose "Someone" confidential:yes'), 'error');
      expect(refused.lines[0]).toBe(
        'Confidential targets need encryption at rest: ask the operator to set ENCRYPTION_KEY.',
      );
      expect(await db().target.count()).toBe(0);
    } finally {
      configureEncryption(Buffer.from(KEY, 'hex'));
    }
  });

  it('open a case only for admins and the proposer; only owners and admins grow its team, each addition audited', async () => {
    const { admin, coordinator, member } = cast;
    await inSlack(member, '/propose "Xinrong Zhuo" confidential:yes');
    const refused = expectKind(await inSlack(coordinator, '/case open target:1'), 'error');
    expect(refused.lines[0]).toBe(
      'Target 1 is confidential: only admins and its proposer can open a case on it.',
    );
    expect(await db().case.count()).toBe(0);
    expect(
      await db().auditLog.count({
        where: { action: 'command.refused', actorMemberId: coordinator.memberId },
      }),
    ).toBe(1);
    // The coordinator cannot see it either way.
    expect(text(await inSlack(coordinator, '/target 1'))).not.toContain('Xinrong');

    expectKind(await inSlack(admin, '/case open target:1'), 'notice');
    // A coordinator off the team can neither join it nor work on it.
    const join = expectKind(
      await inSlack(coordinator, `/case assign id:1 member:${coordinator.memberId}`),
      'error',
    );
    expect(join.lines[0]).toBe(
      'This case is confidential: only its owners and admins can change the case team.',
    );
    expectKind(await inSlack(coordinator, '/case note id:1 text:"peek"'), 'error');
    expect(text(await inSlack(coordinator, '/target 1'))).not.toContain('Xinrong');

    // The admin (an owner) adds the proposer; the addition is on the timeline and in the audit log.
    await inSlack(admin, `/case assign id:1 member:${member.memberId}`);
    const added = await db().auditLog.findMany({ where: { action: 'case.assigned' } });
    expect(added).toHaveLength(1);
    expect(added[0]?.actorMemberId).toBe(admin.memberId);
    // A plain team member cannot add others either.
    const byMember = expectKind(
      await inSlack(member, `/case assign id:1 member:${coordinator.memberId}`),
      'error',
    );
    expect(byMember.title).toBe('Not allowed');
    expect(await db().caseMember.count({ where: { caseId: 1 } })).toBe(2);
  });

  it('never answer filters on attributes a member cannot see', async () => {
    await inSlack(cast.member, '/propose "Xinrong Zhuo" country:Russia programs:GLOMAG confidential:yes');
    await inSlack(cast.member, '/propose "Wang Mingshan" country:China programs:GLOMAG');
    for (const filter of ['country:Russia', 'program:GLOMAG', 'country:russia program:GLOMAG']) {
      const forObserver = expectKind(await inSlack(cast.observer, `/targets ${filter}`), 'target-list');
      expect(
        forObserver.page.items.every((item) => !item.confidential),
        filter,
      ).toBe(true);
      const forProposer = expectKind(await inSlack(cast.member, `/targets ${filter}`), 'target-list');
      expect(
        forProposer.page.items.some((item) => item.confidential),
        filter,
      ).toBe(true);
      const forAdmin = expectKind(await inSlack(cast.admin, `/targets ${filter}`), 'target-list');
      expect(
        forAdmin.page.items.some((item) => item.confidential),
        filter,
      ).toBe(true);
    }
    // Without an attribute filter the codename is listed, as before; its attributes are not.
    const all = expectKind(await inSlack(cast.observer, '/targets'), 'target-list');
    expect(all.page.total).toBe(2);
    expect(text(all)).not.toContain('Russia');
  });

  it('hold a guess at a hidden name for an admin, who keeps or drops it', async () => {
    await inSlack(cast.admin, '/channel set purpose:admin', 'CADMIN');
    await inSlack(cast.admin, '/channel set purpose:proposals', 'CPROP');
    await inSlack(cast.member, '/propose "Xinrong Zhuo" confidential:yes');
    const codename = (await db().target.findUniqueOrThrow({ where: { id: 1 } })).codename as string;
    // Any word order, any case: held, and nothing names the existing target to the guesser.
    for (const guess of ['zhuo XINRONG', 'Xinrong Zhuo']) {
      const held = expectKind(await inSlack(cast.coordinator, `/propose "${guess}" confirm:yes`), 'notice');
      expect(held.lines[0]).toBe(
        'A possible duplicate exists among targets you cannot see; an admin will look and either announce your proposal or tell you it is already tracked.',
      );
      expect(text(held)).not.toMatch(new RegExp(`${codename}|#1\\b`));
    }
    expect(await db().target.count({ where: { status: 'held' } })).toBe(2);
    // Held proposals are not announced; the admin channel is told, with both numbers.
    const queued = await db().outboxMessage.findMany();
    const adminAlerts = queued.filter((row) => row.channelId === 'CADMIN');
    expect(adminAlerts).toHaveLength(2);
    expect(text(adminAlerts[0])).toContain('#1');
    expect(queued.filter((row) => row.channelId === 'CPROP')).toHaveLength(1);
    // Others do not see held proposals; the proposer and admins do.
    expect(expectKind(await inSlack(cast.observer, '/targets'), 'target-list').page.total).toBe(1);
    expectKind(await inSlack(cast.observer, '/target 2'), 'error');
    expect(
      expectKind(await inSlack(cast.coordinator, '/targets status:held'), 'target-list').page.total,
    ).toBe(2);
    // Held targets go into no poll and no case.
    expectKind(await inSlack(cast.coordinator, '/poll create "Q" targets:2 in:1d'), 'error');
    expectKind(await inSlack(cast.admin, '/case open target:2'), 'error');

    expectKind(await inSlack(cast.coordinator, '/review target:2 decision:keep'), 'error');
    expectKind(await inSlack(cast.admin, '/review target:2 decision:keep'), 'notice');
    expectKind(await inSlack(cast.admin, '/review target:3 decision:drop reason:"same as #1"'), 'notice');
    expect((await db().target.findMany({ orderBy: { id: 'asc' } })).map((row) => row.status)).toEqual([
      'proposed',
      'proposed',
      'dropped',
    ]);
    expect(await db().auditLog.count({ where: { action: { startsWith: 'target.review-' } } })).toBe(2);
    // Kept: announced now.
    expect((await db().outboxMessage.findMany()).filter((row) => row.channelId === 'CPROP')).toHaveLength(2);
  });
});
