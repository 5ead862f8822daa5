import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { addMember, linkIdentity } from '../../src/domain/members.ts';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/platforms/discord/adapter.ts';
import { createSlackAdapter, type SlackAdapter } from '../../src/platforms/slack/adapter.ts';
import { startScheduler } from '../../src/scheduler.ts';
import { type Cast, createTestApp, run, seedCast } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { APPLICATION_ID, botMessage, FakeDiscord, GUILD_ID, memberOf } from '../helpers/fake-discord.ts';
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

  it('takes a ranked ballot by menu: a Slack modal from the Vote button, Discord select menus', async () => {
    await slackCommand(
      `U${cast.coordinator.memberId}`,
      '/poll',
      'create "By menu" choices:"Xinjiang; Belarus; Nicaragua" method:schulze in:1d',
    );
    const post = await slack.waitFor(() =>
      slack
        .callsTo('chat.postMessage')
        .find((call) => JSON.stringify(call.args.blocks).includes('Poll 3: By menu')),
    );
    type Button = { action_id: string; value: string; text: { text: string } };
    const buttons = (post.args.blocks as Array<{ type: string; elements?: Button[] }>).find(
      (block) => block.type === 'actions',
    )?.elements;
    const vote = buttons?.find((button) => button.text.text === 'Vote');
    expect(vote).toBeDefined();
    const click = {
      type: 'block_actions',
      trigger_id: 'ballot-trigger-1',
      team: { id: 'T1' },
      user: { id: `U${cast.member.memberId}`, team_id: 'T1', name: 'bo' },
      channel: { id: 'CPOLL' },
      container: { type: 'message', is_ephemeral: false },
      response_url: slack.responseUrl('ballot-click'),
      actions: [
        { type: 'button', action_id: vote?.action_id, value: vote?.value, block_id: 'b', action_ts: '1' },
      ],
    };
    await postSigned(events, `payload=${encodeURIComponent(JSON.stringify(click))}`, SECRET);
    const open = await slack.waitFor(() =>
      slack.callsTo('views.open').find((call) => call.args.trigger_id === 'ballot-trigger-1'),
    );
    const modal = open.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: Array<{
        block_id?: string;
        label?: { text: string };
        element?: { options: Array<{ value: string }> };
      }>;
    };
    expect(modal.callback_id).toBe('cb:ballot');
    const menus = modal.blocks.filter((block) => block.block_id?.startsWith('rank-'));
    expect(menus.map((block) => block.label?.text)).toEqual(['1st choice', '2nd choice', '3rd choice']);
    expect(menus[0]?.element?.options.map((item) => item.value)).toEqual(['1', '2', '3']);

    const submit = (trigger: string, picks: Record<string, string>) => {
      const values: Record<string, unknown> = {};
      for (const block of menus)
        values[block.block_id as string] = {
          value: picks[block.block_id as string]
            ? { type: 'static_select', selected_option: { value: picks[block.block_id as string] } }
            : { type: 'static_select', selected_option: null },
        };
      const payload = {
        type: 'view_submission',
        trigger_id: trigger,
        team: { id: 'T1' },
        user: { id: `U${cast.member.memberId}`, team_id: 'T1', name: 'bo' },
        view: {
          id: 'VB',
          hash: trigger,
          callback_id: 'cb:ballot',
          private_metadata: modal.private_metadata,
          state: { values },
        },
      };
      return postSigned(events, `payload=${encodeURIComponent(JSON.stringify(payload))}`, SECRET);
    };
    // An option ranked twice is refused beside the second menu, and nothing is counted.
    const twice = await submit('ballot-submit-1', { 'rank-1': '3', 'rank-2': '3' });
    expect(twice.json()).toEqual({
      response_action: 'errors',
      errors: { 'rank-2': 'Option 3 is ranked already; pick each option once.' },
    });
    expect(await app.database.prisma.ballot.count({ where: { pollId: 3 } })).toBe(0);
    const good = await submit('ballot-submit-2', { 'rank-1': '3', 'rank-2': '1' });
    expect(good.text).toBe('');
    const ballot = await app.database.prisma.ballot.findFirstOrThrow({ where: { pollId: 3 } });
    expect(ballot.choices).toEqual({ kind: 'ranked', ranking: [2, 0] });
    const told = await slack.waitFor(() =>
      slack
        .callsTo('chat.postEphemeral')
        .find((call) => JSON.stringify(call.args.blocks).includes('Ballot: 3 &gt; 1')),
    );
    expect(told.args).toMatchObject({ channel: 'CPOLL', user: `U${cast.member.memberId}` });
    // Typed /vote 3 opens the same form, with the ballot just cast selected.
    await slackCommand(`U${cast.member.memberId}`, '/vote', '3');
    const again = await slack.waitFor(() =>
      slack.callsTo('views.open').find((call) => call.args.trigger_id === `poll-trigger-${sequence}`),
    );
    const initial = (
      again.args.view as { blocks: Array<{ element?: { initial_option?: { value: string } } }> }
    ).blocks
      .map((block) => block.element?.initial_option?.value)
      .filter(Boolean);
    expect(initial).toEqual(['3', '1']);

    // Discord: the Vote button answers privately with one select menu per place.
    const discordPost = await discord.waitFor(() =>
      discord
        .callsMatching('POST', new RegExp(`^/channels/${DISCORD_CHANNEL}/messages$`))
        .find((call) => JSON.stringify(call.body).includes('By menu')),
    );
    type Row = {
      components: Array<{
        type: number;
        custom_id: string;
        label?: string;
        options?: Array<{ value: string; default?: boolean }>;
      }>;
    };
    const discordVote = (discordPost.body as { components: Row[] }).components
      .flatMap((row) => row.components)
      .find((component) => component.label === 'Vote');
    expect(discordVote).toBeDefined();
    const message = (components: Row[], flags: number) =>
      botMessage(DISCORD_CHANNEL, { id: '700000000000000031', components, flags });
    const component = (
      customId: string,
      componentType: number,
      components: Row[],
      flags: number,
      values?: string[],
    ) =>
      discord.dispatchInteraction({
        type: 3,
        member: memberOf(tiVoterDiscordId),
        data: { custom_id: customId, component_type: componentType, ...(values ? { values } : {}) },
        message: message(components, flags),
      });
    const opened = (await discordCallback(
      component(discordVote?.custom_id ?? '', 2, (discordPost.body as { components: Row[] }).components, 0),
    )) as unknown as { type: number; data: { flags: number; components: Row[] } };
    expect(opened.type).toBe(4);
    expect(opened.data.flags).toBe(64);
    const selects = opened.data.components.flatMap((row) => row.components).filter((item) => item.type === 3);
    expect(selects.map((item) => item.custom_id)).toEqual([
      'cb:ballot:3:r1',
      'cb:ballot:3:r2',
      'cb:ballot:3:r3',
    ]);

    // A pick re-draws the message with it selected and a Cast button carrying the ballot.
    const picked = (await discordCallback(
      component('cb:ballot:3:r1', 3, opened.data.components, 64, ['2']),
    )) as unknown as { type: number; data: { components: Row[] } };
    expect(picked.type).toBe(7);
    const first = picked.data.components[0]?.components[0];
    expect(first?.options?.find((item) => item.default)?.value).toBe('2');
    const cast_ = picked.data.components
      .flatMap((row) => row.components)
      .find((item) => item.label === 'Cast ballot');
    expect(cast_).toBeDefined();
    const counted = (await discordCallback(
      component(cast_?.custom_id ?? '', 2, picked.data.components, 64),
    )) as unknown as { type: number; data: { embeds: unknown[] } };
    expect(counted.type).toBe(7);
    expect(JSON.stringify(counted.data.embeds)).toContain('is counted');
    expect(await app.database.prisma.ballot.count({ where: { pollId: 3 } })).toBe(2);
  });
});
