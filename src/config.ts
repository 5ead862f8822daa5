import { join, resolve } from 'node:path';
import { validate as validCron } from 'node-cron';
import { z } from 'zod';
import { parseKey } from './domain/crypto.ts';
import { packageFile } from './paths.ts';
import { DEFAULT_OFAC_BASE_URL } from './sanctions/source.ts';

/** A configuration problem, reported to the operator as one line before the process exits. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const emptyAsUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());

const postgresUrl = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .refine(
      (value) => /^postgres(ql)?:\/\/.+/.test(value) && URL.canParse(value),
      'a postgresql://user@host:port/database URL',
    )
    .optional(),
);

const idList = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .regex(
      /^(?:[A-Za-z0-9]+:)?[A-Za-z0-9]+(\s*,\s*(?:[A-Za-z0-9]+:)?[A-Za-z0-9]+)*$/,
      'a comma-separated list of WORKSPACE:USER ids (or USER ids, bound to the home workspace)',
    )
    .optional(),
);

const httpUrl = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .refine((value) => /^https?:\/\/[^\s]+$/.test(value), 'an http:// or https:// URL')
    .optional(),
);

function snowflake(expected: string) {
  return z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^\d{5,25}$/, expected)
      .optional(),
  );
}

/**
 * Where each other government's list is fetched from, and when: `<CODE>_LIST_URL`, `<CODE>_CHECK_CRON`
 * (`off` allowed), as OFAC_BASE_URL and OFAC_CHECK_CRON are for OFAC's.
 */
/** The country groups shipped with the bot, for the coalition to edit (or replace with its own file). */
export const DEFAULT_COUNTRY_GROUPS = packageFile('src/sanctions/country-groups.json');

export const LIST_SOURCES = {
  uk: {
    // The FCDO's UK Sanctions List export. Its address is not one we could confirm from here, and the
    // full XML is a layout we have not seen a real file of: no scheduled check unless configured.
    url: 'https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.ods',
    cron: 'off',
  },
  ca: {
    url: 'https://www.international.gc.ca/world-monde/assets/office_docs/international_relations-relations_internationales/sanctions/sema-lmes.xml',
    cron: '10 */6 * * *',
  },
  au: {
    url: 'https://www.dfat.gov.au/sites/default/files/regulation8_consolidated.xlsx',
    cron: '20 */6 * * *',
  },
  eu: {
    url: 'https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw',
    cron: '40 */6 * * *',
  },
} as const;

function listSourceVariables() {
  const variables: Record<string, z.ZodType> = {};
  for (const [code, defaults] of Object.entries(LIST_SOURCES)) {
    variables[`${code.toUpperCase()}_LIST_URL`] = z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .refine((value) => /^https?:\/\/[^\s]+$/.test(value), 'an http:// or https:// URL')
        .default(defaults.url),
    );
    variables[`${code.toUpperCase()}_CHECK_CRON`] = z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .refine((value) => value === 'off' || validCron(value), 'a cron expression like 10 */6 * * *, or off')
        .default(defaults.cron),
    );
  }
  return variables as Record<
    `${Uppercase<keyof typeof LIST_SOURCES>}_${'LIST_URL' | 'CHECK_CRON'}`,
    z.ZodType<string>
  >;
}

function validKey(value: string): boolean {
  try {
    parseKey(value);
    return true;
  } catch {
    return false;
  }
}

const envSchema = z
  .object({
    DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./data')),
    DATABASE_URL: postgresUrl,
    LOG_LEVEL: z.preprocess(
      emptyAsUndefined,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
    ),
    CONSOLE_USER: optionalString,
    PAGE_SIZE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(50).default(10)),
    EXTRA_PROGRAMS: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9 -]+(,[A-Za-z0-9 -]+)*$/, 'a comma-separated list of OFAC program tags')
        .optional(),
    ),
    PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
    OFAC_BASE_URL: httpUrl,
    OFAC_CHECK_CRON: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .refine((value) => value === 'off' || validCron(value), 'a cron expression like */30 * * * *, or off')
        .default('*/30 * * * *'),
    ),
    OFAC_FILES: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(
          /^(SDN\.CSV(,ALT\.CSV)?(,ADD\.CSV)?|SDN\.XML)$/,
          'SDN.CSV, optionally with ,ALT.CSV and ,ADD.CSV; or SDN.XML',
        )
        .default('SDN.CSV,ALT.CSV,ADD.CSV'),
    ),
    ...listSourceVariables(),
    COUNTRY_GROUPS_FILE: z.preprocess(emptyAsUndefined, z.string().optional()),
    OFAC_TIMEOUT_SECONDS: z.preprocess(
      emptyAsUndefined,
      z.coerce.number().int().min(1).max(3600).default(120),
    ),
    ENCRYPTION_KEY: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .refine(validKey, '32 random bytes as 64 hex digits or base64 (openssl rand -base64 32)')
        .optional(),
    ),
    ENCRYPTION_KEY_PREVIOUS: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .refine(
          (value) => value.split(',').every(validKey),
          'a comma-separated list of former ENCRYPTION_KEY values',
        )
        .optional(),
    ),
    WRITES_PER_MINUTE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(10_000).default(30)),
    EVIDENCE_DIR: optionalString,
    EVIDENCE_MAX_MB: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(1000).default(25)),
    CASE_STALE_DAYS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(365).default(14)),
    CASE_FOLLOWUP_DAYS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(730).default(30)),
    SANCTIONS_HOLD_SHARE: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).max(1).default(0.1)),
    SLACK_BOT_TOKEN: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^xoxb-\S+$/, 'a bot token starting with xoxb-')
        .optional(),
    ),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^xapp-\S+$/, 'an app-level token starting with xapp-')
        .optional(),
    ),
    SLACK_API_URL: httpUrl,
    SLACK_ADMIN_USER_IDS: idList,
    SLACK_COMMAND_PREFIX: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^[a-z][a-z0-9_-]{0,11}$/, 'lowercase letters, digits, - or _, such as cb-')
        .optional(),
    ),
    DISCORD_TOKEN: optionalString,
    DISCORD_APPLICATION_ID: snowflake('an application id (digits)'),
    DISCORD_GUILD_ID: snowflake('a server (guild) id (digits)'),
    DISCORD_API_URL: httpUrl,
    DISCORD_ADMIN_USER_IDS: idList,
  })
  .superRefine((env, context) => {
    const slackVariables = [
      'SLACK_SIGNING_SECRET',
      'SLACK_APP_TOKEN',
      'SLACK_API_URL',
      'SLACK_ADMIN_USER_IDS',
      'SLACK_COMMAND_PREFIX',
    ] as const;
    const orphan = slackVariables.find((name) => env[name] !== undefined);
    if (!env.SLACK_BOT_TOKEN && orphan) {
      context.addIssue({
        code: 'custom',
        path: ['SLACK_BOT_TOKEN'],
        message: `set when ${orphan} is (the Slack adapter needs its bot token)`,
      });
    }
    const discordVariables = [
      'DISCORD_APPLICATION_ID',
      'DISCORD_GUILD_ID',
      'DISCORD_API_URL',
      'DISCORD_ADMIN_USER_IDS',
    ] as const;
    const discordOrphan = discordVariables.find((name) => env[name] !== undefined);
    if (!env.DISCORD_TOKEN && discordOrphan && discordOrphan !== 'DISCORD_APPLICATION_ID') {
      context.addIssue({
        code: 'custom',
        path: ['DISCORD_TOKEN'],
        message: `set when ${discordOrphan} is (the Discord adapter needs its bot token)`,
      });
    }
    if (env.DISCORD_TOKEN && !env.DISCORD_APPLICATION_ID) {
      context.addIssue({
        code: 'custom',
        path: ['DISCORD_APPLICATION_ID'],
        message: "set with DISCORD_TOKEN (the application's id, from the Discord developer portal)",
      });
    }
    if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
      context.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: 'set for Slack HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
      });
    }
  });

export type Config = {
  dataDir: string;
  databaseUrl: string | undefined;
  /** Unset: info, or warn in an interactive console so logs do not interleave with the conversation. */
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  consoleUser: string | undefined;
  pageSize: number;
  extraPrograms: string[];
  port: number;
  /** A publication removing more than this share of the list is held for an admin. */
  sanctionsHoldShare: number;
  /** AES-256-GCM key for sensitive fields, and former keys still accepted until `keys rotate`. */
  encryption: { key: Buffer | undefined; previous: Buffer[] };
  /** Commands that change something, per member per minute. */
  writesPerMinute: number;
  /** Reminders in case threads: after this many quiet days, and for unanswered submissions. */
  cases: { staleDays: number; followUpDays: number };
  ofac: {
    baseUrl: string;
    /** undefined: no scheduled check (OFAC_CHECK_CRON=off). */
    checkCron: string | undefined;
    files: string[];
    timeoutMs: number;
  };
  /** Named country groups for statistics: the file's path (JSON: group name -> countries). */
  countryGroupsFile: string;
  /** Evidence files: the directory they are kept in, and the largest accepted. */
  evidence: { dir: string; maxBytes: number };
  /** The other governments' lists: where each is fetched from, and when (undefined: never). */
  lists: Record<keyof typeof LIST_SOURCES, { url: string; checkCron: string | undefined }>;
  slack: SlackConfig | undefined;
  discord: DiscordConfig | undefined;
  /** Application id for `npm run discord:register`, which needs no running bot. */
  discordApplicationId: string | undefined;
};

export type DiscordConfig = {
  token: string;
  applicationId: string;
  guildId: string | undefined;
  apiUrl: string | undefined;
  adminUserIds: string[];
};

export type SlackConfig = {
  botToken: string;
  signingSecret: string | undefined;
  appToken: string | undefined;
  apiUrl: string | undefined;
  adminUserIds: string[];
  /** Put before every slash command (`/cb-vote`) where `/vote` or `/help` clash with other apps. */
  commandPrefix?: string | undefined;
};

const splitIds = (value: string | undefined) =>
  value
    ?.split(',')
    .map((id) => id.trim())
    .filter(Boolean) ?? [];

/** Reads and validates the environment. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = issue?.path.join('.') ?? 'environment';
    const expected = describeExpectation(issue);
    throw new ConfigError(`Invalid configuration: ${variable} must be ${expected}.`);
  }
  const value = parsed.data;
  return {
    dataDir: resolve(value.DATA_DIR),
    databaseUrl: value.DATABASE_URL,
    logLevel: value.LOG_LEVEL,
    consoleUser: value.CONSOLE_USER,
    pageSize: value.PAGE_SIZE,
    extraPrograms: value.EXTRA_PROGRAMS?.split(',').map((tag) => tag.trim()) ?? [],
    port: value.PORT,
    sanctionsHoldShare: value.SANCTIONS_HOLD_SHARE,
    encryption: {
      key: value.ENCRYPTION_KEY ? parseKey(value.ENCRYPTION_KEY) : undefined,
      previous: value.ENCRYPTION_KEY_PREVIOUS?.split(',').map(parseKey) ?? [],
    },
    writesPerMinute: value.WRITES_PER_MINUTE,
    cases: { staleDays: value.CASE_STALE_DAYS, followUpDays: value.CASE_FOLLOWUP_DAYS },
    ofac: {
      baseUrl: value.OFAC_BASE_URL ?? DEFAULT_OFAC_BASE_URL,
      checkCron: value.OFAC_CHECK_CRON === 'off' ? undefined : value.OFAC_CHECK_CRON,
      files: value.OFAC_FILES.split(','),
      timeoutMs: value.OFAC_TIMEOUT_SECONDS * 1000,
    },
    countryGroupsFile: resolve(value.COUNTRY_GROUPS_FILE ?? DEFAULT_COUNTRY_GROUPS),
    evidence: {
      dir: resolve(value.EVIDENCE_DIR ?? join(value.DATA_DIR, 'evidence')),
      maxBytes: value.EVIDENCE_MAX_MB * 1_048_576,
    },
    lists: Object.fromEntries(
      (Object.keys(LIST_SOURCES) as Array<keyof typeof LIST_SOURCES>).map((code) => {
        const cron = value[`${code.toUpperCase() as Uppercase<typeof code>}_CHECK_CRON`];
        return [
          code,
          {
            url: value[`${code.toUpperCase() as Uppercase<typeof code>}_LIST_URL`],
            checkCron: cron === 'off' ? undefined : cron,
          },
        ];
      }),
    ) as Config['lists'],
    slack: value.SLACK_BOT_TOKEN
      ? {
          botToken: value.SLACK_BOT_TOKEN,
          signingSecret: value.SLACK_SIGNING_SECRET,
          appToken: value.SLACK_APP_TOKEN,
          apiUrl: value.SLACK_API_URL,
          adminUserIds: splitIds(value.SLACK_ADMIN_USER_IDS),
          commandPrefix: value.SLACK_COMMAND_PREFIX ?? '',
        }
      : undefined,
    discord:
      value.DISCORD_TOKEN && value.DISCORD_APPLICATION_ID
        ? {
            token: value.DISCORD_TOKEN,
            applicationId: value.DISCORD_APPLICATION_ID,
            guildId: value.DISCORD_GUILD_ID,
            apiUrl: value.DISCORD_API_URL,
            adminUserIds: splitIds(value.DISCORD_ADMIN_USER_IDS),
          }
        : undefined,
    discordApplicationId: value.DISCORD_APPLICATION_ID,
  };
}

function describeExpectation(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'valid';
  switch (issue.code) {
    case 'invalid_value':
      return `one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      return `at least ${String(issue.minimum)}`;
    case 'too_big':
      return `at most ${String(issue.maximum)}`;
    case 'invalid_type':
      return `a ${issue.expected}`;
    default:
      return issue.message;
  }
}
