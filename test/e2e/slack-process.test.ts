import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, postSigned } from '../helpers/fake-slack.ts';
import { startBot } from '../helpers/process.ts';

/** `npm start` with Slack configured, as an operator runs it: the real entry point, a fake Slack. */
const SECRET = 'process-secret';

let dataDir: string;
let slack: FakeSlack;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'coalition-bot-slack-'));
  slack = await new FakeSlack().start();
});
afterAll(async () => {
  await slack?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const bot = (env: NodeJS.ProcessEnv, stdin?: string) =>
  startBot({ env: { DATA_DIR: dataDir, ...env }, ...(stdin !== undefined ? { stdin } : { stdin: '' }) });

// These spawn the bot on its own embedded database (DATA_DIR); the PostgreSQL run of the suite
// would repeat them unchanged, so it skips them.
describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))('npm start with SLACK_BOT_TOKEN', () => {
  it('answers a signed /propose from a linked member, rejects an unsigned one, and stops on SIGTERM', async () => {
    // An admin links a Slack user from the console first, on the same data directory.
    const setup = bot(
      {},
      '/org add name:"Human Rights Watch" slug:hrw\n/member add name:"Ana" org:hrw\n/member link member:2 platform:slack workspace:T9 user:U9\n',
    );
    expect(await setup.exited).toBe(0);
    expect(setup.out()).toContain('Linked slack user U9 to Ana');

    const running = bot({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
    });
    const started = await slack.waitFor(() => /"port":(\d+)/.exec(running.err())?.[1], 20_000);
    const events = `http://127.0.0.1:${started}/slack/events`;
    const body = new URLSearchParams({
      team_id: 'T9',
      channel_id: 'C1',
      user_id: 'U9',
      user_name: 'ana',
      command: '/propose',
      text: 'Chen Quanguo country:China',
      response_url: slack.responseUrl('p'),
      trigger_id: 't-1',
    }).toString();
    const answer = await postSigned(events, body, SECRET);
    expect(answer.status).toBe(200);
    expect(answer.ms).toBeLessThan(3000);
    expect(answer.text).toContain('Chen Quanguo');

    const unsigned = await fetch(events, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.replace('t-1', 't-2'),
    });
    expect(unsigned.status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${started}/healthz`)).status).toBe(200);
    const readyz = await fetch(`http://127.0.0.1:${started}/readyz`);
    expect([readyz.status, await readyz.text()]).toEqual([200, 'ready']);

    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    expect(running.err()).not.toContain('Chen');

    const check = bot({}, '/targets\n');
    expect(await check.exited).toBe(0);
    expect(check.out()).toContain('#1    Chen Quanguo — China — proposed');
    expect(check.out()).toContain('Targets: 1,');
  }, 120_000);
});
