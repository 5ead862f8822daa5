import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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
      port: 3000,
      sanctionsHoldShare: 0.1,
      encryption: { key: undefined, previous: [] },
      writesPerMinute: 30,
      cases: { staleDays: 14, followUpDays: 30 },
      ofac: {
        baseUrl: 'https://sanctionslistservice.ofac.treas.gov',
        checkCron: '*/30 * * * *',
        files: ['SDN.CSV', 'ALT.CSV', 'ADD.CSV'],
        timeoutMs: 120_000,
      },
      countryGroupsFile: fileURLToPath(new URL('../src/sanctions/country-groups.json', import.meta.url)),
      evidence: { dir: resolve('./data/evidence'), maxBytes: 25 * 1_048_576 },
      lists: {
        uk: { url: 'https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.ods', checkCron: undefined },
        ca: {
          url: 'https://www.international.gc.ca/world-monde/assets/office_docs/international_relations-relations_internationales/sanctions/sema-lmes.xml',
          checkCron: '10 */6 * * *',
        },
        au: {
          url: 'https://www.dfat.gov.au/sites/default/files/regulation8_consolidated.xlsx',
          checkCron: '20 */6 * * *',
        },
        eu: {
          url: 'https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw',
          checkCron: '40 */6 * * *',
        },
      },
      slack: undefined,
    });
    expect(() => loadConfig({ CA_CHECK_CRON: 'every hour' })).toThrow(
      'Invalid configuration: CA_CHECK_CRON must be a cron expression like 10 */6 * * *, or off.',
    );
    expect(
      loadConfig({ UK_CHECK_CRON: '0 6 * * *', UK_LIST_URL: 'https://example.org/uk.ods' }).lists.uk,
    ).toEqual({
      url: 'https://example.org/uk.ods',
      checkCron: '0 6 * * *',
    });
    expect(loadConfig({ OFAC_CHECK_CRON: 'off', OFAC_FILES: 'SDN.XML' }).ofac).toMatchObject({
      checkCron: undefined,
      files: ['SDN.XML'],
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
    [{ EVIDENCE_MAX_MB: '0' }, 'Invalid configuration: EVIDENCE_MAX_MB must be at least 1.'],
    [
      { OFAC_CHECK_CRON: 'every half hour' },
      'Invalid configuration: OFAC_CHECK_CRON must be a cron expression like */30 * * * *, or off.',
    ],
    [
      { OFAC_FILES: 'SDN.CSV,CONSOLIDATED.XML' },
      'Invalid configuration: OFAC_FILES must be SDN.CSV, optionally with ,ALT.CSV and ,ADD.CSV; or SDN.XML.',
    ],
    [
      { OFAC_BASE_URL: 'ftp://ofac' },
      'Invalid configuration: OFAC_BASE_URL must be an http:// or https:// URL.',
    ],
  ])('stops on %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('Slack configuration', () => {
  it('is off without a bot token, and complete with one', () => {
    expect(loadConfig({}).slack).toBeUndefined();
    expect(
      loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_SIGNING_SECRET: 's',
        SLACK_API_URL: 'http://127.0.0.1:9/api/',
        SLACK_ADMIN_USER_IDS: 'U1, U2',
        PORT: '8080',
      }),
    ).toMatchObject({
      port: 8080,
      slack: {
        botToken: 'xoxb-1',
        signingSecret: 's',
        apiUrl: 'http://127.0.0.1:9/api/',
        adminUserIds: ['U1', 'U2'],
      },
    });
    expect(
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_COMMAND_PREFIX: 'cb-' }).slack
        ?.commandPrefix,
    ).toBe('cb-');
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack?.appToken).toBe(
      'xapp-1',
    );
  });

  it.each([
    [
      { SLACK_BOT_TOKEN: 'xoxb-1' },
      'SLACK_SIGNING_SECRET must be set for Slack HTTP mode (or set SLACK_APP_TOKEN for Socket Mode).',
    ],
    [
      { SLACK_SIGNING_SECRET: 's' },
      'SLACK_BOT_TOKEN must be set when SLACK_SIGNING_SECRET is (the Slack adapter needs its bot token).',
    ],
    [
      { SLACK_BOT_TOKEN: 'xoxp-user', SLACK_SIGNING_SECRET: 's' },
      'SLACK_BOT_TOKEN must be a bot token starting with xoxb-.',
    ],
    [
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'nope' },
      'SLACK_APP_TOKEN must be an app-level token starting with xapp-.',
    ],
    [
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_COMMAND_PREFIX: '/CB' },
      'SLACK_COMMAND_PREFIX must be lowercase letters, digits, - or _, such as cb-.',
    ],
    [{ PORT: '70000' }, 'PORT must be at most 65535.'],
  ])('stops on %o with one line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(`Invalid configuration: ${message}`);
  });
});

describe('Discord configuration', () => {
  it('is on with a token and an application id', () => {
    expect(loadConfig({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '100000000000000001' }).discord).toEqual({
      token: 't',
      applicationId: '100000000000000001',
      guildId: undefined,
      apiUrl: undefined,
      adminUserIds: [],
    });
    expect(loadConfig({}).discord).toBeUndefined();
  });

  it.each([
    [
      { DISCORD_TOKEN: 't' },
      "DISCORD_APPLICATION_ID must be set with DISCORD_TOKEN (the application's id, from the Discord developer portal).",
    ],
    [
      { DISCORD_GUILD_ID: '200000000000000002' },
      'DISCORD_TOKEN must be set when DISCORD_GUILD_ID is (the Discord adapter needs its bot token).',
    ],
    [
      { DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: 'abc' },
      'DISCORD_APPLICATION_ID must be an application id (digits).',
    ],
  ])('stops on %o with one line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(`Invalid configuration: ${message}`);
  });
});
