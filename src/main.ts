import { userInfo } from 'node:os';
import { openApp } from './app.ts';
import { loadConfig } from './config.ts';
import { ensureConsoleAdmin } from './domain/members.ts';
import { health, startHealthServer } from './health.ts';
import { createLogger } from './log.ts';
import { operatorMessage } from './operator-errors.ts';
import { startConsole } from './platforms/console/adapter.ts';
import { startScheduler } from './scheduler.ts';

type Running = { stop(): Promise<void> | void; done?: Promise<void> };

async function main(): Promise<void> {
  const config = loadConfig();
  const chatPlatforms = config.slack !== undefined || config.discord !== undefined;
  const interactive = Boolean(process.stdin.isTTY) && !chatPlatforms;
  const logger = createLogger(config.logLevel ?? (interactive ? 'warn' : 'info'));
  const app = await openApp(config, logger);

  // A database this process can no longer use (the embedded one failed to write) cannot be waited
  // out: answer what is in flight, then stop with one line rather than serve errors or hang.
  void app.database.fatal.then((error) => {
    logger.fatal({ err: error.message }, 'database failed: stopping');
    process.stderr.write(
      `coalition-bot: ${error.message} Stopping; free space (or raise the file size limit), then start again: the database recovers from its log.\n`,
    );
    setTimeout(() => process.exit(1), 500);
  });

  const running: Running[] = [];
  const checks = health(app);
  // Each platform's library is loaded only when it is configured: the console alone stays ~30 MB lighter.
  if (config.slack) {
    const { createSlackAdapter } = await import('./platforms/slack/adapter.ts');
    const slack = createSlackAdapter(app, config.slack, config.port, checks);
    await slack.start();
    running.push(slack);
  }
  if (config.discord) {
    const { createDiscordAdapter } = await import('./platforms/discord/adapter.ts');
    const discord = createDiscordAdapter(app, config.discord);
    await discord.start();
    running.push(discord);
  }
  // Slack's HTTP receiver serves the health routes on PORT; otherwise a small server of their own.
  if (chatPlatforms && !(config.slack && !config.slack.appToken)) {
    const server = await startHealthServer(checks, config.port);
    logger.info({ port: server.port }, 'health checks listening');
    running.push({ stop: () => server.close() });
  }
  if (!chatPlatforms) {
    const actor = await ensureConsoleAdmin(app.database.prisma, config.consoleUser ?? userInfo().username);
    const session = startConsole({ app, actor, input: process.stdin, output: process.stdout, interactive });
    running.push({
      async stop() {
        session.stop();
        await session.done; // the command in progress finishes before the database closes
      },
      done: session.done,
    });
  }

  // The local console does not reach out to OFAC at start-up; its cron check still runs.
  const scheduler = startScheduler(app, undefined, { startupSync: chatPlatforms });

  let stopping = false;
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting without waiting');
        process.exit(130);
      }
      stopping = true;
      checks.markStopping();
      logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  // The console ends on EOF too; chat adapters run until a signal.
  const consoleDone = running.find((item) => item.done)?.done;
  await Promise.race([stopped, ...(consoleDone ? [consoleDone] : [])]);
  await scheduler.stop();
  for (const item of running) await item.stop();
  await app.close();
  logger.info('stopped');
}

main().catch((error: unknown) => {
  const message = operatorMessage(error);
  if (message) {
    process.stderr.write(`coalition-bot: ${message}\n`);
  } else {
    process.stderr.write(
      `coalition-bot: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
  }
  process.exit(1);
});
