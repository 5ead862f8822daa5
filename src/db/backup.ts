import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

const gunzipAsync = promisify(gunzip);

export class BackupError extends Error {
  override readonly name = 'BackupError';
}

/** Files without which a data directory is no PostgreSQL database at all. */
const REQUIRED = ['PG_VERSION', 'global/pg_control'];

/**
 * Reads a whole `db backup` archive (PGlite's gzipped tar of the data directory) before anything is
 * touched: the gzip stream must be complete and its checksum right, every tar header's checksum
 * must match and every entry must lie inside the archive, and the files that make a PostgreSQL data
 * directory must be there. A truncated download or a wrong file is refused here, in one line.
 */
export async function verifyBackup(bytes: Buffer, name: string): Promise<{ files: number }> {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b)
    throw new BackupError(`${name} is not a backup made by db backup (not gzip data); nothing was changed.`);
  let tar: Buffer;
  try {
    tar = await gunzipAsync(bytes);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'Z_BUF_ERROR' ? 'it is cut short' : 'it is damaged';
    throw new BackupError(`${name} cannot be restored: ${reason}; nothing was changed.`);
  }
  const names = new Set<string>();
  let offset = 0;
  for (;;) {
    if (offset + 512 > tar.length)
      throw new BackupError(`${name} cannot be restored: the archive is cut short; nothing was changed.`);
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    if (!validChecksum(header))
      throw new BackupError(`${name} cannot be restored: the archive is damaged; nothing was changed.`);
    const size = Number.parseInt(field(header, 124, 12) || '0', 8);
    const body = Math.ceil(size / 512) * 512;
    if (!Number.isFinite(size) || offset + 512 + body > tar.length)
      throw new BackupError(`${name} cannot be restored: the archive is cut short; nothing was changed.`);
    const prefix = field(header, 345, 155);
    names.add(`${prefix ? `${prefix}/` : ''}${field(header, 0, 100)}`.replace(/^\.?\/+/, ''));
    offset += 512 + body;
  }
  const missing = REQUIRED.filter((file) => !names.has(file));
  if (missing.length)
    throw new BackupError(
      `${name} is not a database backup (no ${missing.join(', ')}); nothing was changed.`,
    );
  return { files: names.size };
}

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw
    .subarray(0, end < 0 ? length : end)
    .toString('utf8')
    .trim();
}

function validChecksum(header: Buffer): boolean {
  const stored = Number.parseInt(field(header, 148, 8), 8);
  let sum = 0;
  for (let index = 0; index < 512; index++) sum += index >= 148 && index < 156 ? 0x20 : (header[index] ?? 0);
  return stored === sum;
}
