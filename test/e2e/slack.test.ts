import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { DELIVERY_ALERT_AFTER } from '../../src/chat/outbox-worker.ts';
import { deliverDueDigests } from '../../src/digest/deliver.ts';
import { createSlackAdapter, type SlackAdapter } from '../../src/platforms/slack/adapter.ts';
import { addAuditRows, type Cast, createTestApp, seedCast } from '../helpers/app.ts';
import { createTestDatabase, resetDatabase } from '../helpers/database.ts';
import { FakeSlack, postSigned } from '../helpers/fake-slack.ts';
import { importOfacDay } from '../helpers/lists.ts';

/** Real Bolt in HTTP mode, signed requests in, Web API calls out to a loopback fake of Slack. */
const SECRET = 'test-signing-secret';
const TEAM = 'T1';

let app: App;
let cast: Cast;
let slack: FakeSlack;
let adapter: SlackAdapter;
let events: string;
let sequence = 0;

let evidenceDir: string;

beforeAll(async () => {
  evidenceDir = await mkdtemp(join(tmpdir(), 'slack-evidence-'));
  app = await createTestApp(await createTestDatabase(), { PAGE_SIZE: '2', EVIDENCE_DIR: evidenceDir });
  slack = await new FakeSlack().start();
  adapter = createSlackAdapter(
    app,
    {
      botToken: 'xoxb-test',
      signingSecret: SECRET,
      appToken: undefined,
      apiUrl: slack.apiUrl,
      adminUserIds: ['UBOOT'],
      // As a workspace where /vote or /help belong to another app would set it.
      commandPrefix: 'cb-',
    },
    0,
  );
  await adapter.start();
  events = `http://127.0.0.1:${adapter.port()}/slack/events`;
});
afterAll(async () => {
  await adapter?.stop();
  await slack?.close();
  await app?.close();
  await rm(evidenceDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await resetDatabase(app.database);
  cast = await seedCast(app);
  slack.calls.length = 0;
  slack.responses.length = 0;
});

const db = () => app.database.prisma;
const slackUser = (actor: { memberId: number }) => `U${actor.memberId}`;

function slashBody(userId: string, command: string, text: string, overrides: Record<string, string> = {}) {
  sequence += 1;
  return new URLSearchParams({
    token: 'legacy',
    team_id: TEAM,
    team_domain: 'coalition',
    channel_id: 'CGENERAL',
    channel_name: 'general',
    user_id: userId,
    user_name: 'someone',
    command,
    text,
    api_app_id: 'A1',
    response_url: slack.responseUrl(`cmd${sequence}`),
    trigger_id: `trigger-${sequence}`,
    ...overrides,
  }).toString();
}

const interaction = (payload: Record<string, unknown>) =>
  `payload=${encodeURIComponent(JSON.stringify(payload))}`;

/** Delivers an Events API callback, signed, as Slack posts it. */
const postEvent = (eventId: string, event: Record<string, unknown>) =>
  postSigned(
    events,
    JSON.stringify({
      type: 'event_callback',
      team_id: TEAM,
      api_app_id: 'A1',
      event_id: eventId,
      event_time: 1,
      event,
    }),
    SECRET,
    { headers: { 'content-type': 'application/json' } },
  );

async function slash(userId: string, command: string, text: string, overrides: Record<string, string> = {}) {
  const response = await postSigned(events, slashBody(userId, command, text, overrides), SECRET);
  expect(response.status).toBe(200);
  return response;
}

type Message = { response_type?: string; text?: string; blocks?: unknown[] };

describe('Slack slash commands', () => {
  it('answers commands under the SLACK_COMMAND_PREFIX (/cb-targets) as it answers /targets', async () => {
    const prefixed = (await slash(slackUser(cast.observer), '/cb-targets', '')).json() as Message;
    const plain = (await slash(slackUser(cast.observer), '/targets', '')).json() as Message;
    expect(plain.text).toBeTruthy();
    expect(prefixed.text).toBe(plain.text);
    expect(prefixed.text).not.toMatch(/unknown|not a command/i);
  });

  it('/propose with text creates the target and answers within the 3-second window', async () => {
    const response = await slash(
      slackUser(cast.member),
      '/propose',
      'Chen Quanguo country:China programs:GLOMAG',
    );
    expect(response.ms).toBeLessThan(3000);
    const message = response.json() as Message;
    expect(message.response_type).toBe('ephemeral');
    expect(JSON.stringify(message.blocks)).toContain('#1 Chen Quanguo');
    const target = await db().target.findFirstOrThrow();
    expect(target).toMatchObject({ primaryName: 'Chen Quanguo', country: 'China', programs: ['GLOMAG'] });
    expect(target.proposedByMemberId).toBe(cast.member.memberId);
    const list = (await slash(slackUser(cast.observer), '/targets', '')).json() as Message;
    expect(JSON.stringify(list.blocks)).toContain('#1 Chen Quanguo');
  });

  it('announces proposals in the channel an admin chose, escaping member text', async () => {
    const set = (
      await slash(slackUser(cast.admin), '/channel', 'set purpose:proposals', { channel_id: 'CPROP' })
    ).json() as Message;
    expect(set.response_type).toBe('in_channel');
    const refused = (
      await slash(slackUser(cast.coordinator), '/channel', 'set purpose:proposals')
    ).json() as Message;
    expect(JSON.stringify(refused.blocks)).toContain('Only admins can choose channels');

    // Slack sends a real broadcast raw and a typed one escaped; neither may come back as a mention.
    await slash(
      slackUser(cast.member),
      '/propose',
      'name:"<!channel> Zhu Hailun" position:"&lt;!here&gt; <@U999> <https://evil.example|bank>"',
    );
    const post = await slack.waitFor(() => slack.callsTo('chat.postMessage')[0]);
    expect(post.args.channel).toBe('CPROP');
    expect(String(post.args.link_names)).toBe('false');
    const posted = JSON.stringify(post.args);
    expect(posted).toContain('&lt;!channel&gt; Zhu Hailun');
    expect(posted).toContain('&lt;!here&gt; &lt;@U999&gt; &lt;https://evil.example|bank&gt;');
    expect(posted).not.toMatch(/<!channel>|<!here>|<@U999>|<https:/);
    expect(post.authorization).toBe('Bearer xoxb-test');
    // Recorded as sent just after Slack answered.
    await expect
      .poll(async () => (await db().outboxMessage.findFirstOrThrow()).sentAt, { timeout: 5000 })
      .toBeInstanceOf(Date);
  });

  it('retries a rate-limited post (429 + Retry-After) and still delivers the announcement', async () => {
    await slash(slackUser(cast.admin), '/channel', 'set purpose:proposals', { channel_id: 'CPROP' });
    slack.failNext('chat.postMessage', 429, { 'Retry-After': '1' });
    slack.failNext('chat.postMessage', 503);
    await slash(slackUser(cast.member), '/propose', 'Wang Mingshan');
    await slack.waitFor(() => slack.callsTo('chat.postMessage').length >= 3 || undefined, 15_000);
    const posts = slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(3);
    expect(JSON.stringify(posts[2]?.args)).toContain('Wang Mingshan');
    await expect
      .poll(async () => (await db().outboxMessage.findFirstOrThrow()).sentAt, { timeout: 5000 })
      .toBeInstanceOf(Date);
  });

  it('keeps retrying a post to a channel the bot left, and tells the admin channel once', async () => {
    await slash(slackUser(cast.admin), '/channel', 'set purpose:admin', { channel_id: 'CADMIN' });
    await slash(slackUser(cast.admin), '/channel', 'set purpose:proposals', { channel_id: 'CGONE' });
    slack.removedFrom.add('CGONE');
    await slash(slackUser(cast.member), '/propose', 'Wang Mingshan');
    const attemptsTo = (channel: string) =>
      slack.callsTo('chat.postMessage').filter((call) => call.args.channel === channel).length;
    for (let attempt = 1; attempt <= DELIVERY_ALERT_AFTER + 1; attempt++) {
      await slack.waitFor(() => attemptsTo('CGONE') >= attempt || undefined, 10_000);
      // The failure is recorded (with its backoff) before time is moved on.
      await expect
        .poll(
          async () => (await db().outboxMessage.findFirstOrThrow({ where: { channelId: 'CGONE' } })).attempts,
        )
        .toBeGreaterThanOrEqual(attempt);
      // Time passes: the backoff (5 s, 10 s, 20 s...) is over.
      await db().outboxMessage.updateMany({ where: { sentAt: null }, data: { nextAttemptAt: new Date(0) } });
      app.notifyOutbox();
    }
    const alert = await slack.waitFor(() =>
      slack.callsTo('chat.postMessage').find((call) => call.args.channel === 'CADMIN'),
    );
    expect(JSON.stringify(alert.args)).toContain('Messages to slack channel CGONE are failing');
    expect(JSON.stringify(alert.args)).toContain('not_in_channel');
    expect(JSON.stringify(alert.args)).not.toContain('Wang Mingshan');
    expect(slack.callsTo('chat.postMessage').filter((call) => call.args.channel === 'CADMIN')).toHaveLength(
      1,
    );
    const stuck = await db().outboxMessage.findFirstOrThrow({ where: { channelId: 'CGONE' } });
    expect(stuck.sentAt).toBeNull();
    expect(stuck.attempts).toBeGreaterThanOrEqual(DELIVERY_ALERT_AFTER);
    slack.removedFrom.delete('CGONE');
  });

  it('runs a retried delivery (x-slack-retry-num) only once', async () => {
    const body = slashBody(slackUser(cast.member), '/propose', 'Ramzan Kadyrov country:Russia');
    expect((await postSigned(events, body, SECRET)).status).toBe(200);
    const retried = await postSigned(events, body, SECRET, {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retried.status).toBe(200);
    expect(await db().target.count()).toBe(1);
  });

  it('rejects a bad or stale signature with 401 and writes nothing', async () => {
    const body = slashBody(slackUser(cast.member), '/propose', 'Forged Name');
    const forged = await postSigned(events, body, 'wrong-secret');
    expect(forged.status).toBe(401);
    const stale = await postSigned(events, body, SECRET, { timestamp: Math.floor(Date.now() / 1000) - 360 });
    expect(stale.status).toBe(401);
    // Signed, but dated ahead: a captured request must not stay replayable while its clock is ahead.
    const future = await postSigned(events, body, SECRET, { timestamp: Math.floor(Date.now() / 1000) + 600 });
    expect(future.status).toBe(401);
    const slightlyAhead = await postSigned(
      events,
      slashBody(slackUser(cast.member), '/targets', ''),
      SECRET,
      {
        timestamp: Math.floor(Date.now() / 1000) + 60,
      },
    );
    expect(slightlyAhead.status).toBe(200);
    const unsigned = await fetch(events, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(unsigned.status).toBe(401);
    expect(await db().target.count()).toBe(0);
    // Only the /targets sent a minute ahead got through.
    expect(await db().deliveryReceipt.count()).toBe(1);
  });

  it('answers correctly signed requests of any shape without crashing, and keeps serving', async () => {
    for (const shape of ['null', '[]', 'true', '"x"', '12', '{"type":']) {
      const asForm = await postSigned(events, `payload=${encodeURIComponent(shape)}`, SECRET);
      expect(asForm.status, `payload=${shape}`).toBe(400);
      const asJson = await postSigned(events, shape, SECRET, {
        headers: { 'content-type': 'application/json' },
      });
      expect(asJson.status, `JSON ${shape}`).toBe(400);
    }
    // An empty object is a request no listener wants: Bolt answers it after its own timeout, as before.
    const empty = await postSigned(events, 'payload=%7B%7D', SECRET);
    expect(empty.status).toBeLessThan(500);
    // Still alive and answering.
    const list = (await slash(slackUser(cast.member), '/targets', '')).json() as Message;
    expect(list.response_type).toBe('ephemeral');
  });

  it("binds SLACK_ADMIN_USER_IDS to the bot's own team: the same user id from another team is nobody", async () => {
    const elsewhere = (
      await slash('UBOOT', '/org', 'add name:"Takeover" slug:takeover', { team_id: 'T2' })
    ).json() as Message;
    expect(JSON.stringify(elsewhere.blocks)).toContain('You are not linked to a coalition member yet');
    expect(await db().organization.findUnique({ where: { slug: 'takeover' } })).toBeNull();
    expect(await db().platformIdentity.count({ where: { userId: 'UBOOT' } })).toBe(0);
  });

  it("posts a busy day's digest in at most 3 messages, the whole of it attached in the thread", async () => {
    await importOfacDay(db(), '2021-04-25');
    await slash(slackUser(cast.coordinator), '/cb-digest', 'subscribe programs:GLOMAG time:09:00', {
      channel_id: 'CDIGEST',
    });
    await importOfacDay(db(), '2021-12-06');
    slack.uploads.length = 0;
    expect(await deliverDueDigests(db(), new Date('2021-12-07T09:00:00Z'))).toEqual([
      { subscriptionId: expect.any(Number), messages: 3 },
    ]);
    app.notifyOutbox();
    const posts = await slack.waitFor(() => {
      const found = slack.calls.filter(
        (call) => call.method === 'chat.postMessage' && call.args.channel === 'CDIGEST',
      );
      return found.length === 3 ? found : undefined;
    });
    const texts = posts.map((call) => JSON.stringify(call.args.blocks));
    expect(texts[0]).toContain('OFAC sanctions digest: 2021-12-06 (1/3)');
    expect(texts[2]).toMatch(
      /\d+ more lines of this digest are in the attached file ofac-digest-2021-12-06\.md/,
    );
    const file = await slack.waitFor(() => {
      const text = slack.uploads.map((upload) => upload.body.toString('utf8')).join('');
      return text.includes('107 changes in GLOMAG') ? text : undefined;
    });
    expect(file).toContain('# OFAC sanctions digest: 2021-12-06');
    // Every line of the digest is in the file, more than the three messages hold.
    const lines = file.split('\n').filter((line) => line.startsWith('- '));
    const shown = texts.join('').split('• ').length - 1;
    expect(lines.length).toBeGreaterThan(shown);
    // The file's bytes reach Slack before the bot completes the upload into the channel.
    const complete = await slack.waitFor(() =>
      slack.calls.find((call) => call.method === 'files.completeUploadExternal'),
    );
    expect(JSON.stringify(complete.args)).toContain('CDIGEST');
  });

  it('sends exports whole, as a file in a direct message, and says so privately', async () => {
    await addAuditRows(db(), cast.member.memberId, 70);
    slack.uploads.length = 0;
    await slash(slackUser(cast.admin), '/audit', 'format:csv');
    const answer = await slack.waitFor(() => slack.responses.at(-1));
    expect(JSON.stringify(answer.body)).toContain('sent to you as audit.csv');
    expect((answer.body as Message).response_type).toBe('ephemeral');
    const opened = slack.calls.find((call) => call.method === 'conversations.open');
    expect(opened?.args.users).toBe(slackUser(cast.admin));
    const complete = slack.calls.find((call) => call.method === 'files.completeUploadExternal');
    expect(JSON.stringify(complete?.args)).toContain(`D${slackUser(cast.admin)}`);
    const file = slack.uploads.map((upload) => upload.body.toString('utf8')).join('');
    expect(file.split('\n').filter((row) => row.includes(',test.row,'))).toHaveLength(70);
  });

  it('tells an unknown user how to join, privately, and writes nothing', async () => {
    const before = await db().auditLog.count();
    const message = (await slash('UNKNOWN', '/propose', 'Someone')).json() as Message;
    expect(message.response_type).toBe('ephemeral');
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('You are not linked to a coalition member yet');
    expect(text).toContain('user:UNKNOWN');
    expect(await db().target.count()).toBe(0);
    expect(await db().auditLog.count()).toBe(before);
  });

  it('makes a SLACK_ADMIN_USER_IDS user an admin on first contact', async () => {
    const message = (await slash('UBOOT', '/org', 'add name:"Open Society" slug:osf')).json() as Message;
    expect(JSON.stringify(message.blocks)).toContain('Organization added: Open Society');
    const identity = await db().platformIdentity.findFirstOrThrow({
      where: { userId: 'UBOOT' },
      include: { member: true },
    });
    expect(identity.member.role).toBe('admin');
  });

  it('adds and links a member from a Slack mention', async () => {
    await slash(slackUser(cast.admin), '/member', 'add <@U0DANA|dana> org:ti role:coordinator');
    const identity = await db().platformIdentity.findFirstOrThrow({
      where: { userId: 'U0DANA' },
      include: { member: true },
    });
    expect(identity).toMatchObject({ platform: 'slack', workspaceId: TEAM });
    expect(identity.member).toMatchObject({ displayName: 'dana', role: 'coordinator' });
  });
});

describe('Slack buttons', () => {
  it('pages a target list in place', async () => {
    for (const name of ['A One', 'B Two', 'C Three']) await slash(slackUser(cast.member), '/propose', name);
    const list = (await slash(slackUser(cast.member), '/targets', '')).json() as {
      blocks: Array<Record<string, unknown>>;
    };
    const actions = list.blocks.find((block) => block.type === 'actions') as {
      elements: Array<{ action_id: string; value: string; text: { text: string } }>;
    };
    const next = actions.elements.find((element) => element.text.text === 'Next');
    expect(next).toBeDefined();
    const payload = {
      type: 'block_actions',
      trigger_id: `click-${++sequence}`,
      team: { id: TEAM },
      user: { id: slackUser(cast.member), team_id: TEAM, name: 'bo' },
      channel: { id: 'CGENERAL' },
      container: { type: 'message', is_ephemeral: true },
      response_url: slack.responseUrl('page2'),
      actions: [
        { type: 'button', action_id: next?.action_id, value: next?.value, block_id: 'b', action_ts: '1' },
      ],
    };
    expect((await postSigned(events, interaction(payload), SECRET)).status).toBe(200);
    const answer = await slack.waitFor(() => slack.responses.find((post) => post.id === 'page2'));
    expect(answer.body.replace_original).toBe(true);
    expect(JSON.stringify(answer.body.blocks)).toContain('#3 C Three');
    expect(JSON.stringify(answer.body.blocks)).not.toContain('#1 A One');
  });

  it('"Propose anyway" on a duplicate warning creates the target once', async () => {
    await slash(slackUser(cast.member), '/propose', 'Chen Quanguo');
    const warning = (
      await slash(slackUser(cast.coordinator), '/propose', `Quanguo, Chen conduct:"${'x'.repeat(2500)}"`)
    ).json() as {
      blocks: Array<Record<string, unknown>>;
    };
    expect(JSON.stringify(warning.blocks)).toContain('looks like a target we already have');
    const actions = warning.blocks.find((block) => block.type === 'actions') as {
      elements: Array<{ action_id: string; value: string }>;
    };
    const button = actions.elements[0];
    // The proposal is too long for a button value: it is kept server-side and referenced.
    expect(button?.value).toMatch(/^ref:/);
    const click = {
      type: 'block_actions',
      trigger_id: `click-${++sequence}`,
      team: { id: TEAM },
      user: { id: slackUser(cast.coordinator), team_id: TEAM, name: 'ana' },
      channel: { id: 'CGENERAL' },
      container: { type: 'message', is_ephemeral: true },
      response_url: slack.responseUrl('anyway'),
      actions: [
        { type: 'button', action_id: button?.action_id, value: button?.value, block_id: 'b', action_ts: '1' },
      ],
    };
    await postSigned(events, interaction(click), SECRET);
    await postSigned(events, interaction(click), SECRET, { headers: { 'x-slack-retry-num': '1' } });
    await slack.waitFor(() => slack.responses.find((post) => post.id === 'anyway'));
    expect(await db().target.count()).toBe(2);
    const created = await db().target.findUniqueOrThrow({ where: { id: 2 } });
    expect(created.conduct).toHaveLength(2500);
  });
});

describe('Slack /propose modal', () => {
  const values = (fields: Record<string, unknown>) => {
    const state: Record<string, Record<string, unknown>> = {};
    for (const [name, value] of Object.entries(fields))
      state[name] = { value: { type: 'plain_text_input', value } };
    return state;
  };
  const submission = (userId: string, state: Record<string, unknown>) => ({
    type: 'view_submission',
    trigger_id: `submit-${++sequence}`,
    team: { id: TEAM },
    user: { id: userId, team_id: TEAM, name: 'bo' },
    view: {
      id: 'V1',
      hash: 'h1',
      callback_id: 'cb:propose',
      private_metadata: JSON.stringify({ channelId: 'CGENERAL' }),
      state: { values: state },
    },
  });

  it('opens the form for /propose with no text, shows errors inline, and creates the target on a valid submit', async () => {
    const ack = await slash(slackUser(cast.member), '/propose', '');
    expect(ack.text).toBe('');
    const open = await slack.waitFor(() => slack.callsTo('views.open')[0]);
    expect(open.args.trigger_id).toBe(`trigger-${sequence}`);
    const view = open.args.view as { callback_id: string; blocks: Array<{ block_id: string }> };
    expect(view.callback_id).toBe('cb:propose');
    expect(view.blocks.map((block) => block.block_id)).toEqual([
      'name',
      'kind',
      'country',
      'position',
      'conduct',
      'evidence',
      'aliases',
      'programs',
      'confidential',
      'confirm',
    ]);

    const bad = await postSigned(
      events,
      interaction(
        submission(slackUser(cast.member), values({ name: '   ', evidence: 'http://insecure.example' })),
      ),
      SECRET,
    );
    expect(bad.json()).toEqual({
      response_action: 'errors',
      errors: {
        name: 'name cannot be empty.',
        evidence: 'evidence link must be a full https:// link, like https://example.org/report.',
      },
    });
    expect(await db().target.count()).toBe(0);

    const state = {
      ...values({
        name: 'Zhu Hailun',
        country: 'China',
        evidence: 'https://example.org/a\nhttps://example.org/b',
        aliases: 'Zhu Hai-lun',
      }),
      kind: { value: { selected_option: { value: 'individual' } } },
      programs: { value: { selected_options: [{ value: 'GLOMAG' }] } },
    };
    const good = await postSigned(events, interaction(submission(slackUser(cast.member), state)), SECRET);
    expect(good.status).toBe(200);
    expect(good.text).toBe('');
    const target = await db().target.findFirstOrThrow();
    expect(target).toMatchObject({
      primaryName: 'Zhu Hailun',
      programs: ['GLOMAG'],
      evidenceLinks: ['https://example.org/a', 'https://example.org/b'],
      aliases: ['Zhu Hai-lun'],
    });
    const confirmation = await slack.waitFor(() => slack.callsTo('chat.postEphemeral')[0]);
    expect(confirmation.args).toMatchObject({ channel: 'CGENERAL', user: slackUser(cast.member) });

    const duplicate = await postSigned(
      events,
      interaction(submission(slackUser(cast.member), state)),
      SECRET,
    );
    expect((duplicate.json() as { errors: { name: string } }).errors.name).toContain(
      'Looks like #1 Zhu Hailun',
    );
    expect(await db().target.count()).toBe(1);

    // The confidential box reaches /propose: this bot has no ENCRYPTION_KEY, so the form says so
    // beside the name and nothing is saved in the clear (test/domain/confidential.test.ts has a key).
    const secret = await postSigned(
      events,
      interaction(
        submission(slackUser(cast.member), {
          ...values({ name: 'Wang Junzheng', country: 'China' }),
          kind: { value: { selected_option: { value: 'individual' } } },
          confidential: { value: { selected_options: [{ value: 'yes' }] } },
        }),
      ),
      SECRET,
    );
    expect((secret.json() as { errors: { name: string } }).errors.name).toContain('ENCRYPTION_KEY');
    expect(await db().target.count()).toBe(1);
  });

  it('runs a case from open to closed: one card in the cases channel, edited in place, events in its thread', async () => {
    await slash(slackUser(cast.admin), '/channel', 'set purpose:cases', { channel_id: 'CCASES' });
    await slash(slackUser(cast.member), '/propose', 'Chen Quanguo country:China');
    await slash(slackUser(cast.coordinator), '/case', 'open target:1 due:2027-03-01');
    await slash(slackUser(cast.coordinator), '/case', 'move id:1 stage:drafting');
    await slash(slackUser(cast.coordinator), '/case', 'submit id:1 to:UK date:2026-11-21');
    const refusal = (
      await slash(slackUser(cast.member), '/case', 'note id:1 text:"I am not on this case"')
    ).json();
    await slash(
      slackUser(cast.coordinator),
      '/case',
      'move id:1 stage:declined reason:"UK declined for now"',
    );
    const inCases = () => slack.callsTo('chat.postMessage').filter((call) => call.args.channel === 'CCASES');
    const card = await slack.waitFor(() => inCases().find((call) => !call.args.thread_ts));
    await slack.waitFor(() => inCases().filter((call) => call.args.thread_ts).length >= 4 || undefined);
    expect(inCases().filter((call) => !call.args.thread_ts)).toHaveLength(1);
    const replies = inCases().filter((call) => call.args.thread_ts);
    const posted = await db().caseThread.findFirstOrThrow();
    expect(replies.every((call) => call.args.thread_ts === posted.threadId)).toBe(true);
    expect(posted.threadId).toBe(posted.messageId);
    expect(JSON.stringify(replies.map((call) => call.args.blocks))).toContain(
      'Moved from submitted to declined: UK declined for now',
    );
    expect(JSON.stringify(card.args.blocks)).toContain('due 2027-03-01');
    await expect
      .poll(() => JSON.stringify(slack.callsTo('chat.update').at(-1)?.args.blocks))
      .toContain('Stage: declined (UK declined for now)');
    expect(slack.callsTo('chat.update').every((call) => call.args.ts === posted.messageId)).toBe(true);
    // The member is not on the case team: refused privately, nothing recorded.
    expect(refusal).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(refusal)).toContain('Only the case team, coordinators and admins can add notes');
    expect(await db().caseEvent.count({ where: { kind: 'note' } })).toBe(0);
  });

  it('takes a file shared in a case thread as evidence, downloaded with the bot token and hashed by the bot', async () => {
    await slash(slackUser(cast.admin), '/channel', 'set purpose:cases', { channel_id: 'CCASES' });
    await slash(slackUser(cast.member), '/propose', 'Chen Quanguo country:China');
    await slash(slackUser(cast.coordinator), '/case', 'open target:1');
    const thread = await expect
      .poll(async () => (await db().caseThread.findFirst())?.threadId ?? undefined)
      .toBeDefined()
      .then(async () => (await db().caseThread.findFirstOrThrow()).threadId as string);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
    slack.files.set('F1', png);
    const share = (user: string, threadTs: string, eventId: string) =>
      postEvent(eventId, {
        type: 'message',
        subtype: 'file_share',
        channel: 'CCASES',
        user,
        text: 'satellite image of the camp',
        ts: '1700000000.000200',
        thread_ts: threadTs,
        files: [{ id: 'F1', name: 'camp.png', size: png.length, url_private_download: slack.fileUrl('F1') }],
      });
    // A member outside the case team: told privately, in the thread, and nothing is kept.
    await share(slackUser(cast.member), thread, 'Ev1');
    const refused = await slack.waitFor(() => slack.callsTo('chat.postEphemeral')[0]);
    expect(refused.args).toMatchObject({
      channel: 'CCASES',
      user: slackUser(cast.member),
      thread_ts: thread,
    });
    expect(JSON.stringify(refused.args.blocks)).toContain('Only the case team');
    expect(await db().caseEvidence.count()).toBe(0);

    await share(slackUser(cast.coordinator), thread, 'Ev2');
    const sha256 = createHash('sha256').update(png).digest('hex');
    const told = await slack.waitFor(() => slack.callsTo('chat.postEphemeral')[1]);
    expect(JSON.stringify(told.args.blocks)).toContain('Evidence E1 added to case 1');
    expect(await db().caseEvidence.findFirstOrThrow()).toMatchObject({
      sha256,
      fileName: 'camp.png',
      fileType: 'image/png',
      fileSize: png.length,
      addedByMemberId: cast.coordinator.memberId,
    });
    expect(slack.fileRequests.at(-1)?.authorization).toBe('Bearer xoxb-test');
    expect(await readFile(join(evidenceDir, sha256.slice(0, 2), sha256))).toEqual(png);
    // The same event delivered again (Slack retries) is taken once; a file outside a case thread is no evidence.
    await share(slackUser(cast.coordinator), thread, 'Ev2');
    await share(slackUser(cast.coordinator), '1600000000.000100', 'Ev3');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await db().caseEvidence.count()).toBe(1);
    expect(slack.callsTo('chat.postEphemeral')).toHaveLength(2);
  });

  it("publishes each member's App Home when opened, and again when what it shows changes", async () => {
    const open = (user: string, eventId: string) =>
      postEvent(eventId, { type: 'app_home_opened', user, channel: 'DHOME', tab: 'home' });
    const homesOf = (user: string) =>
      slack
        .callsTo('views.publish')
        .filter((call) => call.args.user_id === user)
        .map((call) => JSON.stringify(call.args.view));
    await slash(slackUser(cast.member), '/propose', 'Chen Quanguo country:China');
    await open(slackUser(cast.member), 'Eh1');
    const first = await slack.waitFor(() => homesOf(slackUser(cast.member))[0]);
    expect(first).toContain('"type":"home"');
    expect(first).toContain('Your cases');
    expect(first).toContain('#1 Chen Quanguo · proposed');
    expect(first).toContain('Nothing to vote on.');
    // Members do not confirm designations: no such list on their home.
    expect(first).not.toContain('Possible designations');

    // A new poll shows on the open home without the member doing anything; their ballot removes it.
    await slash(
      slackUser(cast.coordinator),
      '/poll',
      'create "Next" choices:"Xinjiang; Belarus" method:single in:1d',
    );
    const withPoll = await slack.waitFor(() =>
      homesOf(slackUser(cast.member)).find((home) => home.includes('Poll 1: Next')),
    );
    expect(withPoll).toContain('`/vote 1`');
    await slash(slackUser(cast.member), '/vote', '1 2');
    await slack.waitFor(() => homesOf(slackUser(cast.member)).at(-1)?.includes('Nothing to vote on.'));

    // A coordinator's home has the designations to confirm; a stranger's says how to join.
    await open(slackUser(cast.coordinator), 'Eh2');
    const coordinator = await slack.waitFor(() => homesOf(slackUser(cast.coordinator))[0]);
    expect(coordinator).toContain('Possible designations to confirm');
    await open('USTRANGER', 'Eh3');
    const stranger = await slack.waitFor(() => homesOf('USTRANGER')[0]);
    expect(stranger).toContain('You are not linked to a coalition member yet');
    expect(await db().member.count({ where: { displayName: '' } })).toBe(0);
  });

  it('takes a mention in a case thread as a /case command about that case', async () => {
    await slash(slackUser(cast.admin), '/channel', 'set purpose:cases', { channel_id: 'CCASES' });
    await slash(slackUser(cast.member), '/propose', 'Chen Quanguo country:China');
    await slash(slackUser(cast.coordinator), '/case', 'open target:1');
    await expect.poll(async () => (await db().caseThread.findFirst())?.threadId ?? null).not.toBeNull();
    const thread = (await db().caseThread.findFirstOrThrow()).threadId as string;
    const mention = (text: string, threadTs: string | undefined, eventId: string) =>
      postEvent(eventId, {
        type: 'app_mention',
        user: slackUser(cast.coordinator),
        text,
        ts: '1700000000.000900',
        channel: 'CCASES',
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
    await mention('<@UBOT> note Sent the draft to FCDO &amp; GAC', thread, 'Em1');
    await expect
      .poll(async () => (await db().caseEvent.findFirst({ where: { kind: 'note' } }))?.caseId ?? null)
      .toBe(1);
    const told = await slack.waitFor(() => slack.callsTo('chat.postEphemeral')[0]);
    expect(told.args).toMatchObject({
      channel: 'CCASES',
      user: slackUser(cast.coordinator),
      thread_ts: thread,
    });
    // Outside a case thread, the mention says how it works and does nothing.
    await mention('<@UBOT> note stray', undefined, 'Em2');
    const hint = await slack.waitFor(() => slack.callsTo('chat.postEphemeral')[1]);
    expect(JSON.stringify(hint.args.blocks)).toContain('Mention me in a case thread');
    expect(await db().caseEvent.count({ where: { kind: 'note' } })).toBe(1);
  });
});
