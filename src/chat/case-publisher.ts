import type { App } from '../app.ts';
import { caseDetails } from '../domain/cases/details.ts';
import type { Platform } from '../generated/prisma/enums.ts';
import type { View } from '../messages.ts';
import { caseCard, caseEventView } from './case-view.ts';
import { backOff, type LeasedWork, leaseRow, type QueueTiming } from './leased-queue.ts';
import type { Poster } from './platform.ts';

export type ThreadPoster = Pick<Poster, 'post' | 'edit' | 'startThread'>;

export const CASE_TIMING: QueueTiming = { intervalMs: 10_000, leaseMs: 30_000 };

type CaseThreadRow = {
  id: number;
  caseId: number;
  workspaceId: string;
  channelId: string;
  messageId: string | null;
  threadId: string | null;
  renderedVersion: number;
  postedEventId: bigint;
  attempts: number;
};

/**
 * Keeps every case thread of one platform current: posts the status card once and starts the
 * thread under it, edits the card whenever the case's version moves, and posts new timeline
 * events in order, recording how far it got after each one.
 */
export function caseThreads(app: App, platform: Platform, poster: ThreadPoster): LeasedWork<CaseThreadRow> {
  const db = () => app.database.prisma;
  return {
    name: 'case thread',
    async due(now) {
      const threads = await db().caseThread.findMany({
        where: { platform, nextAttemptAt: { lte: now } },
        include: { case: { select: { version: true } } },
        orderBy: { id: 'asc' },
      });
      // Every command wakes this pass: one query tells which threads have new events, so an idle
      // pass costs two queries however many cases there are.
      const latest = new Map(
        (
          await db().caseEvent.groupBy({
            by: ['caseId'],
            where: { caseId: { in: [...new Set(threads.map((thread) => thread.caseId))] } },
            _max: { id: true },
          })
        ).map((row) => [row.caseId, row._max.id ?? 0n]),
      );
      return threads.filter(
        (thread) =>
          thread.messageId === null ||
          thread.renderedVersion < thread.case.version ||
          (latest.get(thread.caseId) ?? 0n) > thread.postedEventId,
      );
    },
    lease: (thread, now, until) => leaseRow(db().caseThread, thread.id, now, until),
    async work(thread, now) {
      const events = await db().caseEvent.findMany({
        where: { caseId: thread.caseId, id: { gt: thread.postedEventId } },
        orderBy: { id: 'asc' },
        take: 20,
      });
      const details = await caseDetails(db(), thread.caseId);
      let { messageId, threadId } = thread;
      if (messageId === null) {
        messageId = await poster.post(thread.channelId, caseCard(details));
        threadId = await poster.startThread(
          thread.channelId,
          messageId,
          `Case ${details.id}: ${details.title}`,
        );
        await db().caseThread.update({
          where: { id: thread.id },
          data: { messageId, threadId, renderedVersion: details.version },
        });
      } else if (thread.renderedVersion < details.version) {
        await poster.edit(thread.channelId, messageId, caseCard(details));
        await db().caseThread.update({
          where: { id: thread.id },
          data: { renderedVersion: details.version },
        });
      }
      const names = new Map(details.events.map((event) => [event.id, event.actor]));
      for (const event of events) {
        await poster.post(
          thread.channelId,
          await eventView(app, platform, event, names.get(event.id) ?? null, thread.workspaceId),
          threadId ?? undefined,
        );
        await db().caseThread.update({ where: { id: thread.id }, data: { postedEventId: event.id } });
      }
      await db().caseThread.update({ where: { id: thread.id }, data: { attempts: 0, nextAttemptAt: now } });
    },
    failed: (thread, _error, now) => backOff(db().caseThread, thread, now),
    describe: (thread) => ({ case: thread.caseId }),
  };
}

async function eventView(
  app: App,
  platform: Platform,
  event: { kind: string; summary: string; data: unknown },
  actor: string | null,
  workspaceId: string,
): Promise<View> {
  const data = (event.data ?? {}) as { match?: number; ping?: number[] };
  let ping: string[] = [];
  if (data.ping?.length) {
    const identities = await app.database.prisma.platformIdentity.findMany({
      where: { platform, workspaceId, memberId: { in: data.ping } },
    });
    ping = identities.map((identity) => identity.userId);
  }
  const view = caseEventView({ kind: event.kind, summary: event.summary, actor }, ping);
  if (event.kind === 'possible-designation' || event.kind === 'possible-delisting') {
    view.actions = [
      {
        label: 'Confirm',
        style: 'primary',
        invocation: {
          command: 'case',
          subcommand: 'confirm',
          options: { match: data.match, decision: 'confirm' },
        },
      },
      {
        label: 'Not our target',
        invocation: {
          command: 'case',
          subcommand: 'confirm',
          options: { match: data.match, decision: 'dismiss' },
        },
      },
    ];
  }
  return view;
}
