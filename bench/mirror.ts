import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledSteps } from './bundle.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = join(ROOT, '..', 'shared', 'fixtures');
const RESULTS = join(ROOT, 'bench', 'results', 'mirror.json');

export type MirrorBenchResult = {
  entries: number;
  links: number;
  /** Median of three runs, each in a new process from no stored link; fastest and slowest. */
  wallMs: number;
  wallSpreadMs: [number, number];
  /** Peak RSS above the process with its database open, median of the runs. */
  extraRssMb: number;
};

function step(compiled: string, ...args: string[]): Record<string, number> {
  const output = execFileSync(process.execPath, [compiled, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(output.trim().split('\n').pop() ?? '{}') as Record<string, number>;
}

/**
 * Resolving every entry of all five lists against each other (OFAC's full 2021-07-07 list with its
 * aliases and addresses, the UK's ConList, Canada's and Australia's lists, the EU excerpt): the
 * work a first start does once, from no stored link. Later publications redo only what changed.
 */
export async function runMirrorBench(): Promise<MirrorBenchResult> {
  const compiled = await compiledSteps();
  const dir = await mkdtemp(join(tmpdir(), 'mirror-bench-'));
  try {
    const runs: Array<Record<string, number>> = [];
    for (let run = 0; run < 3; run++) {
      const data = join(dir, `data-${run}`);
      step(compiled, 'links-prepare', data, FIXTURES);
      runs.push(step(compiled, 'links', data));
    }
    const middle = (key: string) => [...runs.map((run) => run[key] ?? 0)].sort((a, b) => a - b)[1] ?? 0;
    const walls = runs.map((run) => run.wallMs ?? 0).sort((a, b) => a - b);
    const result: MirrorBenchResult = {
      entries: runs[0]?.records ?? 0,
      links: runs[0]?.links ?? 0,
      wallMs: middle('wallMs'),
      wallSpreadMs: [walls[0] ?? 0, walls[2] ?? 0],
      extraRssMb: middle('extraRssMb'),
    };
    await writeFile(
      RESULTS,
      `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, result }, null, 2)}\n`,
    );
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
