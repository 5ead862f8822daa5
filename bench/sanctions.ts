import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * Importing and diffing the real 2022-12-09 snapshot after 2022-12-08, and a synthetic list four
 * times larger built from the same real rows (uids offset per copy), against the floor: only
 * decompressing and splitting the same file into records. Each step runs in its own process.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HISTORY = join(ROOT, '..', 'shared', 'fixtures', 'ofac', 'history');

type Step = { wallMs: number; peakRssMb: number; records: number };
export type SanctionsBenchResult = {
  list: string;
  records: number;
  floor: Step;
  import: Step;
  wallRatio: number;
  rssRatio: number;
};

function step(...args: string[]): Step {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench', 'sanctions-step.ts'), ...args],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return JSON.parse(output.trim().split('\n').pop() ?? '{}') as Step;
}

async function enlarge(path: string, copies: number, target: string): Promise<void> {
  const lines = gunzipSync(await readFile(path))
    .toString('latin1')
    .split('\r\n')
    .filter((line) => /^\d+,/.test(line));
  const out: string[] = [];
  for (let copy = 0; copy < copies; copy++) {
    for (const line of lines)
      out.push(line.replace(/^(\d+),/, (_match, uid: string) => `${Number(uid) + copy * 1_000_000},`));
  }
  await writeFile(target, gzipSync(Buffer.from(`${out.join('\r\n')}\r\n\u001a`, 'latin1')));
}

export async function runSanctionsBench(): Promise<SanctionsBenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'ofac-bench-'));
  try {
    const base = join(HISTORY, 'sdn-2022-12-08.csv.gz');
    const next = join(HISTORY, 'sdn-2022-12-09.csv.gz');
    const bigBase = join(dir, 'base-x4.csv.gz');
    const bigNext = join(dir, 'next-x4.csv.gz');
    await enlarge(base, 4, bigBase);
    await enlarge(next, 4, bigNext);
    const results: SanctionsBenchResult[] = [];
    for (const [list, from, to] of [
      ['real 2022-12-09 after 2022-12-08', base, next],
      ['synthetic x4 (same rows, offset uids)', bigBase, bigNext],
    ] as const) {
      const floor = step('floor', to);
      const imported = step('import', from, to);
      results.push({
        list,
        records: imported.records,
        floor,
        import: imported,
        wallRatio: Number((imported.wallMs / Math.max(1, floor.wallMs)).toFixed(1)),
        rssRatio: Number((imported.peakRssMb / Math.max(1, floor.peakRssMb)).toFixed(1)),
      });
    }
    await writeFile(
      join(ROOT, 'bench', 'results', 'sanctions.json'),
      `${JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2)}\n`,
    );
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
