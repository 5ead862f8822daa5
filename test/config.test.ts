import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('loadConfig', () => {
  it('has working defaults with an empty environment', () => {
    expect(loadConfig({})).toEqual({
      dataDir: resolve('./data'),
      databaseUrl: undefined,
      logLevel: undefined,
      consoleUser: undefined,
      pageSize: 10,
      extraPrograms: [],
    });
  });

  it('reads every variable, treating empty values as unset', () => {
    const config = loadConfig({
      DATA_DIR: '/var/lib/bot',
      DATABASE_URL: 'postgresql://bot@db:5432/coalition',
      LOG_LEVEL: 'debug',
      CONSOLE_USER: 'ops',
      PAGE_SIZE: '25',
      EXTRA_PROGRAMS: 'NEW-EO1, OTHER',
    });
    expect(config).toMatchObject({
      dataDir: '/var/lib/bot',
      databaseUrl: 'postgresql://bot@db:5432/coalition',
      logLevel: 'debug',
      pageSize: 25,
      extraPrograms: ['NEW-EO1', 'OTHER'],
    });
    expect(loadConfig({ DATABASE_URL: '', LOG_LEVEL: '' }).databaseUrl).toBeUndefined();
  });

  it.each([
    [
      { DATABASE_URL: 'mysql://x' },
      'Invalid configuration: DATABASE_URL must be a postgresql://user@host:port/database URL.',
    ],
    [
      { LOG_LEVEL: 'loud' },
      'Invalid configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent.',
    ],
    [{ PAGE_SIZE: '500' }, 'Invalid configuration: PAGE_SIZE must be at most 50.'],
    [{ PAGE_SIZE: 'ten' }, 'Invalid configuration: PAGE_SIZE must be a number.'],
  ])('stops on %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
