import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, postgresOptions } from '../../src/db/client.ts';
import { startBot } from '../helpers/process.ts';

/** The real entry point, as `npm start` runs it, with piped standard input. */
const serverUrl = process.env.TEST_DATABASE_URL;

let dataDir: string;
let databaseUrl: string | undefined;
let schema: string | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'coalition-bot-e2e-'));
  if (serverUrl) {
    schema = `e2e_${randomBytes(5).toString('hex')}`;
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.end();
    const url = new URL(serverUrl);
    url.searchParams.set('schema', schema);
    databaseUrl = url.toString();
  }
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  if (serverUrl && schema) {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
});

const botEnv = (env: NodeJS.ProcessEnv = {}) => ({
  DATA_DIR: dataDir,
  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  ...env,
});

type Finished = { code: number | null; stdout: string; stderr: string };

async function runScript(
  script: string,
  env: NodeJS.ProcessEnv = {},
  program?: 'main' | 'cli',
  args?: string[],
): Promise<Finished> {
  const bot = startBot({
    env: botEnv(env),
    stdin: script,
    ...(program ? { program } : {}),
    ...(args ? { args } : {}),
  });
  const code = await bot.exited;
  return { code, stdout: bot.out(), stderr: bot.err() };
}

describe('npm start with piped commands', () => {
  it('proposes and lists a target, which is still there on the next run', async () => {
    const first = await runScript('/propose name:"Chen Quanguo" country:China programs:GLOMAG\n/targets\n');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('✔ Target 1 proposed by tester');
    expect(first.stdout).toMatch(/Targets: 1, page 1 of 1\n {2}#1 +Chen Quanguo — China — GLOMAG — proposed/);
    if (!databaseUrl) expect(existsSync(join(dataDir, 'bot.lock'))).toBe(false);
    // Logs are JSON on stderr, and never carry the target's name.
    for (const line of first.stderr.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    expect(first.stderr).not.toContain('Chen');

    const second = await runScript('/targets\n/propose Quanguo Chen\n/targets\n');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('#1    Chen Quanguo — China — GLOMAG — proposed');
    expect(second.stdout).toContain('⚠ "Quanguo Chen" looks like a target we already have:');
    expect(second.stdout).not.toContain('Target 2');
    expect(second.stdout.match(/Targets: 1,/g)).toHaveLength(2);
  });

  it('answers bad input in the conversation and carries on', async () => {
    const result = await runScript('/propose "unclosed\n/fly\n/targets status:nope\n/help target\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✖ Could not read that command');
    expect(result.stdout).toContain('✖ Unknown command /fly');
    expect(result.stdout).toContain(
      'status: status must be one of: proposed, prioritized, case-open, designated, dropped, held.',
    );
    expect(result.stdout).toContain('e.g. /target id:12');
  });

  it('stops with one clear line on bad configuration', async () => {
    const result = await runScript('/targets\n', { PAGE_SIZE: 'lots' });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('coalition-bot: Invalid configuration: PAGE_SIZE must be a number.\n');
  });

  it('shuts down cleanly on SIGTERM, closing the database', async () => {
    const bot = startBot({ env: botEnv() });
    bot.child.stdin?.write('/targets\n');
    await bot.printed('Targets:');
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.err()).toContain('"msg":"stopped"');
    if (!databaseUrl) expect(existsSync(join(dataDir, 'bot.lock'))).toBe(false);
  });

  it.runIf(!serverUrl)('refuses a second process on the same embedded database', async () => {
    const holder = startBot({ env: botEnv() });
    holder.child.stdin?.write('/targets\n');
    await holder.printed('Targets:');
    const second = await runScript('/targets\n');
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      /^coalition-bot: The embedded database in .+ is in use by process \d+; stop it first \(one process per DATA_DIR\)\.\n$/,
    );
    holder.child.stdin?.end();
    expect(await holder.exited).toBe(0);
  });

  it('refuses to start, with one line, when an applied migration was changed', async () => {
    const database = await openDatabase(
      databaseUrl ? postgresOptions(databaseUrl) : { kind: 'embedded', dataDir },
    );
    const [row] = await database.sql.query<{ checksum: string }>(
      'SELECT checksum FROM "_prisma_migrations" LIMIT 1',
    );
    await database.sql.query('UPDATE "_prisma_migrations" SET checksum = $1', ['0'.repeat(64)]);
    await database.close();
    try {
      const result = await runScript('/targets\n');
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        /^coalition-bot: Migration \d+_init was modified after it was applied \(checksum differs\); restore the original file and add a new migration instead\.\n$/,
      );
    } finally {
      const restore = await openDatabase(
        databaseUrl ? postgresOptions(databaseUrl) : { kind: 'embedded', dataDir },
      );
      await restore.sql.query(
        `UPDATE "_prisma_migrations" SET checksum = $1 WHERE migration_name LIKE '%_init'`,
        [row?.checksum],
      );
      await restore.close();
    }
    const listed = await runScript('', {}, 'cli', ['migrations']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^applied \S+ {2}\d+_init\n/);
    expect(listed.stdout).not.toContain('pending');
  });
});
