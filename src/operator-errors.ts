import { ConfigError } from './config.ts';
import { BackupError } from './db/backup.ts';
import { DatabaseLockedError, DatabaseUnavailableError } from './db/client.ts';
import { MigrationError } from './db/migrator.ts';
import { EncryptionError } from './domain/crypto.ts';
import { SnapshotError } from './sanctions/csv.ts';

/** Problems an operator fixes from one line of text: printed alone, with no stack trace. */
export function operatorMessage(error: unknown): string | undefined {
  const known = [
    ConfigError,
    MigrationError,
    DatabaseLockedError,
    DatabaseUnavailableError,
    SnapshotError,
    EncryptionError,
    BackupError,
  ].some((type) => error instanceof type);
  return known ? (error as Error).message : undefined;
}
