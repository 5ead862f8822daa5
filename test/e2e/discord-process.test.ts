import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION_ID, FakeDiscord, GUILD_ID, memberOf } from '../helpers/fake-discord.ts';
import { startBot } from '../helpers/process.ts';

/** `npm start` with Discord configured: the real entry point against a fake gateway and REST API. */

let dataDir: string;
let discord: FakeDiscord;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'coalition-bot-discord-'));
  discord = await new FakeDiscord().start();
});
afterAll(async () => {
  await discord?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const bot = (env: NodeJS.ProcessEnv, stdin?: string) =>
  startBot({ env: { DATA_DIR: dataDir, ...env }, ...(stdin !== undefined ? { stdin } : { stdin: '' }) });

// These spawn the bot on its own embedded database (DATA_DIR); the PostgreSQL run of the suite
// would repeat them unchanged, so it skips them.
describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))('npm start with DISCORD_TOKEN', () => {
  it('creates a target from a /propose interaction of a linked member, answered in time with no mentions', async () => {
    const userId = '910000000000000001';
    const setup = bot(
      {},
      `/org add name:"Human Rights Watch" slug:hrw\n/member add name:"Ana" org:hrw\n/member link member:2 platform:discord workspace:${GUILD_ID} user:${userId}\n`,
    );
    expect(await setup.exited).toBe(0);

    const running = bot({
      DISCORD_TOKEN: 'test',
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_URL: discord.apiUrl,
      PORT: '0',
    });
    await discord.waitFor(() => running.err().includes('discord adapter started') || undefined, 20_000);
    // Without Slack's HTTP receiver, the health routes get a server of their own on PORT.
    const healthPort = await discord.waitFor(
      () => /"port":(\d+),"msg":"health checks listening"/.exec(running.err())?.[1],
      10_000,
    );
    const readyz = await fetch(`http://127.0.0.1:${healthPort}/readyz`);
    expect([readyz.status, await readyz.text()]).toEqual([200, 'ready']);
    const sent = discord.dispatchInteraction({
      type: 2,
      member: memberOf(userId, 'ana'),
      data: {
        id: '800000000000000008',
        name: 'propose',
        type: 1,
        options: [{ name: 'name', type: 3, value: 'Chen Quanguo' }],
      },
    });
    const callback = await discord.waitFor(() =>
      discord.calls.find((call) => call.path === `/interactions/${sent.id}/${sent.token}/callback`),
    );
    expect(callback.at - sent.sentAt).toBeLessThan(3000);
    expect((callback.body as { data: { allowed_mentions: unknown } }).data.allowed_mentions).toEqual({
      parse: [],
    });

    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    const check = bot({}, '/targets\n');
    expect(await check.exited).toBe(0);
    expect(check.out()).toContain('#1    Chen Quanguo — proposed');
  }, 120_000);
});
