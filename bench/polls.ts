import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type App, openApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { type Database, openDatabase, serverAnswers } from '../src/db/client.ts';
import { migrate } from '../src/db/migrator.ts';
import { claimDeliveryAs, ensureConsoleAdmin } from '../src/domain/members.ts';
import { castBallot, closePoll, createPoll, type PollInput } from '../src/domain/polls/polls.ts';
import { type Ballot, tally } from '../src/domain/polls/tally.ts';
import { createLogger } from '../src/log.ts';
import { FakeSlack, postSigned, slackSignature } from '../test/helpers/fake-slack.ts';
import { startBot } from '../test/helpers/process.ts';
import { waitFor } from '../test/helpers/wait.ts';

/**
 * 500 members cast ranked ballots over 30 options at once (50 requests in flight), as signed slash
 * commands to the bot running as its own process (npm start's entry point, real Bolt in HTTP mode);
 * 10% of deliveries are repeated as Slack retries. Then the poll is closed and counted. Runs on
 * embedded PGlite and, when it answers, the PostgreSQL server.
 */
const MEMBERS = 500;
const OPTIONS = 30;
const IN_FLIGHT = 50;
const RETRY_SHARE = 0.1;
const SECRET = 'bench-secret';
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export type PollBenchResult = {
  backend: string;
  members: number;
  options: number;
  inFlight: number;
  retriedDeliveries: number;
  ackMs: { p50: number; p90: number; p99: number; max: number };
  /** Set on the summary of several runs. */
  runs?: number;
  p99SpreadMs?: [number, number];
  throughputRatioSpread?: [number, number];
  wallMs: number;
  /** Ballots (retries included) a second through the bot: HTTP, Bolt, parsing, the domain, Prisma. */
  ballotsPerSecond: number;
  /** The floor: the same statements (claim and member lookup, then the ballot) issued directly, as many in flight. */
  directBallotsPerSecond: number;
  throughputRatio: number;
  ballotsLost: number;
  ballotsDoubled: number;
  ballotsWrong: number;
  tallyMs: number;
  closeMs: number;
  winner: number;
};

/**
 * Slack's side of the rush: a signed POST on a kept-alive connection. node:http, not fetch: fetch
 * cost this process 1.8 ms of CPU a request (a second of a 2-core machine over a 2.5 s rush), taken
 * from the bot and the database it is measuring; Slack's own servers do not run on the bot's machine.
 */
const slackAgent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
function slackPost(
  url: string,
  body: string,
  secret: string,
  options: { headers?: Record<string, string> } = {},
): Promise<{ status: number; ms: number }> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = slackSignature(secret, timestamp, body);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent: slackAgent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': signature,
          ...options.headers,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function percentile(sorted: number[], p: number): number {
  return Number((sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0).toFixed(1));
}

type Target = { label: string; env: NodeJS.ProcessEnv; open: () => Promise<Database> };

async function benchOn(target: Target): Promise<PollBenchResult> {
  // Seed through a direct connection, then close it: the bot owns the (embedded) database alone.
  const seedDb = await target.open();
  await migrate(seedDb.sql);
  const seedApp: App = await openApp(loadConfig({ DATA_DIR: '/dev/null/unused' }), createLogger('silent'), {
    database: seedDb,
  });
  const db = seedApp.database.prisma;
  const admin = await ensureConsoleAdmin(db, 'bench');
  await db.organization.createMany({
    data: Array.from({ length: 50 }, (_, i) => ({ name: `Organization ${i}`, slug: `org-${i}` })),
  });
  const organizations = await db.organization.findMany({
    where: { slug: { startsWith: 'org-' } },
    orderBy: { id: 'asc' },
  });
  await db.member.createMany({
    data: Array.from({ length: MEMBERS }, (_, i) => ({
      displayName: `Member ${i}`,
      organizationId: organizations[i % 50]?.id ?? 0,
      role: 'member' as const,
    })),
  });
  const members = await db.member.findMany({
    where: { displayName: { startsWith: 'Member ' } },
    orderBy: { id: 'asc' },
  });
  await db.platformIdentity.createMany({
    data: members.map((member) => ({
      platform: 'slack' as const,
      workspaceId: 'TBENCH',
      userId: `U${member.id}`,
      memberId: member.id,
    })),
  });
  const pollInput = (question: string): PollInput => ({
    question,
    options: Array.from({ length: OPTIONS }, (_, i) => ({ label: `Option ${i + 1}` })),
    method: 'schulze',
    per: 'member',
    hiddenResults: false,
    secret: false,
    seats: 1,
    prioritize: false,
    closesAt: new Date(Date.now() + 3_600_000),
  });
  const poll = await createPoll(db, admin, pollInput('Bench'), new Date());
  const floorPoll = await createPoll(db, admin, pollInput('Bench floor'), new Date());
  await seedApp.close();

  const slack = await new FakeSlack().start();
  const bot = startBot({
    env: {
      ...target.env,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      LOG_LEVEL: 'info',
    },
  });
  const port = await waitFor(() => /"port":(\d+)/.exec(bot.err())?.[1], 60_000, 'the bot to listen');
  const events = `http://127.0.0.1:${port}/slack/events`;
  const random = seeded(2026);
  const rankings = members.map(() => {
    const order = [...Array(OPTIONS).keys()];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    return order;
  });
  /** A signed /vote's body, as Slack sends it. */
  const voteBody = (member: { id: number; displayName: string }, text: string, tag: string) =>
    new URLSearchParams({
      team_id: 'TBENCH',
      channel_id: 'CBENCH',
      user_id: `U${member.id}`,
      user_name: member.displayName,
      command: '/vote',
      text,
      response_url: slack.responseUrl(tag),
      trigger_id: `${tag}-${randomBytes(6).toString('hex')}`,
    }).toString();
  const requests = members.map((member, index) =>
    voteBody(
      member,
      `poll:${poll.id} choice:"${rankings[index]?.map((option) => option + 1).join(' ')}"`,
      `bench-${index}`,
    ),
  );
  const deliveries = requests.map((body, index) => ({ body, index, retry: false }));
  const retries = deliveries
    .filter(({ index }) => index % Math.round(1 / RETRY_SHARE) === 0)
    .map((delivery) => ({ ...delivery, retry: true }));
  const queue = [...deliveries, ...retries];
  // A bot that has been up: the first requests after start compile Bolt's paths and Prisma's query
  // plans (~0.3 s more each), which a rush on a running bot does not pay. Ten ballots in the other
  // poll, one at a time, before the clock starts.
  for (const [index, member] of members.slice(0, 10).entries()) {
    const warm = await postSigned(
      events,
      voteBody(
        member,
        `${floorPoll.id} ${rankings[index]?.map((option) => option + 1).join('>')}`,
        `warm-${index}`,
      ),
      SECRET,
    );
    if (warm.status !== 200) throw new Error(`warm-up request failed: ${warm.status}`);
  }
  const latencies: number[] = [];
  const failures: string[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < queue.length) {
        const item = queue[next++];
        if (!item) break;
        const response = await slackPost(
          events,
          item.body,
          SECRET,
          item.retry ? { headers: { 'x-slack-retry-num': '1' } } : {},
        );
        latencies.push(response.ms);
        if (response.status !== 200) failures.push(`${response.status}`);
      }
    }),
  );
  const wallMs = performance.now() - started;
  slackAgent.destroy();
  // SIGTERM: the bot finishes the votes in progress before it closes the database.
  bot.child.kill('SIGTERM');
  await bot.exited;
  await slack.close();
  if (failures.length)
    throw new Error(`${failures.length} requests failed: ${failures.slice(0, 3).join(', ')}`);

  const checkDb = await target.open();
  const checkApp: App = await openApp(loadConfig({ DATA_DIR: '/dev/null/unused' }), createLogger('silent'), {
    database: checkDb,
  });
  try {
    const check = checkApp.database.prisma;
    const ballots = await check.ballot.findMany({ where: { pollId: poll.id } });
    const byMember = new Map<number, number>();
    for (const ballot of ballots)
      byMember.set(ballot.castByMemberId ?? -1, (byMember.get(ballot.castByMemberId ?? -1) ?? 0) + 1);
    const expected = new Map(members.map((member, index) => [member.id, rankings[index]]));
    const counted = ballots.map((ballot) => ballot.choices as unknown as Ballot);
    const tallyStart = performance.now();
    const result = tally('schulze', OPTIONS, counted);
    const tallyMs = performance.now() - tallyStart;
    const closeStart = performance.now();
    await closePoll(check, poll.id, new Date(), admin);
    const closeMs = performance.now() - closeStart;
    const directMs = await directWrites(checkDb, floorPoll.id, members, rankings, queue);
    latencies.sort((a, b) => a - b);
    return {
      backend: target.label,
      members: MEMBERS,
      options: OPTIONS,
      inFlight: IN_FLIGHT,
      retriedDeliveries: retries.length,
      ackMs: {
        p50: percentile(latencies, 50),
        p90: percentile(latencies, 90),
        p99: percentile(latencies, 99),
        max: percentile(latencies, 100),
      },
      wallMs: Math.round(wallMs),
      ballotsPerSecond: Math.round((queue.length / wallMs) * 1000),
      directBallotsPerSecond: Math.round((queue.length / directMs) * 1000),
      throughputRatio: Number((directMs / wallMs).toFixed(2)),
      ballotsLost: members.filter((member) => !byMember.has(member.id)).length,
      ballotsDoubled: [...byMember.values()].filter((count) => count > 1).length,
      ballotsWrong: ballots.filter(
        (ballot) =>
          JSON.stringify((ballot.choices as { ranking: number[] }).ranking) !==
          JSON.stringify(expected.get(ballot.castByMemberId ?? -1)),
      ).length,
      tallyMs: Number(tallyMs.toFixed(1)),
      closeMs: Math.round(closeMs),
      winner: (result.ranking[0] ?? -1) + 1,
    };
  } finally {
    await checkApp.close();
  }
}

/**
 * The floor for throughput: the same SQL, issued directly. For each delivery of the rush, in the
 * same order, IN_FLIGHT at a time, on a second poll of the same database: the statement that claims
 * the delivery and finds its member (claimDeliveryAs), then, unless it was a retry, castBallot.
 * Nothing of HTTP, Bolt, the command line or the adapter.
 */
async function directWrites(
  database: Database,
  pollId: number,
  members: Array<{ id: number; displayName: string; organizationId: number }>,
  rankings: number[][],
  queue: Array<{ index: number }>,
): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < queue.length) {
        const { index } = queue[next++] as { index: number };
        const member = members[index] as (typeof members)[number];
        const user = { platform: 'slack' as const, workspaceId: 'TBENCH', userId: `U${member.id}` };
        const { claimed, actor } = await claimDeliveryAs(database.prisma, `floor:${index}`, user);
        if (!claimed || !actor) continue;
        await castBallot(
          database.prisma,
          actor,
          pollId,
          { kind: 'ranked', ranking: rankings[index] ?? [] },
          new Date(),
        );
      }
    }),
  );
  return performance.now() - started;
}

/** BENCH_RUNS=1 for a quick look while working; the recorded figures are the median of 3. */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/**
 * RUNS runs on fresh databases, summarized by their median: each percentile, the throughputs and
 * the ratio are the median over the runs; the spread of p99 and of the ratio is kept. Lost,
 * doubled or wrong ballots are summed: any in any run is a failure.
 */
function summarize(runs: PollBenchResult[]): PollBenchResult {
  const median = (pick: (run: PollBenchResult) => number) =>
    [...runs.map(pick)].sort((a, b) => a - b)[Math.floor(runs.length / 2)] as number;
  const spread = (pick: (run: PollBenchResult) => number): [number, number] => [
    Math.min(...runs.map(pick)),
    Math.max(...runs.map(pick)),
  ];
  const first = runs[0] as PollBenchResult;
  const sum = (pick: (run: PollBenchResult) => number) => runs.reduce((total, run) => total + pick(run), 0);
  return {
    ...first,
    runs: runs.length,
    ackMs: {
      p50: median((run) => run.ackMs.p50),
      p90: median((run) => run.ackMs.p90),
      p99: median((run) => run.ackMs.p99),
      max: median((run) => run.ackMs.max),
    },
    p99SpreadMs: spread((run) => run.ackMs.p99),
    wallMs: median((run) => run.wallMs),
    ballotsPerSecond: median((run) => run.ballotsPerSecond),
    directBallotsPerSecond: median((run) => run.directBallotsPerSecond),
    throughputRatio: median((run) => run.throughputRatio),
    throughputRatioSpread: spread((run) => run.throughputRatio),
    ballotsLost: sum((run) => run.ballotsLost),
    ballotsDoubled: sum((run) => run.ballotsDoubled),
    ballotsWrong: sum((run) => run.ballotsWrong),
    tallyMs: median((run) => run.tallyMs),
    closeMs: median((run) => run.closeMs),
  };
}

async function embeddedRun(): Promise<PollBenchResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'coalition-bench-'));
  try {
    return await benchOn({
      label: 'embedded PGlite',
      env: { DATA_DIR: dataDir },
      open: () => openDatabase({ kind: 'embedded', dataDir }),
    });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function serverRun(): Promise<PollBenchResult> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const url = new URL(SERVER_URL);
  url.searchParams.set('schema', schema);
  try {
    return await benchOn({
      label: 'PostgreSQL 127.0.0.1:5432',
      env: { DATABASE_URL: url.toString() },
      open: () => openDatabase({ kind: 'postgres', url: SERVER_URL, schema }),
    });
  } finally {
    await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    await admin.end();
  }
}

export async function runPollBench(): Promise<PollBenchResult[]> {
  // The bot runs as npm start runs it: the compiled bundle, rebuilt from the sources here.
  execFileSync(process.execPath, ['scripts/build.mjs'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
  });
  const results: PollBenchResult[] = [];
  const embedded: PollBenchResult[] = [];
  for (let run = 0; run < RUNS; run++) embedded.push(await embeddedRun());
  results.push(summarize(embedded));
  if (await serverAnswers(SERVER_URL)) {
    const server: PollBenchResult[] = [];
    for (let run = 0; run < RUNS; run++) server.push(await serverRun());
    results.push(summarize(server));
  }
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  await writeFile(
    new URL('./results/polls.json', import.meta.url),
    `${JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2)}\n`,
  );
  return results;
}
