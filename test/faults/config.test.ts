import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../helpers/process.ts';

/** Bad configuration stops start-up with one line naming the variable, never a stack or a secret. */
let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'coalition-config-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function start(env: NodeJS.ProcessEnv, stdin = '') {
  const bot = startBot({ env, stdin });
  return { code: await bot.exited, stdout: bot.out(), stderr: bot.err() };
}

function expectOneLine(stderr: string, pattern: RegExp) {
  const lines = stderr
    .trim()
    .split('\n')
    .filter((line) => !line.startsWith('{'));
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^coalition-bot: /);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('bad configuration', () => {
  it('names DATABASE_URL when it is not a URL or its server does not answer, without the password', async () => {
    const invalid = await start({ DATABASE_URL: 'postgres://bad url' });
    expect(invalid.code).toBe(1);
    expectOneLine(
      invalid.stderr,
      /Invalid configuration: DATABASE_URL must be a postgresql:\/\/user@host:port\/database URL/,
    );

    const closed = await start({ DATABASE_URL: 'postgresql://postgres:hunter2secret@127.0.0.1:1/test' });
    expect(closed.code).toBe(1);
    expectOneLine(
      closed.stderr,
      /DATABASE_URL: cannot use the PostgreSQL server at 127\.0\.0\.1:1\/test \(ECONNREFUSED\)/,
    );
    expect(closed.stderr).not.toContain('hunter2secret');
  }, 60_000);

  it.skipIf(Boolean(process.env.TEST_DATABASE_URL))(
    'refuses to start when the database holds values under a key that is not configured',
    async () => {
      const dataDir = join(scratch, 'keys');
      const right = randomBytes(32).toString('hex');
      const wrong = randomBytes(32).toString('hex');
      const made = await start(
        { DATA_DIR: dataDir, ENCRYPTION_KEY: right },
        '/propose "Sealed Name" confidential:yes\n',
      );
      expect(made.code).toBe(0);
      expect(made.stdout).toContain('Target 1 proposed');

      const wrongKey = await start(
        { DATA_DIR: dataDir, ENCRYPTION_KEY: wrong },
        '/propose "Sealed Name" confidential:yes\n',
      );
      expect(wrongKey.code).toBe(1);
      expectOneLine(
        wrongKey.stderr,
        /encrypted with key [0-9a-f]{8}, which is neither ENCRYPTION_KEY \([0-9a-f]{8}\) nor in ENCRYPTION_KEY_PREVIOUS/,
      );
      expect(wrongKey.stdout).not.toContain('proposed');

      const noKey = await start({ DATA_DIR: dataDir }, '/targets\n');
      expect(noKey.code).toBe(1);
      expectOneLine(
        noKey.stderr,
        /ENCRYPTION_KEY is not set, but the database holds values encrypted with key [0-9a-f]{8}/,
      );

      // The wrong key kept as a previous one does not help; the right one as previous does.
      const rotated = await start(
        { DATA_DIR: dataDir, ENCRYPTION_KEY: wrong, ENCRYPTION_KEY_PREVIOUS: right },
        '/target 1\n',
      );
      expect(rotated.code).toBe(0);
      expect(rotated.stdout).toContain('Sealed Name');
      expect(rotated.stderr).not.toContain('Sealed Name');
    },
    120_000,
  );
});
