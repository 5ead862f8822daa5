import { type ScheduledTask, schedule } from 'node-cron';
import type { App } from './app.ts';
import { vacuumEmbedded } from './db/maintenance.ts';
import { deliverDueDigests } from './digest/deliver.ts';
import { remindCases } from './domain/cases/reminders.ts';
import { forgetDeliveriesBefore } from './domain/deliveries.ts';
import { closeDuePolls, remindDuePolls } from './domain/polls/schedule.ts';
import { type AlliedList, syncList } from './sanctions/sources/sync.ts';
import { SOURCE, type SyncOutcome, syncSanctions } from './sanctions/sync.ts';

export type Scheduler = {
  /** Settles when the start-up work (first tick, start-up OFAC check) is done. */
  started: Promise<void>;
  tick(): Promise<void>;
  /** One check of the OFAC service, as the OFAC_CHECK_CRON schedule runs it. */
  syncSanctions(): Promise<SyncOutcome | undefined>;
  /** One check of another government's list, as its <CODE>_CHECK_CRON schedule runs it. */
  syncList(list: AlliedList): Promise<SyncOutcome | undefined>;
  /** The daily housekeeping, as HOUSEKEEPING_CRON runs it. */
  housekeeping(): Promise<{ forgotten: number; vacuumed: number } | undefined>;
  stop(): Promise<void>;
};

/** Slack retries a delivery for minutes, Discord after a reconnect: a day covers both. */
const RECEIPTS_KEPT_MS = 24 * 3_600_000;
const HOUSEKEEPING_CRON = '30 3 * * *';

/** A start-up check is skipped when the last one is more recent than this. */
const STARTUP_SYNC_AFTER_MS = 30 * 60_000;

/**
 * Time-driven work with node-cron. Every minute: closing polls, poll reminders, digests; the first
 * tick runs at start-up, so a poll whose closing time passed while the bot was down closes then.
 * On OFAC_CHECK_CRON: a check of the Sanctions List Service. Each job runs under a lock shared by
 * all replicas on the database, so two running bots do not both do the work.
 */
export function startScheduler(
  app: App,
  expression = '* * * * *',
  options: { startupSync?: boolean } = {},
): Scheduler {
  // Stopping aborts an OFAC download or backoff in progress instead of waiting minutes for it.
  const stopping = new AbortController();
  const tick = exclusive(app, 'scheduler', async () => {
    const db = app.database.prisma;
    const now = app.now();
    const closed = await closeDuePolls(db, now);
    const reminded = await remindDuePolls(db, now);
    const digests = await deliverDueDigests(db, now);
    const cases = await remindCases(db, now, app.config.cases);
    if (closed.length || reminded.length || digests.length || cases.length) {
      app.logger.info({ closed, reminded, digests: digests.length, caseReminders: cases }, 'scheduled work');
      app.notifyOutbox();
    }
  });
  const sync = exclusive(app, 'sanctions-sync', async () => {
    const { ofac, sanctionsHoldShare } = app.config;
    const outcome = await syncSanctions(app.database.prisma, {
      baseUrl: ofac.baseUrl,
      files: ofac.files,
      timeoutMs: ofac.timeoutMs,
      attempts: 4,
      backoffMs: 5_000,
      holdShare: sanctionsHoldShare,
      now: app.now(),
      signal: stopping.signal,
    });
    if (outcome.status === 'imported') {
      const { publicationId, publishedOn, status, added, removed, amended } = outcome.result;
      app.logger.info(
        { publicationId, publishedOn, status, added, removed, amended },
        'OFAC publication imported',
      );
    } else if (outcome.status === 'failed') {
      // The reason names files and HTTP statuses only: no list or target content reaches the log.
      app.logger.warn({ reason: outcome.reason, alerted: outcome.alerted }, 'OFAC check failed');
    } else {
      app.logger.debug({ reason: outcome.reason }, 'OFAC check: nothing new');
    }
    app.notifyOutbox();
    return outcome;
  });

  const listSyncs = (Object.keys(app.config.lists) as AlliedList[]).map((list) => {
    const source = app.config.lists[list];
    const run = exclusive(app, `list-sync-${list}`, async () => {
      const outcome = await syncList(app.database.prisma, list, {
        url: source.url,
        timeoutMs: app.config.ofac.timeoutMs,
        attempts: 4,
        backoffMs: 5_000,
        holdShare: app.config.sanctionsHoldShare,
        now: app.now(),
        signal: stopping.signal,
      });
      if (outcome.status === 'imported') {
        const { publicationId, publishedOn, status, added, removed, amended } = outcome.result;
        app.logger.info(
          { list, publicationId, publishedOn, status, added, removed, amended },
          'list publication imported',
        );
      } else if (outcome.status === 'failed') {
        app.logger.warn({ list, reason: outcome.reason, alerted: outcome.alerted }, 'list check failed');
      }
      app.notifyOutbox();
      return outcome;
    });
    return { list, cron: source.checkCron, run };
  });

  // Daily at a quiet hour: delivery receipts past any platform's retries, and (embedded) VACUUM.
  const housekeeping = exclusive(app, 'housekeeping', async () => {
    const forgotten = await forgetDeliveriesBefore(
      app.database.prisma,
      new Date(app.now().getTime() - RECEIPTS_KEPT_MS),
    );
    const vacuumed = await vacuumEmbedded(app.database);
    app.logger.info({ receiptsForgotten: forgotten, tablesVacuumed: vacuumed }, 'housekeeping');
    return { forgotten, vacuumed };
  });

  const tasks: ScheduledTask[] = [
    schedule(expression, () => tick(), { noOverlap: true }),
    schedule(HOUSEKEEPING_CRON, () => housekeeping(), { noOverlap: true }),
  ];
  for (const { cron, run } of listSyncs)
    if (cron) tasks.push(schedule(cron, () => run(), { noOverlap: true }));
  const startup: Array<Promise<unknown>> = [tick()];
  if (app.config.ofac.checkCron) {
    tasks.push(schedule(app.config.ofac.checkCron, () => sync(), { noOverlap: true }));
  }
  if (app.config.ofac.checkCron && options.startupSync !== false) {
    startup.push(
      app.database.prisma.sanctionsSource
        .findUnique({ where: { name: SOURCE } })
        .then((state) =>
          !state?.checkedAt || app.now().getTime() - state.checkedAt.getTime() > STARTUP_SYNC_AFTER_MS
            ? sync()
            : undefined,
        )
        .catch(() => undefined),
    );
  }
  return {
    started: Promise.all(startup).then(() => undefined),
    tick: async () => {
      await tick();
    },
    housekeeping,
    syncSanctions: sync,
    syncList: (list: AlliedList) =>
      listSyncs.find((item) => item.list === list)?.run() ?? Promise.resolve(undefined),
    async stop() {
      stopping.abort();
      for (const task of tasks) await task.stop();
      await Promise.all([
        ...startup,
        tick.running,
        sync.running,
        housekeeping.running,
        ...listSyncs.map(({ run }) => run.running),
      ]);
    },
  };
}

type Exclusive<T> = (() => Promise<T | undefined>) & { readonly running: Promise<unknown> | undefined };

/**
 * Runs `work` at most once at a time in this process, and not at all while another process holds
 * the database lock `name`. Errors are logged, never thrown into node-cron.
 */
function exclusive<T>(app: App, name: string, work: () => Promise<T>): Exclusive<T> {
  let running: Promise<T | undefined> | undefined;
  const run = () => {
    if (running) return running;
    running = (async () => {
      const release = await app.database.tryLock(name);
      if (!release) return undefined;
      try {
        return await work();
      } finally {
        await release();
      }
    })()
      .catch((error: unknown) => {
        app.logger.error(
          { job: name, err: error instanceof Error ? error.message : String(error) },
          'scheduled work failed',
        );
        return undefined;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  return Object.defineProperty(run, 'running', { get: () => running }) as Exclusive<T>;
}
