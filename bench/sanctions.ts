import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { compiledSteps } from './bundle.ts';

/**
 * Importing and diffing the real 2022-12-09 snapshot after 2022-12-08, and a synthetic list four
 * times larger built from the same real rows (uids offset per copy), against the floor: only
 * decompressing and splitting the same file into records. Then each other government's real list
 * (UK, Canada: a diff of two files; Australia, EU: the one file we hold, as a baseline) against its
 * floor: unzipping and parsing the file. Each step runs in its own process, on an embedded
 * database in a data directory opened before the measured work (see sanctions-step.ts).
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HISTORY = join(ROOT, '..', 'shared', 'fixtures', 'ofac', 'history');

type Step = { wallMs: number; peakRssMb: number; records: number };
/** The median of RUNS runs of a step, with the spread of its wall time. */
type Measured = Step & { wallSpreadMs: [number, number] };
/**
 * Five pairs of runs: the shared machines here are noisy, and their speed drifts over minutes (the
 * same import ranged 0.65-1.2 s in one hour). Each floor run is followed by its import run, and the
 * ratio is the median of the pairs' ratios, so a slow spell slows both sides of a pair.
 */
const RUNS = 5;
export type SanctionsBenchResult = {
  list: string;
  records: number;
  floor: Measured;
  import: Measured;
  /** The median of the paired runs' import/floor wall ratios, with their spread. */
  wallRatio: number;
  wallRatioSpread: [number, number];
  rssRatio: number;
  /** Peak RSS of the import above the floor's (goal: at most 150 MB). */
  rssOverFloorMb: number;
};

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

function summary(runs: Step[]): Measured {
  const walls = runs.map((run) => run.wallMs);
  return {
    wallMs: median(walls),
    wallSpreadMs: [Math.min(...walls), Math.max(...walls)],
    peakRssMb: median(runs.map((run) => run.peakRssMb)),
    records: runs[0]?.records ?? 0,
  };
}

/** RUNS pairs of a floor run and an import run, each in a new process. */
function compared(list: string, floorArgs: string[], importArgs: string[]): SanctionsBenchResult {
  const floors: Step[] = [];
  const imports: Step[] = [];
  for (let run = 0; run < RUNS; run++) {
    floors.push(step(...floorArgs));
    imports.push(step(...importArgs));
  }
  const ratios = imports.map((imported, run) => imported.wallMs / Math.max(1, floors[run]?.wallMs ?? 1));
  const floor = summary(floors);
  const imported = summary(imports);
  const round = (value: number) => Number(value.toFixed(1));
  return {
    list,
    records: imported.records,
    floor,
    import: imported,
    wallRatio: round(median(ratios)),
    wallRatioSpread: [round(Math.min(...ratios)), round(Math.max(...ratios))],
    rssRatio: round(imported.peakRssMb / Math.max(1, floor.peakRssMb)),
    rssOverFloorMb: imported.peakRssMb - floor.peakRssMb,
  };
}

/** The compiled sanctions-step.js (bench/bundle.ts), set when the bench starts. */
let compiledStep = '';

function step(...args: string[]): Step {
  const output = execFileSync(process.execPath, ['--expose-gc', compiledStep, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
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

/** The XML without every nth <record>: the list as it might have stood a day before. */
function dropEveryNth(xml: string, nth: number): string {
  let seen = 0;
  return xml.replace(/\s*<record>[\s\S]*?<\/record>/g, (record) => (++seen % nth === 0 ? '' : record));
}

export async function runSanctionsBench(): Promise<SanctionsBenchResult[]> {
  compiledStep = await compiledSteps();
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
      results.push(compared(list, ['floor', to], ['import', from, to]));
    }
    // The other governments' real lists: a diff where we hold two files, else the baseline import.
    // Canada's two files are three years apart and differ in almost every entry; a day's publication
    // is closer to the real 2025 file after the same file less one record in a hundred.
    const fixtures = join(ROOT, '..', 'shared', 'fixtures');
    const canadaDayBefore = join(dir, 'canada-day-before.xml');
    await writeFile(
      canadaDayBefore,
      dropEveryNth(await readFile(join(fixtures, 'canada', 'sema-lmes-2025-05-25.xml'), 'utf8'), 100),
    );
    for (const [list, label, files] of [
      [
        'uk',
        'UK ConList 2025-04-10 after 2022-05-04',
        ['uk/ofsi-conlist-2022-05-04.xlsx', 'uk/ofsi-conlist-2025-04-10.xlsx'],
      ],
      [
        'ca',
        'Canada 2025-05-25 after 2022-05-11',
        ['canada/sema-lmes-2022-05-11.xml', 'canada/sema-lmes-2025-05-25.xml'],
      ],
      [
        'ca',
        'Canada 2025-05-25 after itself less 1% (synthetic day)',
        [canadaDayBefore, 'canada/sema-lmes-2025-05-25.xml'],
      ],
      ['au', 'Australia 2024-12-17 (baseline)', ['australia/dfat-consolidated-2024-12-17.xlsx']],
      ['eu', 'EU 2022-03-18 excerpt (baseline)', ['eu/fsf-2022-03-18-excerpt.xml.gz']],
    ] as const) {
      const paths = files.map((file) => (file.startsWith('/') ? file : join(fixtures, file)));
      results.push(
        compared(label, ['list-floor', list, paths.at(-1) as string], ['list-import', list, ...paths]),
      );
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
