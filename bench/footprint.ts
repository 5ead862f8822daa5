import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverAnswers } from '../src/db/client.ts';
import { startBot } from '../test/helpers/process.ts';

/**
 * The bot's memory as a small server sees it: `node dist/main.js` on the console (what `npm start`
 * runs, without npm's own process), every figure the resident memory of the bot's whole process
 * tree, read from /proc. Floor: an idle `node` doing nothing, measured in the same run.
 * - first start: a new embedded data directory (template unpacked, migrations applied), peak;
 * - idle: a later start on that directory, one command answered, then 20 s of quiet. V8 keeps the
 *   young generation it grew while starting (16 MB semi-spaces, mostly empty) until its memory
 *   reducer runs, 10-15 s after start here: the bot sits ~15 MB above its idle size until then, the
 *   figure 5 s after the command (reported beside it, as is the peak);
 * - PostgreSQL: the same on the server at 127.0.0.1:5432 (a schema of its own), when it answers.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 3;
/** Memory is read this long after the command was answered, then again when idle. */
const AFTER_COMMAND_MS = 5_000;
const IDLE_MS = 20_000;
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export type Figure = { medianMb: number; spreadMb: [number, number]; ratioToFloor: number };
export type FootprintResult = {
  floorMb: number;
  firstStartPeak: Figure;
  embeddedIdle: Figure;
  embeddedAfterCommand: Figure;
  embeddedPeak: Figure;
  postgresIdle: Figure | undefined;
  postgresAfterCommand: Figure | undefined;
  postgresPeak: Figure | undefined;
  goals: { embeddedIdleMb: 200; postgresIdleMb: 120; firstStartPeakMb: 400 };
};

function children(pid: number): number[] {
  try {
    const direct = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    return direct.map(Number).flatMap((child) => [child, ...children(child)]);
  } catch {
    return [];
  }
}

/** Resident and peak resident memory of `pid` and its descendants, in MB. */
function treeMemory(pid: number): { rssMb: number; hwmMb: number } {
  let rss = 0;
  let hwm = 0;
  for (const each of [pid, ...children(pid)]) {
    try {
      const status = readFileSync(`/proc/${each}/status`, 'utf8');
      rss += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      hwm += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return { rssMb: Math.round(rss / 1024), hwmMb: Math.round(hwm / 1024) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Reading = { afterCommandMb: number; idleMb: number; hwmMb: number };

/** Starts the bot on the console, answers one command, settles; returns its memory 5 s and 20 s on. */
async function consoleRun(env: NodeJS.ProcessEnv): Promise<Reading> {
  // The same spawn as the tests' (dist/main.js, a clean environment, standard input kept open).
  const bot = startBot({ env: { CONSOLE_USER: 'bench', ...env } });
  bot.child.stdin?.write('/targets\n');
  const started = Date.now();
  while (!/target/i.test(bot.out())) {
    if (bot.child.exitCode !== null || Date.now() - started > 60_000)
      throw new Error(`the bot did not answer: ${bot.err().slice(-500)}`);
    await sleep(50);
  }
  const answered = Date.now();
  await sleep(AFTER_COMMAND_MS);
  const afterCommandMb = treeMemory(bot.child.pid as number).rssMb;
  await sleep(IDLE_MS - (Date.now() - answered));
  const { rssMb: idleMb, hwmMb } = treeMemory(bot.child.pid as number);
  bot.child.stdin?.end();
  if ((await bot.exited) !== 0) throw new Error(`the bot stopped badly: ${bot.err().slice(-500)}`);
  return { afterCommandMb, idleMb, hwmMb };
}

async function floorRun(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
  await sleep(1_000);
  const { rssMb } = treeMemory(child.pid as number);
  child.kill();
  return rssMb;
}

function figure(values: number[], floor: number): Figure {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  return {
    medianMb: median,
    spreadMb: [sorted[0] as number, sorted[sorted.length - 1] as number],
    ratioToFloor: Math.round((median / floor) * 10) / 10,
  };
}

export async function runFootprintBench(): Promise<FootprintResult> {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const dir = await mkdtemp(join(tmpdir(), 'footprint-bench-'));
  try {
    const floors: number[] = [];
    const first: number[] = [];
    const embedded: Reading[] = [];
    for (let run = 0; run < RUNS; run++) {
      floors.push(await floorRun());
      const dataDir = join(dir, `data-${run}`);
      first.push((await consoleRun({ DATA_DIR: dataDir })).hwmMb);
      embedded.push(await consoleRun({ DATA_DIR: dataDir }));
    }
    let postgres: Reading[] | undefined;
    if (await serverAnswers(SERVER_URL)) {
      const url = new URL(SERVER_URL);
      const schema = `footprint_bench_${process.pid}`;
      url.searchParams.set('schema', schema);
      execFileSync('psql', [SERVER_URL, '-qXc', `CREATE SCHEMA "${schema}"`]);
      postgres = [];
      // The first run creates the schema and migrates it; the figures are from the runs after it.
      await consoleRun({ DATABASE_URL: url.toString() });
      for (let run = 0; run < RUNS; run++) postgres.push(await consoleRun({ DATABASE_URL: url.toString() }));
      execFileSync('psql', [
        SERVER_URL,
        '-qc',
        `DROP SCHEMA IF EXISTS "footprint_bench_${process.pid}" CASCADE`,
      ]);
    }
    const floor = figure(floors, 1).medianMb;
    const of = (readings: Reading[] | undefined, key: keyof Reading) =>
      readings
        ? figure(
            readings.map((reading) => reading[key]),
            floor,
          )
        : undefined;
    const result: FootprintResult = {
      floorMb: floor,
      firstStartPeak: figure(first, floor),
      embeddedIdle: of(embedded, 'idleMb') as Figure,
      embeddedAfterCommand: of(embedded, 'afterCommandMb') as Figure,
      embeddedPeak: of(embedded, 'hwmMb') as Figure,
      postgresIdle: of(postgres, 'idleMb'),
      postgresAfterCommand: of(postgres, 'afterCommandMb'),
      postgresPeak: of(postgres, 'hwmMb'),
      goals: { embeddedIdleMb: 200, postgresIdleMb: 120, firstStartPeakMb: 400 },
    };
    await mkdir(new URL('./results/', import.meta.url), { recursive: true });
    await writeFile(
      new URL('./results/footprint.json', import.meta.url),
      `${JSON.stringify({ at: new Date().toISOString(), node: process.version, runs: RUNS, ...result }, null, 2)}\n`,
    );
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
