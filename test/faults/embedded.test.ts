import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { startBot } from '../helpers/process.ts';

/**
 * Operator faults on the embedded database, in spawned processes as an operator meets them: a bad
 * archive to restore, a disk that fills during a backup or while the bot runs. Each must end in one
 * clear line, and leave the database as it was (or as PostgreSQL's recovery leaves it).
 */
let scratch: string;
let seeded: string;
let backup: string;

async function cli(dataDir: string, args: string[], fileSizeLimitKb?: number) {
  const run = startBot({
    program: 'cli',
    args,
    env: { DATA_DIR: dataDir },
    stdin: '',
    ...(fileSizeLimitKb === undefined ? {} : { fileSizeLimitKb }),
  });
  return { code: await run.exited, stdout: run.out(), stderr: run.err() };
}

async function targetNames(dataDir: string): Promise<string[]> {
  const database = await openDatabase({ kind: 'embedded', dataDir });
  try {
    return (await database.prisma.target.findMany({ orderBy: { id: 'asc' } })).map((row) => row.primaryName);
  } finally {
    await database.close();
  }
}

/** One line on standard error, naming the problem, with no stack trace. */
function expectOneLine(stderr: string, pattern: RegExp) {
  expect(stderr.trim().split('\n'), stderr).toHaveLength(1);
  expect(stderr).toMatch(/^coalition-bot: /);
  expect(stderr).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}

beforeAll(async () => {
  scratch = join(tmpdir(), `coalition-faults-${randomBytes(4).toString('hex')}`);
  await mkdir(scratch, { recursive: true });
  seeded = join(scratch, 'seeded');
  backup = join(scratch, 'backup.tgz');
  const setup = startBot({
    env: { DATA_DIR: seeded },
    stdin: '/propose "Chen Quanguo"\n/propose "Zhu Hailun"\n',
  });
  expect(await setup.exited).toBe(0);
  expect((await cli(seeded, ['db', 'backup', backup])).code).toBe(0);
}, 120_000);
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))('operator faults on the embedded database', () => {
  it('refuses a truncated or garbage archive before touching the live database', async () => {
    const whole = await readFile(backup);
    const cases = [
      ['cut.tgz', whole.subarray(0, Math.floor(whole.length / 3)), /cut short; nothing was changed/],
      ['random.bin', randomBytes(50_000), /not a backup made by db backup/],
      ['empty.tgz', Buffer.alloc(0), /not a backup made by db backup/],
    ] as const;
    for (const [name, bytes, message] of cases) {
      const file = join(scratch, name);
      await writeFile(file, bytes);
      const forced = await cli(seeded, ['db', 'restore', file, '--force']);
      expect(forced.code, name).toBe(1);
      expectOneLine(forced.stderr, message);
      // Into a directory that has no database yet: refused the same way, and nothing is created.
      const fresh = join(scratch, `fresh-${name}`);
      const intoFresh = await cli(fresh, ['db', 'restore', file]);
      expect(intoFresh.code).toBe(1);
      expectOneLine(intoFresh.stderr, message);
      expect(await readdir(fresh).catch(() => [])).toEqual([]);
    }
    // The live database is untouched: no directory moved aside or half-restored, no stale lock.
    expect((await readdir(seeded)).sort()).toEqual(['pgdata']);
    expect(await targetNames(seeded)).toEqual(['Chen Quanguo', 'Zhu Hailun']);
  }, 180_000);

  it('leaves no partial file when a backup cannot be written', async () => {
    const file = join(scratch, 'too-big.tgz');
    const failed = await cli(seeded, ['db', 'backup', file], 256);
    expect(failed.code).toBe(1);
    expectOneLine(failed.stderr, /Cannot write .*too-big\.tgz: .*no backup was written/);
    expect((await readdir(scratch)).filter((name) => name.includes('too-big'))).toEqual([]);
    expect(await targetNames(seeded)).toEqual(['Chen Quanguo', 'Zhu Hailun']);
  }, 120_000);

  it('answers and stops with one line when the disk fills while it runs, instead of spinning', async () => {
    const dataDir = join(scratch, 'full');
    await rm(dataDir, { recursive: true, force: true });
    expect((await cli(dataDir, ['db', 'restore', backup])).code).toBe(0);
    const lines = Array.from(
      { length: 200 },
      (_, index) => `/propose "Official ${index} ${'of the provincial security bureau '.repeat(4)}"`,
    );
    const started = Date.now();
    const bot = startBot({
      env: { DATA_DIR: dataDir },
      stdin: `${lines.join('\n')}\n`,
      fileSizeLimitKb: 2_000,
    });
    const timer = setTimeout(() => bot.child.kill('SIGKILL'), 90_000);
    const code = await bot.exited;
    clearTimeout(timer);
    expect(Date.now() - started).toBeLessThan(90_000);
    expect(code).toBe(1);
    expect(bot.out()).toContain('The database is unavailable');
    expect(bot.out()).toContain('Nothing was saved.');
    const stopLine = bot
      .err()
      .split('\n')
      .filter((line) => line.startsWith('coalition-bot: '));
    expect(stopLine).toHaveLength(1);
    expect(stopLine[0]).toMatch(/the embedded database could not write .*File too large.* Stopping/);

    // Restarted without the limit: consistent, every saved target has its audit row, and it serves.
    const database = await openDatabase({ kind: 'embedded', dataDir });
    try {
      const targets = await database.prisma.target.findMany();
      const audited = await database.prisma.auditLog.count({ where: { action: 'target.propose' } });
      expect(audited).toBe(targets.length);
      expect(targets.length).toBeGreaterThanOrEqual(2);
      // Not asserted: that every acknowledged proposal survives. Here the one answered just before
      // the first failed write is missing after restart (PGlite reported its commit); see the
      // README's operations section.
    } finally {
      await database.close();
    }
    const after = startBot({ env: { DATA_DIR: dataDir }, stdin: '/propose "After The Disk Was Freed"\n' });
    expect(await after.exited).toBe(0);
    expect(after.out()).toContain('proposed by');
  }, 180_000);

  it('validates publication numbers in the CLI the way chat options are validated', async () => {
    for (const argument of ['2.7', 'abc', '99999999999999999999', '-1', '0']) {
      const run = await cli(seeded, ['sanctions', 'release', argument]);
      expect(run.code, argument).toBe(1);
      expectOneLine(run.stderr, new RegExp(`${argument.replace('.', '\\.')} is not a publication number`));
    }
  }, 120_000);
});
