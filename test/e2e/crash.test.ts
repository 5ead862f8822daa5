import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { startBot } from '../helpers/process.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * SIGKILL in the middle of a burst of writes: every proposal the bot acknowledged is there after
 * a restart, and nothing is half-written (each target has its audit row).
 */
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'coalition-crash-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))('a killed bot', () => {
  it('loses nothing it acknowledged', async () => {
    const bot = startBot({ env: { DATA_DIR: dataDir } });
    const lines = Array.from(
      { length: 400 },
      (_, index) => `/propose "Official Number ${index + 1}" country:Belarus\n`,
    );
    bot.child.stdin?.write(lines.join(''));
    const acknowledged = () =>
      [...bot.out().matchAll(/✔ Target (\d+) proposed/g)].map((match) => Number(match[1]));
    await waitFor(() => acknowledged().length >= 40 || undefined, 60_000, 'acknowledgements');
    bot.child.kill('SIGKILL');
    await bot.exited;
    const seen = acknowledged();
    expect(seen.length).toBeGreaterThanOrEqual(40);
    expect(seen.length).toBeLessThan(400);

    // The next start takes over the dead process's lock and recovers the database.
    const database = await openDatabase({ kind: 'embedded', dataDir });
    try {
      const targets = await database.prisma.target.findMany({ select: { id: true, primaryName: true } });
      const ids = new Set(targets.map((target) => target.id));
      expect(seen.filter((id) => !ids.has(id))).toEqual([]);
      const audited = await database.prisma.auditLog.count({ where: { action: 'target.propose' } });
      expect(audited).toBe(targets.length);
      expect(targets.every((target) => /^Official Number \d+$/.test(target.primaryName))).toBe(true);
    } finally {
      await database.close();
    }
  }, 120_000);
});
