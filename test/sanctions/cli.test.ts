import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOfac } from '../helpers/fake-ofac.ts';
import { startBot } from '../helpers/process.ts';

/** `npm run cli -- sanctions ...` as an operator runs it, on an embedded database of its own. */
const HISTORY = new URL('../../../shared/fixtures/ofac/history/', import.meta.url).pathname;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'coalition-bot-cli-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function cli(...args: string[]) {
  const run = startBot({ program: 'cli', args, env: { DATA_DIR: dataDir }, stdin: '' });
  const code = await run.exited;
  return { code, stdout: run.out(), stderr: run.err() };
}

// These spawn the bot on its own embedded database (DATA_DIR); the PostgreSQL run of the suite
// would repeat them unchanged, so it skips them.
describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))('sanctions CLI', () => {
  it('imports two days, prints the changes as JSON, and refuses an empty download with exit 1', async () => {
    expect(await cli('sanctions', 'import', join(HISTORY, 'sdn-2022-12-08.csv.gz'))).toMatchObject({
      code: 0,
      stdout: 'Publication 1 (2022-12-08): baseline of 11164 entries.\n',
    });
    const second = await cli('sanctions', 'import', join(HISTORY, 'sdn-2022-12-09.csv.gz'));
    expect(second.stdout).toBe(
      'Publication 2 (2022-12-09): 217 added, 0 removed, 1 amended, 11381 entries.\n',
    );
    const changes = await cli('sanctions', 'changes', '--programs', 'glomag', '--json');
    const parsed = JSON.parse(changes.stdout) as {
      published: string;
      held: boolean;
      added: Array<{ uid: number; programs: string[] }>;
    };
    expect(parsed.published).toBe('2022-12-09');
    expect(parsed.held).toBe(false);
    expect(parsed.added).toHaveLength(182);
    expect(parsed.added.every((entry) => entry.programs.includes('GLOMAG'))).toBe(true);
    expect(Object.keys(parsed)).toEqual(['published', 'held', 'added', 'removed', 'amended']);
    const empty = await cli(
      'sanctions',
      'import',
      join(HISTORY, 'sdn-empty-download.csv.gz'),
      '--published',
      '2022-12-10',
    );
    expect(empty).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'coalition-bot: SDN.CSV is empty (a failed download); nothing was imported.\n',
    });
    const after = JSON.parse((await cli('sanctions', 'changes', '--json')).stdout) as { published: string };
    expect(after.published).toBe('2022-12-09');
    const search = await cli('sanctions', 'search', 'Quanguo Chen', '--json');
    expect(search.code).toBe(0);
    const found = JSON.parse(search.stdout) as Array<Record<string, unknown>>;
    expect(found[0]).toEqual({
      list: 'us',
      id: '29220',
      uid: 29220,
      name: 'CHEN, Quanguo',
      programs: ['GLOMAG'],
      score: 1,
    });
    const namesake = await cli('sanctions', 'search', '--json', 'Quanguo Chen', '--dob', '1970');
    expect(JSON.parse(namesake.stdout)).toEqual([]);
    expect((await cli('sanctions', 'search', 'Quanguo Chen', '--dob', '19-70')).stderr).toBe(
      'coalition-bot: --dob must be a year (1955) or a date (1955-03-21).\n',
    );
    const preview = await cli('digest', 'preview', '--programs', 'GLOMAG');
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain('OFAC sanctions digest: 2022-12-09 (1/2)');
    expect(preview.stdout).toContain(
      'ZHUO, Xinrong (individual; Hong Kong; born 10 Nov 1964; GLOMAG) and 3 linked entities',
    );
    expect(preview.stdout).toContain(
      '78 vessels linked to FUJIAN PROVINCIAL PINGTAN COUNTY OCEAN FISHING GROUP CO., LTD',
    );
    expect(preview.stdout).toContain('182 changes in GLOMAG; 36 other changes in programs not followed.');
  }, 180_000);

  it('sanctions sync imports from the service, then finds nothing new', async () => {
    const ofac = await new FakeOfac().start();
    const syncDir = await mkdtemp(join(tmpdir(), 'coalition-bot-sync-'));
    try {
      await ofac.publishFixture('2021-12-06');
      ofac.today = new Date().toISOString().slice(0, 10);
      const env = { DATA_DIR: syncDir, OFAC_BASE_URL: ofac.baseUrl, OFAC_FILES: 'SDN.CSV' };
      const sync = async () => {
        const run = startBot({ program: 'cli', args: ['sanctions', 'sync'], env, stdin: '' });
        return { code: await run.exited, stdout: run.out(), stderr: run.err() };
      };
      const first = await sync();
      expect(first).toMatchObject({ code: 0, stderr: '' });
      expect(first.stdout).toMatch(/^Publication 1 \(\d{4}-\d\d-\d\d\): baseline of \d+ entries\.\n$/);
      expect(await sync()).toMatchObject({
        code: 0,
        stdout: 'Nothing new: the service lists no new publication.\n',
      });
    } finally {
      await ofac.stop();
      await rm(syncDir, { recursive: true, force: true });
    }
  }, 120_000);
});
