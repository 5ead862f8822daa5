import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** A snapshot that must not be imported: empty, truncated or malformed. Nothing is changed. */
export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
}

const EOF_MARKER = 0x1a;

/**
 * Opens a file, gunzipping it when it starts with the gzip magic bytes, as a stream of bytes.
 */
export async function openMaybeGzip(path: string): Promise<Readable> {
  const head = await new Promise<Buffer>((resolve, reject) => {
    const stream = createReadStream(path, { start: 0, end: 1 });
    const chunks: Buffer[] = [];
    stream.on('data', (chunk) => chunks.push(chunk as Buffer));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
  const file = createReadStream(path);
  return head[0] === 0x1f && head[1] === 0x8b ? file.pipe(createGunzip()) : file;
}

/**
 * Streams OFAC's CSV files record by record: quoted fields with "" escapes and line breaks inside
 * quotes, Latin-1 text, `-0- ` for empty cells. The file must end with OFAC's 0x1A end-of-file byte:
 * without it the download was cut short, and the caller gets a SnapshotError instead of a partial list.
 */
export async function* readOfacCsv(input: Readable, what: string, hash?: Hash): AsyncGenerator<string[]> {
  let field = '';
  let row: string[] = [];
  let quoted = false;
  let afterQuote = false;
  // A quote that ended a chunk inside a quoted field: an escape ("") or the field's end, decided by
  // the next chunk's first character.
  let quotePending = false;
  let bytes = 0;
  let lastSignificant = -1;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      hash?.update(chunk);
      for (let i = chunk.length - 1; i >= 0; i--) {
        const byte = chunk[i] ?? 0;
        if (byte !== 0x0a && byte !== 0x0d && byte !== 0x20) {
          lastSignificant = byte;
          break;
        }
      }
      const text = chunk.toString('latin1');
      for (let i = 0; i < text.length; i++) {
        const char = text[i] as string;
        if (quotePending) {
          quotePending = false;
          if (char === '"') {
            field += '"';
            continue;
          }
          quoted = false;
          afterQuote = true;
        }
        if (quoted) {
          if (char === '"') {
            if (i + 1 === text.length) quotePending = true;
            else if (text[i + 1] === '"') {
              field += '"';
              i++;
            } else {
              quoted = false;
              afterQuote = true;
            }
          } else field += char;
          continue;
        }
        if (char === '"' && field.trim() === '' && !afterQuote) {
          quoted = true;
          field = '';
        } else if (char === ',') {
          row.push(clean(field));
          field = '';
          afterQuote = false;
        } else if (char === '\n') {
          row.push(clean(field));
          if (row.length > 1 || row[0] !== '') yield row;
          row = [];
          field = '';
          afterQuote = false;
        } else if (char !== '\r' && char !== '\u001a') {
          if (!afterQuote) field += char;
        }
      }
    }
  } catch (error) {
    throw new SnapshotError(
      `${what} could not be read (${error instanceof Error ? error.message : String(error)}); nothing was imported.`,
    );
  }
  if (quotePending) {
    quoted = false;
    afterQuote = true;
  }
  if (quoted)
    throw new SnapshotError(
      `${what} ends inside a quoted field: the download is truncated; nothing was imported.`,
    );
  if (bytes === 0) throw new SnapshotError(`${what} is empty (a failed download); nothing was imported.`);
  if (lastSignificant !== EOF_MARKER) {
    throw new SnapshotError(
      `${what} does not end with OFAC's end-of-file marker (0x1A): the download is truncated; nothing was imported.`,
    );
  }
  if (field.trim() !== '' || row.length > 0) {
    row.push(clean(field));
    yield row;
  }
}

/** OFAC writes `-0- ` for an empty cell. */
function clean(value: string): string {
  const trimmed = value.trim();
  return trimmed === '-0-' ? '' : trimmed;
}

export async function* readOfacCsvFile(path: string, what: string, hash?: Hash): AsyncGenerator<string[]> {
  yield* readOfacCsv(await openMaybeGzip(path), what, hash);
}
