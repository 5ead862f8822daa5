import type { App } from '../app.ts';
import { caseDetails } from '../domain/cases/details.ts';
import type { Platform } from '../generated/prisma/enums.ts';
import type { View } from '../messages.ts';
import { retryDelay } from '../retry.ts';
import { caseCard, caseEventView } from './case-view.ts';
import type { ChatPlatform } from './platform.ts';
import { Pump } from './pump.ts';

export type ThreadPoster = Pick<ChatPlatform, 'post' | 'edit' | 'startThread'>;

const LEASE_MS = 30_000;

/**
 * Keeps every case thread of one platform current: posts the status card once and starts the
 * thread under it, edits the card whenever the case's version moves, and posts new timeline
 * events in order, recording how far it got after each one.
 */
export class CasePublisher {
  private readonly pump: Pump;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly app: App,
    private readonly platform: Platform,
    private readonly poster: ThreadPoster,
    intervalMs = 10_000,
  ) {
    this.pump = new Pump(() => this.pass(), intervalMs);
    this.unsubscribe = app.onOutbox(() => void this.pump.kick());
  }

  start(): void {
    this.pump.start();
  }

  kick(): Promise<void> {
    return this.pump.kick();
  }

  async stop(): Promise<void> {
    this.unsubscribe();
    await this.pump.stop();
  }

  private async pass(): Promise<void> {
    const db = this.app.database.prisma;
    try {
      const now = this.app.now();
      const threads = await db.caseThread.findMany({
        where: { platform: this.platform, nextAttemptAt: { lte: now } },
        include: { case: { select: { version: true } } },
        orderBy: { id: 'asc' },
      });
      // Every command wakes this pass: one query tells which threads have new events, so an idle
      // pass costs two queries however many cases there are.
      const latest = new Map(
        (
          await db.caseEvent.groupBy({
            by: ['caseId'],
            where: { caseId: { in: [...new Set(threads.map((thread) => thread.caseId))] } },
            _max: { id: true },
          })
        ).map((row) => [row.caseId, row._max.id ?? 0n]),
      );
      for (const thread of threads) {
        const stale = thread.messageId === null || thread.renderedVersion < thread.case.version;
        const behind = (latest.get(thread.caseId) ?? 0n) > thread.postedEventId;
        if (!stale && !behind) continue;
        const events = behind
          ? await db.caseEvent.findMany({
              where: { caseId: thread.caseId, id: { gt: thread.postedEventId } },
              orderBy: { id: 'asc' },
              take: 20,
            })
          : [];
        const lease = await db.caseThread.updateMany({
          where: { id: thread.id, nextAttemptAt: { lte: now } },
          data: { nextAttemptAt: new Date(now.getTime() + LEASE_MS) },
        });
        if (lease.count === 0) continue;
        try {
          const details = await caseDetails(db, thread.caseId);
          let { messageId, threadId } = thread;
          if (messageId === null) {
            messageId = await this.poster.post(thread.channelId, caseCard(details));
            threadId = await this.poster.startThread(
              thread.channelId,
              messageId,
              `Case ${details.id}: ${details.title}`,
            );
            await db.caseThread.update({
              where: { id: thread.id },
              data: { messageId, threadId, renderedVersion: details.version },
            });
          } else if (thread.renderedVersion < details.version) {
            await this.poster.edit(thread.channelId, messageId, caseCard(details));
            await db.caseThread.update({
              where: { id: thread.id },
              data: { renderedVersion: details.version },
            });
          }
          const names = new Map(details.events.map((event) => [event.id, event.actor]));
          for (const event of events) {
            await this.poster.post(
              thread.channelId,
              await this.eventView(event, names.get(event.id) ?? null, thread.workspaceId),
              threadId ?? undefined,
            );
            await db.caseThread.update({ where: { id: thread.id }, data: { postedEventId: event.id } });
          }
          await db.caseThread.update({ where: { id: thread.id }, data: { attempts: 0, nextAttemptAt: now } });
        } catch (error) {
          const delay = retryDelay(thread.attempts, 600_000);
          this.app.logger.warn(
            {
              platform: this.platform,
              case: thread.caseId,
              err: error instanceof Error ? error.message : String(error),
            },
            'case thread update failed',
          );
          await db.caseThread.update({
            where: { id: thread.id },
            data: { attempts: { increment: 1 }, nextAttemptAt: new Date(now.getTime() + delay) },
          });
        }
      }
    } catch (error) {
      this.app.logger.error(
        { platform: this.platform, err: error instanceof Error ? error.message : String(error) },
        'case publishing failed',
      );
    }
  }

  private async eventView(
    event: { kind: string; summary: string; data: unknown },
    actor: string | null,
    workspaceId: string,
  ): Promise<View> {
    const data = (event.data ?? {}) as { match?: number; ping?: number[] };
    let ping: string[] = [];
    if (data.ping?.length) {
      const identities = await this.app.database.prisma.platformIdentity.findMany({
        where: { platform: this.platform, workspaceId, memberId: { in: data.ping } },
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
}
