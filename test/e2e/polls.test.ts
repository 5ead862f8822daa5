import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { addMember, linkIdentity } from '../../src/domain/members.ts';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/platforms/discord/adapter.ts';
import { createSlackAdapter, type SlackAdapter } from '../../src/platforms/slack/adapter.ts';
import { startScheduler } from '../../src/scheduler.ts';
import { type Cast, createTestApp, run, seedCast } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { APPLICATION_ID, FakeDiscord, GUILD_ID, memberOf } from '../helpers/fake-discord.ts';
import { FakeSlack, postSigned } from '../helpers/fake-slack.ts';

/**
 * One poll across Slack and Discord: created in Slack, posted in both, voted from both by members of
 * several organizations with per:organization, closed on schedule, result posted in both.
 */
const SECRET = 'poll-secret';
const DISCORD_CHANNEL = '400000000000000004';

// Ahead of the real clock: queued rows are due from the database's now(), which must not be later
// than the bot's clock (a fixed date in the past made this test fail once that date had passed).
let clock = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 3_600_000);
let app: App;
let cast: Cast;
let slack: FakeSlack;
let discord: FakeDiscord;
let slackAdapter: SlackAdapter;
let discordAdapter: DiscordAdapter;
let events: string;
let tiVoterDiscordId: string;

beforeAll(async () => {
  app = await createTestApp(await createTestDatabase(), {}, () => clock);
  slack = await new FakeSlack().start();
  discord = await new FakeDiscord().start();
  slackAdapter = createSlackAdapter(
    app,
    {
      botToken: 'xoxb-test',
      signingSecret: SECRET,
      appToken: undefined,
      apiUrl: slack.apiUrl,
      adminUserIds: [],
    },
    0,
  );
  discordAdapter = createDiscordAdapter(app, {
    token: 't',
    applicationId: APPLICATION_ID,
    guildId: undefined,
    apiUrl: discord.apiUrl,
    adminUserIds: [],
  });
  await slackAdapter.start();
  await discordAdapter.start();
  events = `http://127.0.0.1:${slackAdapter.port()}/slack/events`;
  cast = await seedCast(app);
  const db = app.database.prisma;
  const { member, organization } = await addMember(db, cast.admin, {
    name: 'Tomas',
    orgSlug: 'ti',
    role: 'member',
  });
  tiVoterDiscordId = '910000000000000099';
  await linkIdentity(db, cast.admin, {
    memberId: member.id,
    platform: 'discord',
    workspaceId: GUILD_ID,
    userId: tiVoterDiscordId,
  });
  await linkIdentity(db, cast.admin, {
    memberId: cast.admin.memberId,
    platform: 'discord',
    workspaceId: GUILD_ID,
    userId: '910000000000000001',
  });
  expect(organization.slug).toBe('ti');
  for (const name of ['Chen Quanguo', 'Zhu Hailun', 'Wang Mingshan'])
    await run(app, cast.member, `/propose "${name}"`);
});
afterAll(async () => {
  await slackAdapter?.stop();
  await discordAdapter?.stop();
  await slack?.close();
  await discord?.close();
  await app?.close();
});

let sequence = 0;
async function slackCommand(userId: string, command: string, text: string, channel = 'CPOLL') {
  sequence += 1;
  const body = new URLSearchParams({
    team_id: 'T1',
    channel_id: channel,
    user_id: userId,
    user_name: 'x',
    command,
    text,
    response_url: slack.responseUrl(`r${sequence}`),
    trigger_id: `poll-trigger-${sequence}`,
  }).toString();
  const response = await postSigned(events, body, SECRET);
  expect(response.status).toBe(200);
  return response.text;
}

function discordCommand(userId: string, name: string, options: unknown[]) {
  return discord.dispatchInteraction({
    type: 2,
    member: memberOf(userId),
    data: { id: '800000000000000008', name, type: 1, options },
  });
}

async function discordCallback(sent: { id: string; token: string }) {
  const call = await discord.waitFor(() =>
    discord.calls.find((c) => c.path === `/interactions/${sent.id}/${sent.token}/callback`),
  );
  return call.body as { type: number; data: { embeds: unknown[] } };
}

describe('a ranked poll across Slack and Discord, one ballot per organization', () => {
  it('is posted in both, counts each organization once, closes on schedule and posts the Schulze winner', async () => {
    await discordCallback(
      discordCommand('910000000000000001', 'channel', [
        { name: 'set', type: 1, options: [{ name: 'purpose', type: 3, value: 'polls' }] },
      ]),
    );
    const created = await slackCommand(
      `U${cast.coordinator.memberId}`,
      '/poll',
      'create "Q1 priorities" targets:1,2,3 in:1h per:organization prioritize:yes',
    );
    expect(created).toContain('Poll 1 created');

    const slackPost = await slack.waitFor(() =>
      slack.callsTo('chat.postMessage').find((call) => call.args.channel === 'CPOLL'),
    );
    expect(JSON.stringify(slackPost.args.blocks)).toContain('Q1 priorities');
    const discordPost = await discord.waitFor(
      () => discord.callsMatching('POST', new RegExp(`^/channels/${DISCORD_CHANNEL}/messages$`))[0],
    );
    expect(JSON.stringify(discordPost.body)).toContain('Q1 priorities');

    // Human Rights Watch votes twice (coordinator then member: the later ballot counts), from Slack.
    await slackCommand(`U${cast.coordinator.memberId}`, '/vote', 'poll:1 choice:"3 2 1"');
    const vote = await slackCommand(`U${cast.member.memberId}`, '/vote', 'poll:1 choice:"2 1 3"');
    expect(vote).toContain("Your organization's ballot in poll 1 is updated");
    // Transparency Initiative and the administrators' organization vote from Discord.
    const ti = await discordCallback(
      discordCommand(tiVoterDiscordId, 'vote', [
        { name: 'poll', type: 4, value: 1 },
        { name: 'choice', type: 3, value: '2 3 1' },
      ]),
    );
    expect(JSON.stringify(ti.data.embeds)).toContain('is counted');
    await discordCallback(
      discordCommand('910000000000000001', 'vote', [
        { name: 'poll', type: 4, value: 1 },
        { name: 'choice', type: 3, value: '1 2 3' },
      ]),
    );
    expect(await app.database.prisma.ballot.count()).toBe(3);

    // The poll messages are edited in place with the live count.
    await slack.waitFor(
      () =>
        slack.callsTo('chat.update').find((call) => JSON.stringify(call.args.blocks).includes('3 ballots')),
      15_000,
    );
    await discord.waitFor(
      () =>
        discord
          .callsMatching('PATCH', /^\/channels\/\d+\/messages\/\d+$/)
          .find((call) => JSON.stringify(call.body).includes('3 ballots')),
      15_000,
    );

    clock = new Date(clock.getTime() + 2 * 3_600_000);
    const scheduler = startScheduler(app, '0 0 1 1 *');
    await scheduler.stop();

    const slackResult = await slack.waitFor(() =>
      slack
        .callsTo('chat.postMessage')
        .find((call) => JSON.stringify(call.args.blocks).includes('Poll closed')),
    );
    const text = JSON.stringify(slackResult.args.blocks);
    expect(text).toContain('Winner: 2. #2 Zhu Hailun');
    expect(text).toContain('Strongest paths');
    const discordResult = await discord.waitFor(() =>
      discord
        .callsMatching('POST', new RegExp(`^/channels/${DISCORD_CHANNEL}/messages$`))
        .find((call) => JSON.stringify(call.body).includes('Poll closed')),
    );
    expect(JSON.stringify(discordResult.body)).toContain('Winner: 2. #2 Zhu Hailun');
    // The chart: a PNG attached to the Discord result and uploaded to the Slack result's thread.
    const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    expect(discordResult.files?.['poll-1.png']?.subarray(0, 4)).toEqual(PNG);
    expect(JSON.stringify(discordResult.body)).toContain('attachment://poll-1.png');
    const upload = await slack.waitFor(() => slack.uploads[0]);
    expect(upload.body.includes(PNG)).toBe(true);
    const complete = await slack.waitFor(() => slack.callsTo('files.completeUploadExternal')[0]);
    expect(complete.args.channel_id).toBe('CPOLL');
    expect((discordResult.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [] });
    expect((await app.database.prisma.target.findUniqueOrThrow({ where: { id: 2 } })).status).toBe(
      'prioritized',
    );
  });

  it('takes a single-choice ballot from a button on the Slack poll message', async () => {
    await slackCommand(
      `U${cast.coordinator.memberId}`,
      '/poll',
      'create "Next" choices:"Xinjiang; Belarus" method:single in:1d',
    );
    const post = await slack.waitFor(() =>
      slack
        .callsTo('chat.postMessage')
        .find((call) => JSON.stringify(call.args.blocks).includes('Poll 2: Next')),
    );
    const actions = (
      post.args.blocks as Array<{
        type: string;
        elements?: Array<{ action_id: string; value: string; text: { text: string } }>;
      }>
    ).find((block) => block.type === 'actions');
    const belarus = actions?.elements?.find((element) => element.text.text === '2. Belarus');
    expect(belarus).toBeDefined();
    const payload = {
      type: 'block_actions',
      trigger_id: 'button-vote-1',
      team: { id: 'T1' },
      user: { id: `U${cast.member.memberId}`, team_id: 'T1', name: 'bo' },
      channel: { id: 'CPOLL' },
      container: { type: 'message', is_ephemeral: false },
      response_url: slack.responseUrl('button-vote'),
      actions: [
        {
          type: 'button',
          action_id: belarus?.action_id,
          value: belarus?.value,
          block_id: 'b',
          action_ts: '1',
        },
      ],
    };
    await postSigned(events, `payload=${encodeURIComponent(JSON.stringify(payload))}`, SECRET);
    const confirmation = await slack.waitFor(() =>
      slack.responses.find((response) => response.id === 'button-vote'),
    );
    expect(confirmation.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(JSON.stringify(confirmation.body.blocks)).toContain('Ballot: 2');
    const ballot = await app.database.prisma.ballot.findFirstOrThrow({ where: { pollId: 2 } });
    expect(ballot.choices).toEqual({ kind: 'single', choice: 1 });
  });
});
