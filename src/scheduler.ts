import { type ScheduledTask, schedule } from 'node-cron';
import type { App } from './app.ts';
import { deliverDueDigests } from './digest/deliver.ts';
import { closeDuePolls, remindDuePolls } from './domain/polls/schedule.ts';

export type Scheduler = { tick(): Promise<void>; stop(): Promise<void> };

/**
 * Time-driven work, every minute with node-cron: closing polls, poll reminders, digests. The first
 * tick runs at start-up, so a poll whose closing time passed while the bot was down closes then.
 */
export function startScheduler(app: App, expression = '* * * * *'): Scheduler {
  let running: Promise<void> | undefined;
  const tick = async () => {
    if (running) return running;
    running = (async () => {
      const db = app.database.prisma;
      const now = app.now();
      const closed = await closeDuePolls(db, now);
      const reminded = await remindDuePolls(db, now);
      const digests = await deliverDueDigests(db, now);
      if (closed.length || reminded.length || digests.length) {
        app.logger.info({ closed, reminded, digests: digests.length }, 'scheduled work');
        app.notifyOutbox();
      }
    })()
      .catch((error: unknown) => {
        app.logger.error(
          { err: error instanceof Error ? error.message : String(error) },
          'scheduled work failed',
        );
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const task: ScheduledTask = schedule(expression, () => tick(), { noOverlap: true });
  const first = tick();
  return {
    tick,
    async stop() {
      await task.stop();
      await first;
      await running;
    },
  };
}
