import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stderr, so stdout stays the console adapter's conversation.
 * Target details never go to logs at info level: log ids and counts, not names.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['*.token', '*.password', '*.databaseUrl', '*.connectionString', 'config.databaseUrl'],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination({ fd: 2, sync: true }),
  );
}
