import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../domain/errors.ts';
import { evidenceType, type ReceivedFile, refuseSize, refuseType } from '../domain/evidence-files.ts';

/**
 * Where evidence files are kept: a directory (EVIDENCE_DIR), each file under its SHA-256, so the
 * same file sent twice is kept once and a stored file can be checked against its name at any time.
 */
export class EvidenceStore {
  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  pathOf(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    return stat(this.pathOf(sha256)).then(
      () => true,
      () => false,
    );
  }

  /** Checks, hashes and keeps a file's bytes; refuses a file too large or of a refused kind. */
  async keep(name: string, bytes: Buffer): Promise<ReceivedFile> {
    if (bytes.length > this.maxBytes) refuseSize(name, bytes.length, this.maxBytes);
    const type = evidenceType(bytes, name) ?? refuseType(name);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const path = this.pathOf(sha256);
    if (!(await this.has(sha256))) {
      await mkdir(join(this.dir, sha256.slice(0, 2)), { recursive: true });
      // Written whole then renamed: a crash leaves no half file under a real hash.
      const partial = `${path}.${randomBytes(4).toString('hex')}.partial`;
      try {
        await writeFile(partial, bytes, { flag: 'wx' });
        await rename(partial, path);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    }
    return { sha256, size: bytes.length, type, name: cleanName(name) };
  }

  /**
   * Downloads a file a platform holds (`headers`: its credentials, such as Slack's bot token) and
   * keeps it. The size the platform states is checked first; the download stops as soon as it
   * passes the limit, whatever was stated.
   */
  async download(
    source: { url: string; name: string; size?: number | undefined; headers?: Record<string, string> },
    timeoutMs = 30_000,
  ): Promise<ReceivedFile> {
    if (source.size !== undefined && source.size > this.maxBytes)
      refuseSize(source.name, source.size, this.maxBytes);
    let response: Response;
    try {
      response = await fetch(source.url, {
        headers: source.headers ?? {},
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'follow',
      });
    } catch {
      throw new UserError(`Could not download ${source.name}; nothing was saved. Please try again.`);
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new UserError(`Could not download ${source.name} (HTTP ${response.status}); nothing was saved.`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      if (size > this.maxBytes) {
        await response.body.cancel().catch(() => undefined);
        refuseSize(source.name, size, this.maxBytes);
      }
      chunks.push(Buffer.from(chunk));
    }
    return this.keep(source.name, Buffer.concat(chunks));
  }
}

/** A file name as shown and stored: no path, no control characters, at most 200 characters. */
function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (clean || 'file').slice(0, 200);
}
