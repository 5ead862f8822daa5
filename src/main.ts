import { userInfo } from 'node:os';
import { type App, openApp } from './app.ts';
import { loadConfig } from './config.ts';
import { ensureConsoleAdmin } from './domain/members.ts';
import { createLogger } from './log.ts';
import { operatorMessage } from './operator-errors.ts';
import { startConsole } from './platforms/console/adapter.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const interactive = Boolean(process.stdin.isTTY);
  const logger = createLogger(config.logLevel ?? (interactive ? 'warn' : 'info'));
  const app: App = await openApp(config, logger);

  const actor = await ensureConsoleAdmin(app.database.prisma, config.consoleUser ?? userInfo().username);
  const session = startConsole({
    app,
    actor,
    input: process.stdin,
    output: process.stdout,
    interactive,
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(130);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    session.stop();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  await session.done;
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
