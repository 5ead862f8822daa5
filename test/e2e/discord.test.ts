import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.ts';
import type { App } from '../../src/app.ts';
import { deliverDueDigests } from '../../src/digest/deliver.ts';
import { linkIdentity } from '../../src/domain/members.ts';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/platforms/discord/adapter.ts';
import { registerCommands } from '../../src/platforms/discord/register.ts';
import { addAuditRows, type Cast, createTestApp, seedCast } from '../helpers/app.ts';
import { createTestDatabase, resetDatabase } from '../helpers/database.ts';
import { APPLICATION_ID, botMessage, FakeDiscord, GUILD_ID, memberOf } from '../helpers/fake-discord.ts';
import { serveFiles } from '../helpers/file-server.ts';
import { importOfacDay } from '../helpers/lists.ts';

/** Real discord.js over a loopback fake of Discord's REST API and gateway. */
const BOOTSTRAP_ADMIN = '777000000000000001';

let app: App;
let cast: Cast;
let discord: FakeDiscord;
let adapter: DiscordAdapter;

let evidenceDir: string;
let cdn: Awaited<ReturnType<typeof serveFiles>>;

beforeAll(async () => {
  evidenceDir = await mkdtemp(join(tmpdir(), 'discord-evidence-'));
  cdn = await serveFiles();
  app = await createTestApp(await createTestDatabase(), {
    PAGE_SIZE: '2',
    EVIDENCE_DIR: evidenceDir,
    EVIDENCE_MAX_MB: '1',
  });
  discord = await new FakeDiscord().start();
  adapter = createDiscordAdapter(app, {
    token: 'test-token',
    applicationId: APPLICATION_ID,
    guildId: undefined,
    apiUrl: discord.apiUrl,
    adminUserIds: [BOOTSTRAP_ADMIN],
  });
  await adapter.start();
});
afterAll(async () => {
  await adapter?.stop();
  await discord?.close();
  await app?.close();
  await cdn?.close();
  await rm(evidenceDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await resetDatabase(app.database);
  cast = await seedCast(app);
  for (const actor of Object.values(cast)) {
    await linkIdentity(app.database.prisma, cast.admin, {
      memberId: actor.memberId,
      platform: 'discord',
      workspaceId: GUILD_ID,
      userId: discordUser(actor),
    });
  }
  discord.calls.length = 0;
});

const db = () => app.database.prisma;
const discordUser = (actor: { memberId: number }) => `90000000000000000${actor.memberId}`;

type Callback = { type: number; data?: Record<string, unknown> };

function slash(userId: string, name: string, options: unknown[] = [], extra: Record<string, unknown> = {}) {
  return discord.dispatchInteraction({
    type: 2,
    member: memberOf(userId),
    data: { id: '800000000000000008', name, type: 1, options, guild_id: GUILD_ID },
    ...extra,
  });
}

async function callbackFor(sent: { id: string; token: string }): Promise<Callback & { at: number }> {
  const call = await discord.waitFor(() =>
    discord.calls.find(
      (c) => c.method === 'POST' && c.path === `/interactions/${sent.id}/${sent.token}/callback`,
    ),
  );
  return { ...(call.body as Callback), at: call.at };
}

const text = (value: unknown) => JSON.stringify(value);

describe('Discord application commands', () => {
  it('/propose creates the target and answers through the interaction callback, with no mentions allowed', async () => {
    const sent = slash(discordUser(cast.member), 'propose', [
      { name: 'name', type: 3, value: 'Chen Quanguo' },
      { name: 'country', type: 3, value: 'China' },
      { name: 'programs', type: 3, value: 'GLOMAG' },
    ]);
    const callback = await callbackFor(sent);
    expect(callback.at - sent.sentAt).toBeLessThan(3000);
    expect(callback.type).toBe(4);
    expect(callback.data?.flags).toBe(64);
    expect(callback.data?.allowed_mentions).toEqual({ parse: [] });
    expect(text(callback.data?.embeds)).toContain('#1 Chen Quanguo');
    const target = await db().target.findFirstOrThrow();
    expect(target).toMatchObject({ primaryName: 'Chen Quanguo', country: 'China', programs: ['GLOMAG'] });
    expect(target.proposedByMemberId).toBe(cast.member.memberId);
  });

  it('announces a proposal in the proposals channel with @everyone neutralized', async () => {
    const set = await callbackFor(
      slash(discordUser(cast.admin), 'channel', [
        { name: 'set', type: 1, options: [{ name: 'purpose', type: 3, value: 'proposals' }] },
      ]),
    );
    expect(text(set.data?.embeds)).toContain('This channel now receives proposals');
    await callbackFor(
      slash(discordUser(cast.member), 'propose', [
        { name: 'name', type: 3, value: '@everyone <@&123456789012> [click](https://evil.example) Zhu' },
      ]),
    );
    const post = await discord.waitFor(
      () => discord.callsMatching('POST', /^\/channels\/400000000000000004\/messages$/)[0],
    );
    const body = post.body as { allowed_mentions: unknown; embeds: unknown; content: string };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    const posted = text(body);
    // Mentions are broken with a zero-width space, the masked link's bracket is escaped.
    expect(posted).not.toMatch(/(?<!\u200b)@everyone|<@&|(?<!\\)\[click\]\(/);
    expect(posted).toContain('@\u200beveryone');
    expect(body.content).toContain('New proposal from Bo Lin');
  });

  it('tells an unknown user how to join, privately, and writes nothing', async () => {
    const before = await db().auditLog.count();
    const callback = await callbackFor(
      slash('123456789012345678', 'propose', [{ name: 'name', type: 3, value: 'X' }]),
    );
    expect(callback.data?.flags).toBe(64);
    expect(text(callback.data?.embeds)).toContain('You are not linked to a coalition member yet');
    expect(text(callback.data?.embeds)).toContain('123456789012345678');
    expect(await db().target.count()).toBe(0);
    expect(await db().auditLog.count()).toBe(before);
  });

  it("posts a busy day's digest in at most 3 messages, the whole of it attached to the last", async () => {
    await importOfacDay(db(), '2021-04-25');
    await callbackFor(
      slash(discordUser(cast.coordinator), 'digest', [
        {
          name: 'subscribe',
          type: 1,
          options: [
            { name: 'programs', type: 3, value: 'GLOMAG' },
            { name: 'time', type: 3, value: '09:00' },
          ],
        },
      ]),
    );
    await importOfacDay(db(), '2021-12-06');
    expect(await deliverDueDigests(db(), new Date('2021-12-07T09:00:00Z'))).toEqual([
      { subscriptionId: expect.any(Number), messages: 3 },
    ]);
    app.notifyOutbox();
    const posts = await discord.waitFor(() => {
      const found = discord
        .callsMatching('POST', /^\/channels\/400000000000000004\/messages$/)
        .filter((call) => text(call.body).includes('sanctions digest: 2021-12-06'));
      return found.length === 3 ? found : undefined;
    });
    expect(posts.slice(0, 2).every((call) => !call.files)).toBe(true);
    const file = posts[2]?.files?.['ofac-digest-2021-12-06.md']?.toString('utf8') ?? '';
    expect(file).toContain('# OFAC sanctions digest: 2021-12-06');
    expect(file).toContain('107 changes in GLOMAG');
    expect(text(posts[2]?.body)).toMatch(/more lines of this digest are in the attached file/);
  });

  it('sends exports whole, as a file attached to the private answer', async () => {
    await addAuditRows(db(), cast.member.memberId, 70);
    const sent = slash(discordUser(cast.admin), 'audit', [{ name: 'format', type: 3, value: 'csv' }]);
    await callbackFor(sent);
    const call = discord.calls.find(
      (c) => c.method === 'POST' && c.path === `/interactions/${sent.id}/${sent.token}/callback`,
    );
    if (!call) throw new Error('no interaction callback');
    const file = call.files?.['audit.csv']?.toString('utf8') ?? '';
    const rows = file.trim().split('\n');
    expect(rows[0]).toBe('id,at,member_id,member,action,entity_type,entity_id,before,after');
    expect(rows.filter((row) => row.includes(',test.row,'))).toHaveLength(70);
    expect(((call.body as Callback).data?.flags as number) & 64).toBe(64);
    expect(text((call.body as Callback).data?.embeds)).toContain('Attached: audit.csv');
  });

  it("binds DISCORD_ADMIN_USER_IDS to the bot's server: the same user id from another server is nobody", async () => {
    const callback = await callbackFor(
      slash(
        BOOTSTRAP_ADMIN,
        'org',
        [
          {
            name: 'add',
            type: 1,
            options: [
              { name: 'name', type: 3, value: 'Takeover' },
              { name: 'slug', type: 3, value: 'takeover' },
            ],
          },
        ],
        { guild_id: '300000000000000003' },
      ),
    );
    expect(text(callback.data?.embeds)).toContain('You are not linked to a coalition member yet');
    expect(await db().organization.findUnique({ where: { slug: 'takeover' } })).toBeNull();
  });

  it('makes a DISCORD_ADMIN_USER_IDS user an admin on first contact', async () => {
    const callback = await callbackFor(
      slash(BOOTSTRAP_ADMIN, 'org', [
        {
          name: 'add',
          type: 1,
          options: [
            { name: 'name', type: 3, value: 'Open Society' },
            { name: 'slug', type: 3, value: 'osf' },
          ],
        },
      ]),
    );
    expect(text(callback.data?.embeds)).toContain('Organization added: Open Society');
    expect(await db().organization.findUnique({ where: { slug: 'osf' } })).not.toBeNull();
  });

  it('runs an interaction delivered twice only once', async () => {
    const first = slash(discordUser(cast.member), 'propose', [
      { name: 'name', type: 3, value: 'Wang Mingshan' },
    ]);
    await callbackFor(first);
    discord.dispatchInteraction({
      id: first.id,
      token: first.token,
      type: 2,
      member: memberOf(discordUser(cast.member)),
      data: {
        id: '800000000000000008',
        name: 'propose',
        type: 1,
        options: [{ name: 'name', type: 3, value: 'Wang Mingshan' }],
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await db().target.count()).toBe(1);
  });

  it('suggests targets and organizations as the member types', async () => {
    await callbackFor(
      slash(discordUser(cast.member), 'propose', [{ name: 'name', type: 3, value: 'Chen Quanguo' }]),
    );
    const target = await callbackFor(
      discord.dispatchInteraction({
        type: 4,
        member: memberOf(discordUser(cast.observer)),
        data: {
          id: '800000000000000009',
          name: 'target',
          type: 1,
          options: [{ name: 'id', type: 4, value: 'chen', focused: true }],
        },
      }),
    );
    expect(target).toMatchObject({ type: 8, data: { choices: [{ name: '#1 Chen Quanguo', value: 1 }] } });
    const organization = await callbackFor(
      discord.dispatchInteraction({
        type: 4,
        member: memberOf(discordUser(cast.admin)),
        data: {
          id: '800000000000000010',
          name: 'member',
          type: 1,
          options: [
            { name: 'add', type: 1, options: [{ name: 'org', type: 3, value: 'trans', focused: true }] },
          ],
        },
      }),
    );
    expect(organization.data?.choices).toEqual([{ name: 'Transparency Initiative (ti)', value: 'ti' }]);
  });
});

describe('Discord buttons and modals', () => {
  it('pages a target list in place', async () => {
    for (const name of ['A One', 'B Two', 'C Three']) {
      await callbackFor(slash(discordUser(cast.member), 'propose', [{ name: 'name', type: 3, value: name }]));
    }
    const list = await callbackFor(slash(discordUser(cast.member), 'targets'));
    const rows = list.data?.components as Array<{ components: Array<{ custom_id: string; label: string }> }>;
    const next = rows[0]?.components.find((button) => button.label === 'Next');
    expect(next?.custom_id).toMatch(/^cb:run:/);
    const click = discord.dispatchInteraction({
      type: 3,
      member: memberOf(discordUser(cast.member)),
      data: { custom_id: next?.custom_id, component_type: 2 },
      message: botMessage('400000000000000004', {
        id: '700000000000000007',
        embeds: list.data?.embeds ?? [],
        components: rows,
        flags: 64,
      }),
    });
    const update = await callbackFor(click);
    expect(update.type).toBe(7);
    expect(text(update.data?.embeds)).toContain('#3 C Three');
    expect(text(update.data?.embeds)).not.toContain('#1 A One');
  });

  it('opens a form for /propose with no options, explains errors, and creates the target on a valid submit', async () => {
    const open = await callbackFor(slash(discordUser(cast.member), 'propose'));
    expect(open.type).toBe(9);
    expect(open.data?.custom_id).toBe('cb:propose');
    // Five components, Discord's limit: four inputs and the confidential choice in a label.
    const shown = open.data?.components as Array<{ type: number; component?: { custom_id: string } }>;
    expect(shown.map((component) => component.type)).toEqual([1, 1, 1, 1, 18]);
    expect(shown[4]?.component?.custom_id).toBe('confidential');
    const modal = (fields: Record<string, string>, confidential?: string) => ({
      type: 5,
      member: memberOf(discordUser(cast.member)),
      data: {
        custom_id: 'cb:propose',
        components: [
          ...Object.entries(fields).map(([id, value]) => ({
            type: 1,
            components: [{ type: 4, custom_id: id, value }],
          })),
          ...(confidential
            ? [{ type: 18, component: { type: 3, custom_id: 'confidential', values: [confidential] } }]
            : []),
        ],
      },
    });
    const bad = await callbackFor(
      discord.dispatchInteraction(modal({ name: 'Zhu Hailun', evidence: 'http://insecure.example' })),
    );
    expect(bad.data?.flags).toBe(64);
    expect(text(bad.data?.embeds)).toContain('evidence link must be a full https:// link');
    expect(text(bad.data?.components)).toContain('Edit and resubmit');
    expect(await db().target.count()).toBe(0);

    const good = await callbackFor(
      discord.dispatchInteraction(
        modal({
          name: 'Zhu Hailun',
          country: 'China',
          programs: 'GLOMAG',
          evidence: 'https://example.org/a\nhttps://example.org/b',
        }),
      ),
    );
    expect(good.type).toBe(4);
    expect(await db().target.findFirstOrThrow()).toMatchObject({
      primaryName: 'Zhu Hailun',
      programs: ['GLOMAG'],
      evidenceLinks: ['https://example.org/a', 'https://example.org/b'],
      confidential: false,
    });

    // The confidential choice reaches /propose: this bot has no ENCRYPTION_KEY, so the answer says
    // so and nothing is saved in the clear (test/domain/confidential.test.ts has a key).
    const secret = await callbackFor(
      discord.dispatchInteraction(modal({ name: 'Wang Junzheng', country: 'China' }, 'yes')),
    );
    expect(secret.data?.flags).toBe(64);
    expect(text(secret.data?.embeds)).toContain('Confidential targets need encryption at rest');
    expect(await db().target.count()).toBe(1);
  });
});

describe('Discord gateway and registration', () => {
  it('resumes the session after the gateway drops the connection, and keeps answering', async () => {
    const resumesBefore = discord.resumes;
    const identifiesBefore = discord.identifies;
    discord.dropConnection(4000);
    await discord.waitFor(() => discord.resumes > resumesBefore || undefined, 15_000);
    expect(discord.identifies).toBe(identifiesBefore);
    const callback = await callbackFor(slash(discordUser(cast.observer), 'targets'));
    expect(callback.type).toBe(4);
  });

  it('bulk-overwrites the guild commands with the registry', async () => {
    const result = await registerCommands(registry, {
      token: 'test-token',
      applicationId: APPLICATION_ID,
      guildId: GUILD_ID,
      apiUrl: discord.apiUrl,
    });
    expect(result).toEqual({ scope: `server ${GUILD_ID}`, count: registry.length });
    const put = discord.callsMatching(
      'PUT',
      new RegExp(`^/applications/${APPLICATION_ID}/guilds/${GUILD_ID}/commands$`),
    )[0];
    const body = put?.body as Array<{
      name: string;
      options: Array<{
        name: string;
        type: number;
        options?: Array<{ name: string; autocomplete?: boolean; required?: boolean }>;
      }>;
    }>;
    expect(body.map((command) => command.name)).toEqual(registry.map((command) => command.name));
    const member = body.find((command) => command.name === 'member');
    expect(member?.options.map((option) => [option.name, option.type])).toEqual([
      ['add', 1],
      ['link', 1],
      ['export', 1],
      ['erase', 1],
    ]);
    // Discord refuses a command whose required options come after optional ones.
    for (const command of body) {
      for (const group of [command, ...command.options] as Array<{
        options?: Array<{ required?: boolean }>;
      }>) {
        const required = (group.options ?? []).map((option) => option.required === true);
        expect(required.indexOf(false) === -1 || required.lastIndexOf(true) < required.indexOf(false)).toBe(
          true,
        );
      }
    }
    expect(member?.options[0]?.options?.find((option) => option.name === 'org')?.autocomplete).toBe(true);
    const propose = body.find((command) => command.name === 'propose') as unknown as {
      options: Array<{ required: boolean }>;
    };
    expect(propose.options.every((option) => option.required === false)).toBe(true);
  });

  it('runs a case from open to closed with one status card, edited in place, and events in its thread', async () => {
    const target = await db().target.create({
      data: {
        primaryName: 'Chen Quanguo',
        nameKeys: ['chen quanguo'],
        proposedByMemberId: cast.member.memberId,
        proposedByOrganizationId: (
          await db().member.findUniqueOrThrow({ where: { id: cast.member.memberId } })
        ).organizationId,
      },
    });
    const caseCommand = (userId: string, sub: string, options: unknown[]) =>
      callbackFor(slash(userId, 'case', [{ name: sub, type: 1, options }]));
    await callbackFor(
      slash(
        discordUser(cast.admin),
        'channel',
        [{ name: 'set', type: 1, options: [{ name: 'purpose', type: 3, value: 'cases' }] }],
        {
          channel_id: '400000000000000044',
          channel: { id: '400000000000000044', type: 0, guild_id: GUILD_ID },
        },
      ),
    );
    const opened = await caseCommand(discordUser(cast.coordinator), 'open', [
      { name: 'target', type: 3, value: String(target.id) },
    ]);
    expect(text(opened.data?.embeds)).toContain('Case opened: Case 1: Chen Quanguo');
    const card = await discord.waitFor(
      () => discord.callsMatching('POST', /^\/channels\/400000000000000044\/messages$/)[0],
    );
    const thread = await discord.waitFor(
      () => discord.callsMatching('POST', /^\/channels\/400000000000000044\/messages\/\d+\/threads$/)[0],
    );
    expect((thread.body as { name: string }).name).toBe('Case 1: Chen Quanguo');

    const moved = await caseCommand(discordUser(cast.coordinator), 'move', [
      { name: 'id', type: 4, value: 1 },
      { name: 'stage', type: 3, value: 'drafting' },
    ]);
    expect(text(moved.data?.embeds)).toContain('Stage: drafting');
    await caseCommand(discordUser(cast.coordinator), 'submit', [
      { name: 'id', type: 4, value: 1 },
      { name: 'to', type: 3, value: 'us-treasury' },
      { name: 'date', type: 3, value: '2026-11-20' },
      { name: 'ref', type: 3, value: 'GM-114' },
    ]);
    const refused = await caseCommand(discordUser(cast.coordinator), 'move', [
      { name: 'id', type: 4, value: 1 },
      { name: 'stage', type: 3, value: 'closed' },
    ]);
    expect(text(refused.data)).toContain('reason: say why the case is closed');
    expect(refused.data?.flags).toBe(64);
    await caseCommand(discordUser(cast.coordinator), 'move', [
      { name: 'id', type: 4, value: 1 },
      { name: 'stage', type: 3, value: 'closed' },
      { name: 'reason', type: 3, value: 'merged into a joint submission' },
    ]);

    const threadId = String(510000000000000000n + BigInt(discord.threads));
    await discord.waitFor(
      () =>
        discord.callsMatching('POST', new RegExp(`^/channels/${threadId}/messages$`)).length >= 4 ||
        undefined,
    );
    const events = discord
      .callsMatching('POST', new RegExp(`^/channels/${threadId}/messages$`))
      .map((call) => text(call.body));
    expect(events[0]).toContain('Case opened for #1 Chen Quanguo');
    expect(
      events.some((event) => event.includes('Submitted to US-Treasury on 2026-11-20 (ref. GM-114)')),
    ).toBe(true);
    expect(events.at(-1)).toContain('Moved from submitted to closed: merged into a joint submission');
    // One card, never re-posted; edits bring it to the closed stage.
    expect(discord.callsMatching('POST', /^\/channels\/400000000000000044\/messages$/)).toHaveLength(1);
    const cardId = /messages\/(\d+)\/threads$/.exec(thread.path)?.[1];
    const edits = discord.callsMatching('PATCH', /^\/channels\/400000000000000044\/messages\/\d+$/);
    expect(edits.length).toBeGreaterThan(0);
    expect(edits.every((edit) => edit.path.endsWith(`/messages/${cardId}`))).toBe(true);
    expect(text(card.body)).toContain('Stage: research');
    await expect
      .poll(() =>
        text(discord.callsMatching('PATCH', /^\/channels\/400000000000000044\/messages\/\d+$/).at(-1)?.body),
      )
      .toContain('Stage: closed (merged into a joint submission)');
    const timeline = await db().caseEvent.findMany({ where: { caseId: 1 }, orderBy: { id: 'asc' } });
    expect(timeline.map((event) => event.kind)).toEqual(['opened', 'moved', 'submitted', 'moved']);
  });

  it('takes an evidence file as an attachment: downloads it, hashes it, keeps it, and refuses what it must', async () => {
    const target = await db().target.create({
      data: {
        primaryName: 'Zhu Hailun',
        nameKeys: ['zhu hailun'],
        proposedByMemberId: cast.member.memberId,
        proposedByOrganizationId: cast.member.organizationId,
      },
    });
    await callbackFor(
      slash(discordUser(cast.coordinator), 'case', [
        { name: 'open', type: 1, options: [{ name: 'target', type: 3, value: String(target.id) }] },
      ]),
    );
    const attach = (name: string, path: string, size: number) =>
      discord.dispatchInteraction({
        type: 2,
        member: memberOf(discordUser(cast.coordinator)),
        data: {
          id: '800000000000000008',
          name: 'case',
          type: 1,
          guild_id: GUILD_ID,
          options: [
            {
              name: 'evidence',
              type: 1,
              options: [
                { name: 'id', type: 4, value: 1 },
                { name: 'file', type: 11, value: '990000000000000001' },
                { name: 'note', type: 3, value: 'bank transfers' },
              ],
            },
          ],
          resolved: {
            attachments: {
              '990000000000000001': {
                id: '990000000000000001',
                filename: name,
                size,
                url: cdn.url(path),
                proxy_url: cdn.url(path),
                content_type: 'application/pdf',
              },
            },
          },
        },
      });
    const pdf = Buffer.from('%PDF-1.4\n% ledger of transfers\n%%EOF\n');
    cdn.files.set('/ledger.pdf', pdf);
    const added = await callbackFor(attach('ledger.pdf', '/ledger.pdf', pdf.length));
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    expect(added.data?.flags).toBe(64);
    expect(text(added.data?.embeds)).toContain('Evidence E1 added to case 1');
    expect(text(added.data?.embeds)).toContain(sha256);
    expect(await db().caseEvidence.findFirstOrThrow()).toMatchObject({
      url: null,
      sha256,
      fileName: 'ledger.pdf',
      fileSize: pdf.length,
      fileType: 'application/pdf',
      addedByMemberId: cast.coordinator.memberId,
    });
    expect(await readFile(join(evidenceDir, sha256.slice(0, 2), sha256))).toEqual(pdf);

    // An executable named .pdf, and a file over EVIDENCE_MAX_MB: refused, privately, nothing saved.
    cdn.files.set('/invoice.pdf', Buffer.from('MZ\x90\0\x03\0'));
    const executable = await callbackFor(attach('invoice.pdf', '/invoice.pdf', 6));
    expect(executable.data?.flags).toBe(64);
    expect(text(executable.data?.embeds)).toContain('invoice.pdf is not a kind of file accepted as evidence');
    const large = await callbackFor(attach('scan.pdf', '/scan.pdf', 5 * 1_048_576));
    expect(text(large.data?.embeds)).toContain('scan.pdf is 5 MB; evidence files can be at most 1 MB');
    expect(cdn.requests.filter((request) => request.path === '/scan.pdf')).toHaveLength(0);
    expect(await db().caseEvidence.count()).toBe(1);

    // The dossier lists the file with its size, type and hash.
    const dossier = await callbackFor(
      slash(discordUser(cast.coordinator), 'case', [
        { name: 'export', type: 1, options: [{ name: 'id', type: 4, value: 1 }] },
      ]),
    );
    const call = discord.calls.find(
      (c) => c.path.includes('/callback') && c.files && Object.keys(c.files).length,
    );
    const markdown = Object.values(call?.files ?? {})[0]?.toString('utf8') ?? '';
    expect(dossier.type).toBe(4);
    expect(markdown).toContain(`| E1 | file ledger.pdf (${pdf.length} bytes, application/pdf) | ${sha256} |`);
  });
});
