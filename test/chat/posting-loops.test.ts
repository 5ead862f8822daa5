import { describe, expect, it } from 'vitest';
import { postingLoops } from '../../src/chat/platform.ts';
import { enqueue } from '../../src/domain/outbox.ts';
import { expectKind, run, useSeededApp } from '../helpers/app.ts';
import { FakePlatform } from '../helpers/fake-platform.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * The posting loops of one platform against a platform in memory: the outbox, poll messages and
 * case threads all post through the same three calls, and a failed post stays queued.
 */
// The clock stands still unless a test moves it past the rows it wrote.
let clock = new Date();
const state = useSeededApp({}, () => clock);
const db = () => state.app.database.prisma;
const news = () => db().outboxMessage.findFirst({ where: { channelId: 'CNEWS' } });
const notice = (title: string) => ({
  kind: 'notice' as const,
  tone: 'info' as const,
  title,
  lines: [],
  ephemeral: false,
});

describe('posting loops', () => {
  it('deliver the outbox, and keep a message whose post failed until it goes through', async () => {
    const platform = new FakePlatform('slack');
    platform.failures.set('CNEWS', 1);
    const loops = postingLoops(state.app, platform);
    try {
      await db().$transaction((tx) =>
        enqueue(tx, [{ platform: 'slack', workspaceId: 'T1', channelId: 'CNEWS' }], notice('First')),
      );
      // Due from its writing, by the database's clock.
      clock = new Date(((await news())?.nextAttemptAt.getTime() ?? 0) + 1_000);
      loops.start();
      await waitFor(async () => (await news())?.attempts === 1, 10_000, 'the failed attempt');
      expect(platform.posts.filter((post) => post.channelId === 'CNEWS')).toEqual([]);
      // Past its backoff, the next pass posts it, once.
      clock = new Date(clock.getTime() + 3_600_000);
      state.app.notifyOutbox();
      const posted = await waitFor(
        () => platform.posts.find((post) => post.channelId === 'CNEWS'),
        10_000,
        'the retried post',
      );
      expect(posted.view).toMatchObject({ title: 'First' });
      expect((await news())?.sentAt).not.toBeNull();
      expect(platform.posts.filter((post) => post.channelId === 'CNEWS')).toHaveLength(1);
    } finally {
      await loops.stop();
    }
  });

  it('post a poll once and edit it in place when a ballot comes in', async () => {
    const platform = new FakePlatform('slack');
    // Edits at most every 200 ms here rather than 3 s: the same coalescing, a shorter wait.
    const loops = postingLoops(state.app, platform, {
      polls: { intervalMs: 10_000, leaseMs: 30_000, minGapMs: 200 },
    });
    try {
      for (const name of ['Alpha', 'Beta'])
        await run(state.app, state.cast.member, `/propose "${name}" country:China conduct:"Abuses"`);
      const created = expectKind(
        await run(state.app, state.cast.coordinator, '/poll create "Which first?" targets:1,2 in:1h'),
        'poll',
      );
      const post = await db().pollPost.create({
        data: { pollId: created.poll.id, platform: 'slack', workspaceId: 'T1', channelId: 'CPOLL' },
      });
      clock = new Date(post.nextAttemptAt.getTime() + 1_000);
      loops.start();
      await waitFor(() => platform.posts.some((post) => post.view.kind === 'poll'), 10_000, 'the poll post');
      const posted = platform.posts.find((post) => post.view.kind === 'poll');
      await run(state.app, state.cast.member, `/vote poll:${created.poll.id} choice:"2 1"`);
      const edit = await waitFor(() => platform.edits[0], 15_000, 'the poll edit');
      expect(edit).toMatchObject({ channelId: 'CPOLL', messageId: posted?.id });
      expect(platform.posts.filter((post) => post.view.kind === 'poll')).toHaveLength(1);
    } finally {
      await loops.stop();
    }
  });
});
