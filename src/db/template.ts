import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliDecompress as brotliDecompressCallback } from 'node:zlib';
import { packageFile } from '../paths.ts';

const brotliDecompress = promisify(brotliDecompressCallback);

/** The initdb output shipped with the package (scripts/make-pgdata-template.mjs). */
export const PGDATA_TEMPLATE = packageFile('prisma/pgdata-template.tar.br');

/** The shipped template as the tarball PGlite's `loadDataDir` takes (an in-memory database). */
export async function shippedTemplate(): Promise<Blob> {
  return new Blob([await brotliDecompress(await readFile(PGDATA_TEMPLATE))]);
}

/**
 * Writes the shipped template into `pgdata` (which must not exist or be empty), file by file.
 * PGlite's own `loadDataDir` would hold the archive several times over inside its WebAssembly
 * memory, which keeps the pages: a first start peaked over 400 MB that way. The archive is the plain
 * ustar PGlite dumps (directories and regular files only); anything else, or a path leaving
 * `pgdata`, means it is not ours and nothing is written.
 */
export async function unpackTemplate(pgdata: string, archive: string = PGDATA_TEMPLATE): Promise<void> {
  const tar = await brotliDecompress(await readFile(archive));
  const entries: Array<{ path: string; kind: 'file' | 'dir'; mode: number; data: Buffer }> = [];
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const text = (from: number, length: number) =>
      header
        .subarray(from, from + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const name = `${text(345, 155)}${text(0, 100)}`;
    const size = Number.parseInt(text(124, 12).trim() || '0', 8);
    const mode = Number.parseInt(text(100, 8).trim() || '600', 8);
    const type = text(156, 1) || '0';
    const path = normalize(name.replace(/^\/+/, ''));
    if (isAbsolute(path) || path === '..' || path.startsWith(`..${sep}`) || !Number.isFinite(size)) {
      throw new Error(`${archive}: unexpected entry ${JSON.stringify(name)}`);
    }
    if (type !== '0' && type !== '5')
      throw new Error(`${archive}: unexpected entry type ${type} for ${name}`);
    const start = offset + 512;
    entries.push({
      path,
      kind: type === '5' ? 'dir' : 'file',
      mode,
      data: tar.subarray(start, start + size),
    });
    offset = start + Math.ceil(size / 512) * 512;
  }
  try {
    await mkdir(pgdata, { recursive: true, mode: 0o700 });
    for (const entry of entries) {
      const target = join(pgdata, entry.path);
      if (entry.kind === 'dir') await mkdir(target, { recursive: true, mode: entry.mode });
      else await writeFile(target, entry.data, { mode: entry.mode });
    }
  } catch (error) {
    // Half a data directory would pass for a database at the next start: none at all is safer.
    await rm(pgdata, { recursive: true, force: true });
    throw error;
  }
}
