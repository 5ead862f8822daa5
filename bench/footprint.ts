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
 * - idle: a later start on that directory, one command answered, then 5 s of quiet;
 * - PostgreSQL: the same on the server at 127.0.0.1:5432 (a schema of its own), when it answers.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 3;
const SETTLE_MS = 5_000;
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export type Figure = { medianMb: number; spreadMb: [number, number]; ratioToFloor: number };
export type FootprintResult = {
  floorMb: number;
  firstStartPeak: Figure;
  embeddedIdle: Figure;
  embeddedPeak: Figure;
  postgresIdle: Figure | undefined;
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

/** Starts the bot on the console, answers one command, settles; returns its memory then. */
async function consoleRun(env: NodeJS.ProcessEnv): Promise<{ rssMb: number; hwmMb: number }> {
  // The same spawn as the tests' (dist/main.js, a clean environment, standard input kept open).
  const bot = startBot({ env: { CONSOLE_USER: 'bench', ...env } });
  bot.child.stdin?.write('/targets\n');
  const started = Date.now();
  while (!/target/i.test(bot.out())) {
    if (bot.child.exitCode !== null || Date.now() - started > 60_000)
      throw new Error(`the bot did not answer: ${bot.err().slice(-500)}`);
    await sleep(50);
  }
  await sleep(SETTLE_MS);
  const memory = treeMemory(bot.child.pid as number);
  bot.child.stdin?.end();
  if ((await bot.exited) !== 0) throw new Error(`the bot stopped badly: ${bot.err().slice(-500)}`);
  return memory;
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
    const idle: number[] = [];
    const peak: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      floors.push(await floorRun());
      const dataDir = join(dir, `data-${run}`);
      first.push((await consoleRun({ DATA_DIR: dataDir })).hwmMb);
      const again = await consoleRun({ DATA_DIR: dataDir });
      idle.push(again.rssMb);
      peak.push(again.hwmMb);
    }
    let postgres: number[] | undefined;
    if (await serverAnswers(SERVER_URL)) {
      const url = new URL(SERVER_URL);
      const schema = `footprint_bench_${process.pid}`;
      url.searchParams.set('schema', schema);
      execFileSync('psql', [SERVER_URL, '-qXc', `CREATE SCHEMA "${schema}"`]);
      postgres = [];
      // The first run creates the schema and migrates it; the figures are from the runs after it.
      await consoleRun({ DATABASE_URL: url.toString() });
      for (let run = 0; run < RUNS; run++)
        postgres.push((await consoleRun({ DATABASE_URL: url.toString() })).rssMb);
      execFileSync('psql', [
        SERVER_URL,
        '-qc',
        `DROP SCHEMA IF EXISTS "footprint_bench_${process.pid}" CASCADE`,
      ]);
    }
    const floor = figure(floors, 1).medianMb;
    const result: FootprintResult = {
      floorMb: floor,
      firstStartPeak: figure(first, floor),
      embeddedIdle: figure(idle, floor),
      embeddedPeak: figure(peak, floor),
      postgresIdle: postgres ? figure(postgres, floor) : undefined,
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
