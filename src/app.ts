import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { registry as defaultRegistry } from '../commands/index.ts';
import type { CommandContext, Registry } from './chat/command.ts';
import { executeCommand } from './chat/dispatch.ts';
import { RateLimiter } from './chat/rate-limit.ts';
import { RefusalAudit } from './chat/refusal-audit.ts';
import { type Config, ConfigError } from './config.ts';
import { type Database, type DatabaseOptions, openDatabase, postgresOptions } from './db/client.ts';
import { migrate } from './db/migrator.ts';
import { configureEncryption } from './domain/crypto.ts';
import { checkEncryptionKeys } from './domain/keys.ts';
import type { Actor } from './domain/tx.ts';
import { EvidenceStore } from './files/evidence-store.ts';
import type { Platform } from './generated/prisma/enums.ts';
import type { Logger } from './log.ts';
import type { Invocation, View } from './messages.ts';
import type { CountryGroups } from './sanctions/mirror.ts';
import { type ProgramCatalogue, programCatalogue } from './sanctions/programs.ts';

/** Everything a running bot shares between its adapters. */
export type App = {
  config: Config;
  logger: Logger;
  database: Database;
  registry: Registry;
  programs: ProgramCatalogue;
  /** Where evidence files are checked, hashed and kept. */
  evidence: EvidenceStore;
  now: () => Date;
  contextFor(actor: Actor, platform: Platform, channel?: CommandContext['channel']): CommandContext;
  /** Runs one command for `actor` and wakes the outbox workers for anything it queued. */
  execute(
    invocation: Invocation,
    actor: Actor,
    platform: Platform,
    channel?: CommandContext['channel'],
  ): Promise<View>;
  /** Tells outbox workers that messages may be waiting (after any command that could queue one). */
  notifyOutbox(): void;
  onOutbox(listener: () => void): () => void;
  close(): Promise<void>;
};

export function databaseOptions(config: Config): DatabaseOptions {
  return config.databaseUrl
    ? postgresOptions(config.databaseUrl)
    : { kind: 'embedded', dataDir: config.dataDir };
}

export async function openApp(
  config: Config,
  logger: Logger,
  overrides: { database?: Database; now?: () => Date; registry?: Registry } = {},
): Promise<App> {
  configureEncryption(config.encryption.key, config.encryption.previous);
  const database = overrides.database ?? (await openDatabase(databaseOptions(config)));
  try {
    const { applied } = await migrate(database.sql);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
    await checkEncryptionKeys(database.prisma);
  } catch (error) {
    await database.close();
    throw error;
  }
  logger.info({ database: database.kind }, 'database ready');
  const countryGroups = await loadCountryGroups(config.countryGroupsFile).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  const registry = overrides.registry ?? defaultRegistry;
  const programs = programCatalogue(config.extraPrograms);
  const now = overrides.now ?? (() => new Date());
  const events = new EventEmitter();
  const writes = new RateLimiter(config.writesPerMinute);
  const refusals = new RefusalAudit(logger);
  const contextFor = (
    actor: Actor,
    platform: Platform,
    channel?: CommandContext['channel'],
  ): CommandContext => ({
    db: database.prisma,
    actor,
    platform,
    ...(channel ? { channel } : {}),
    now,
    pageSize: config.pageSize,
    programs,
    registry,
    countryGroups,
  });
  return {
    config,
    logger,
    database,
    registry,
    programs,
    evidence: new EvidenceStore(config.evidence.dir, config.evidence.maxBytes),
    now,
    contextFor,
    async execute(invocation, actor, platform, channel) {
      const view = await executeCommand(invocation, contextFor(actor, platform, channel), {
        logger: logger.child({ platform }),
        writes,
        refusals,
      });
      events.emit('outbox');
      return view;
    },
    notifyOutbox() {
      events.emit('outbox');
    },
    onOutbox(listener) {
      events.on('outbox', listener);
      return () => events.off('outbox', listener);
    },
    async close() {
      await refusals.flush();
      await database.close();
    },
  };
}

/** The coalition's country groups: a JSON object of group name -> countries; `_` keys are notes. */
async function loadCountryGroups(path: string): Promise<CountryGroups> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(
      `COUNTRY_GROUPS_FILE: cannot read ${path} as JSON (${(error as Error).message.split('\n')[0]}).`,
    );
  }
  const groups: CountryGroups = {};
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ConfigError(
      `COUNTRY_GROUPS_FILE: ${path} must hold an object of group name -> list of countries.`,
    );
  for (const [name, countries] of Object.entries(parsed)) {
    if (name.startsWith('_')) continue;
    if (!Array.isArray(countries) || !countries.every((country) => typeof country === 'string'))
      throw new ConfigError(`COUNTRY_GROUPS_FILE: the group "${name}" must be a list of country names.`);
    groups[name] = countries;
  }
  return groups;
}
