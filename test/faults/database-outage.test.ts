import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverAnswers } from '../../src/db/client.ts';
import { FakeSlack, postSigned } from '../helpers/fake-slack.ts';
import { type BotProcess, startBot } from '../helpers/process.ts';
import { TcpProxy } from '../helpers/tcp-proxy.ts';

/**
 * A PostgreSQL outage under a running bot, in Slack HTTP mode: the bot reaches the server through a
 * relay the test cuts. Every slash command still gets an answer inside Slack's 3 seconds saying that
 * nothing was saved, and the bot carries on when the server is back.
 */
const SERVER =
  process.env.TEST_DATABASE_URL ?? process.env.CI_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const SECRET = 'outage-secret';

// This needs a PostgreSQL server (the machines have one; CI runs it). Without one there is no
// outage to simulate, and the test says so instead of passing.
const available = await serverAnswers(SERVER);

let schema: string;
let proxy: TcpProxy;
let slack: FakeSlack;
let bot: BotProcess | undefined;

beforeAll(async () => {
  if (!available) return;
  schema = `outage_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.end();
  const url = new URL(SERVER);
  proxy = await new TcpProxy({ host: url.hostname, port: Number(url.port || 5432) }).start();
  slack = await new FakeSlack().start();
});
afterAll(async () => {
  if (!available) return;
  bot?.child.kill('SIGKILL');
  await slack?.close();
  await proxy?.cut();
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
});

describe.runIf(available)('PostgreSQL outage', () => {
  it('answers every slash command within 3 seconds while the server is away, and recovers', async () => {
    const direct = new URL(SERVER);
    direct.searchParams.set('schema', schema);
    const relayed = new URL(direct);
    relayed.host = `127.0.0.1:${proxy.port}`;
    const setup = startBot({
      env: { DATABASE_URL: direct.toString() },
      stdin:
        '/org add name:"Human Rights Watch" slug:hrw\n/member add name:"Ana" org:hrw\n/member link member:2 platform:slack workspace:T9 user:U9\n',
    });
    expect(await setup.exited).toBe(0);

    bot = startBot({
      env: {
        DATABASE_URL: relayed.toString(),
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
      },
    });
    const running = bot;
    const port = await slack.waitFor(() => /"port":(\d+)/.exec(running.err())?.[1], 30_000);
    const events = `http://127.0.0.1:${port}/slack/events`;
    let sequence = 0;
    const propose = (name: string) => {
      sequence += 1;
      return postSigned(
        events,
        new URLSearchParams({
          team_id: 'T9',
          channel_id: 'C1',
          user_id: 'U9',
          user_name: 'ana',
          command: '/propose',
          text: name,
          response_url: slack.responseUrl(`r${sequence}`),
          trigger_id: `t-${sequence}`,
        }).toString(),
        SECRET,
      );
    };

    const before = await propose('Before The Outage');
    expect(before.text).toContain('Before The Outage');

    await proxy.cut();
    for (const name of ['During One', 'During Two']) {
      const during = await propose(name);
      expect(during.status).toBe(200);
      expect(during.ms).toBeLessThan(3000);
      // Answered in the acknowledgement itself, or on the response URL soon after.
      const text =
        during.text ||
        JSON.stringify(
          (await slack.waitFor(() => slack.responses.find((r) => r.id === `r${sequence}`), 10_000)).body,
        );
      expect(text).toContain('The database is unavailable');
      expect(text).toContain('Nothing was saved');
    }
    expect(running.err()).not.toMatch(/\n\s+at /);

    await proxy.restore();
    // The pool reconnects on its own; the first command after the outage may still see it.
    let after = await propose('After The Outage');
    for (let attempt = 0; attempt < 10 && !after.text.includes('After The Outage'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      after = await propose('After The Outage');
    }
    expect(after.text).toContain('After The Outage');

    const check = new pg.Client({ connectionString: SERVER });
    await check.connect();
    const names = (await check.query(`SELECT primary_name FROM "${schema}".target ORDER BY id`)).rows.map(
      (row: { primary_name: string }) => row.primary_name,
    );
    await check.end();
    expect(names).toEqual(['Before The Outage', 'After The Outage']);
  }, 120_000);
});
