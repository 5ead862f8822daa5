import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { openApp } from '../../src/app.ts';
import { toInvocation } from '../../src/chat/dispatch.ts';
import { parseCommandLine } from '../../src/chat/syntax.ts';
import type { View } from '../../src/chat/views.ts';
import { loadConfig } from '../../src/config.ts';
import { composeDigest } from '../../src/digest/compose.ts';
import { configureEncryption, isSealed } from '../../src/domain/crypto.ts';
import { rotateKeys } from '../../src/domain/keys.ts';
import type { Actor } from '../../src/domain/tx.ts';
import { createLogger } from '../../src/log.ts';
import { matchPublication } from '../../src/sanctions/match/designations.ts';
import { readCsvSnapshot } from '../../src/sanctions/snapshot.ts';
import { importPublication } from '../../src/sanctions/store.ts';
import { type Cast, expectKind, run, seedCast } from '../helpers/app.ts';
import { createTestDatabase, resetDatabase } from '../helpers/database.ts';

/**
 * A confidential target's name, aliases and conduct never reach a channel message, a case thread,
 * a poll, a digest or a log line, across propose, poll, case, digest and match flows; they are
 * encrypted at rest and survive a key rotation.
 */
const HISTORY = new URL('../../../shared/fixtures/ofac/history/', import.meta.url).pathname;
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
  app.execute(toInvocation(app.registry, parseCommandLine(line)), actor, 'slack', {
    workspaceId: 'T1',
    channelId,
  });

async function importDay(day: string) {
  const result = await importPublication(
    db(),
    await readCsvSnapshot({ sdn: join(HISTORY, `sdn-${day}.csv.gz`) }),
    {
      publishedOn: new Date(`${day}T00:00:00Z`),
      holdShare: 0.1,
    },
  );
  if (!result.baseline) await matchPublication(db(), result.publicationId);
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
    const again = expectKind(await inSlack(coordinator, '/propose "Zhuo Xinrong"'), 'duplicates');
    expect(again.matches.map((match) => match.name)).toEqual([codename]);

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
    await inSlack(coordinator, '/case open target:1');
    await inSlack(
      coordinator,
      '/case evidence id:1 link:https://example.org/a.pdf note:"detention camps ledger scan"',
    );
    await importDay('2022-12-08');
    await importDay('2022-12-09');
    const [match] = await db().sanctionsMatch.findMany({ where: { status: 'pending' } });
    expect(match).toMatchObject({ targetId: 1, uid: 33674 });
    const digest = await composeDigest(db(), ['GLOMAG'], 1);
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

    // The case team sees the match in full on request; the coordinator is on the team (opened it).
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
    await inSlack(cast.coordinator, '/case open target:1');
    await inSlack(
      cast.coordinator,
      '/case evidence id:1 link:https://example.org/a.pdf note:"a sealed note"',
    );
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
        expectKind(await inSlack(cast.coordinator, '/propose "Xinrong Zhuo"'), 'duplicates').matches,
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
});
