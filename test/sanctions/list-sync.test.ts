import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { syncList } from '../../src/sanctions/sources/sync.ts';
import { ALERT_AFTER_FAILURES } from '../../src/sanctions/sync.ts';
import { useSeededApp } from '../helpers/app.ts';
import { FakeListServer } from '../helpers/fake-lists.ts';

/** Scheduled checks of another government's list against a loopback publisher serving real files. */
const FIXTURES = new URL('../../../shared/fixtures/', import.meta.url).pathname;
const state = useSeededApp();
const db = () => state.app.database.prisma;
let server: FakeListServer;

beforeAll(async () => {
  server = await new FakeListServer().start();
});
afterAll(async () => {
  await server?.stop();
});

const options = (url: string, now = new Date('2025-05-26T08:00:00Z')) => ({
  url,
  timeoutMs: 10_000,
  attempts: 2,
  backoffMs: 1,
  sleep: async () => undefined,
  holdShare: 0.1,
  now,
});

// Admins hear of failures and holds in their channel.
beforeEach(async () => {
  await state.app.execute(
    { command: 'channel', subcommand: 'set', options: { purpose: 'admin' } },
    state.cast.admin,
    'slack',
    { workspaceId: 'T1', channelId: 'CADMIN' },
  );
});

describe('list sources', () => {
  it('imports the Canadian list when it changes, and not twice the same file', async () => {
    const url = await server.serve(
      '/sanctions/sema-lmes.xml',
      join(FIXTURES, 'canada/sema-lmes-2022-05-11.xml'),
    );
    const first = await syncList(db(), 'ca', options(url));
    expect(first).toMatchObject({ status: 'imported', result: { baseline: true, recordCount: 2606 } });
    expect(await syncList(db(), 'ca', options(url))).toMatchObject({ status: 'unchanged' });
    // Some publishers answer with a redirect to storage; it is followed.
    await server.serve('/sanctions/sema-lmes.xml', join(FIXTURES, 'canada/sema-lmes-2025-05-25.xml'));
    const second = await syncList(db(), 'ca', options(`${server.baseUrl}/redirect/sanctions/sema-lmes.xml`));
    expect(second).toMatchObject({ status: 'imported', result: { status: 'applied', recordCount: 4759 } });
    expect(await db().sanctionsPublication.count({ where: { list: 'CA' } })).toBe(2);
  }, 120_000);

  it('refuses a cut-off download and an unreadable file, counts failures and warns admins once', async () => {
    const url = await server.serve(
      '/au/regulation8_consolidated.xlsx',
      join(FIXTURES, 'australia/dfat-consolidated-2024-12-17.xlsx'),
    );
    server.fail('/au/regulation8_consolidated.xlsx', 'truncate', 2);
    const cut = await syncList(db(), 'au', options(url));
    expect(cut).toMatchObject({ status: 'failed' });
    expect(cut.status === 'failed' && cut.reason).toMatch(
      /Australia download regulation8_consolidated.xlsx failed after 2 attempt/,
    );
    await server.serve('/au/regulation8_consolidated.xlsx', Buffer.from('<html>maintenance</html>'));
    for (let attempt = 2; attempt <= ALERT_AFTER_FAILURES; attempt++) {
      const failed = await syncList(db(), 'au', options(url));
      expect(failed.status).toBe('failed');
    }
    expect(await db().sanctionsPublication.count({ where: { list: 'AU' } })).toBe(0);
    const alerts = (await db().outboxMessage.findMany({ where: { channelId: 'CADMIN' } })).map((row) =>
      JSON.stringify(row.view),
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toContain('Australia list updates are failing');
    // It recovers, and says so.
    await server.serve(
      '/au/regulation8_consolidated.xlsx',
      join(FIXTURES, 'australia/dfat-consolidated-2024-12-17.xlsx'),
    );
    expect((await syncList(db(), 'au', options(url))).status).toBe('imported');
    const after = (await db().outboxMessage.findMany({ where: { channelId: 'CADMIN' } })).map((row) =>
      JSON.stringify(row.view),
    );
    expect(after.some((view) => view.includes('Australia list updates work again'))).toBe(true);
  }, 120_000);

  it('holds a publication that would delist a large share of the list, and tells admins', async () => {
    const url = await server.serve('/eu/export.xml.gz', join(FIXTURES, 'eu/fsf-2022-03-18-excerpt.xml.gz'));
    expect((await syncList(db(), 'eu', options(url))).status).toBe('imported');
    // A smaller valid file: the first 100 entities of the same export, closed properly.
    const { gunzipSync } = await import('node:zlib');
    const text = gunzipSync(
      await (await import('node:fs/promises')).readFile(join(FIXTURES, 'eu/fsf-2022-03-18-excerpt.xml.gz')),
    ).toString('utf8');
    const cutAt = [...text.matchAll(/<\/sanctionEntity>/g)][99]?.index ?? 0;
    await server.serve(
      '/eu/export.xml.gz',
      Buffer.from(`${text.slice(0, cutAt + '</sanctionEntity>'.length)}\n</export>\n`),
    );
    const held = await syncList(db(), 'eu', options(url));
    expect(held).toMatchObject({ status: 'imported', result: { status: 'held' } });
    const alerts = (await db().outboxMessage.findMany({ where: { channelId: 'CADMIN' } })).map((row) =>
      JSON.stringify(row.view),
    );
    expect(alerts.some((view) => view.includes('EU publication') && view.includes('is held'))).toBe(true);
  }, 120_000);
});
