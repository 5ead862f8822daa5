import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** The OFAC Sanctions List Service, or a mirror of it with the same paths. */
export const DEFAULT_OFAC_BASE_URL = 'https://sanctionslistservice.ofac.treas.gov';

export type SourceOptions = {
  baseUrl: string;
  /** Files of one publication, fetched together or not at all (e.g. SDN.CSV, ALT.CSV, ADD.CSV). */
  files: string[];
  /** Per request, body included. */
  timeoutMs: number;
  /** Attempts per request, the first included. */
  attempts: number;
  /** First backoff; doubled after each failed attempt. */
  backoffMs: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Aborts the check, downloads and backoff waits at once (the bot is stopping). */
  signal?: AbortSignal;
};

/** A download or check that failed after its retries; the message is safe to show an operator. */
export class SourceError extends Error {
  override readonly name = 'SourceError';
}

/** A failure worth another attempt (network, timeout, 5xx, 429, a body shorter than announced). */
class RetryableError extends SourceError {}

export type ChangeCheck = {
  /** Changes whenever the service lists a new publication; compared with the last check's. */
  fingerprint: string;
  /** The newest publication date the service listed, if it gave one. */
  publishedOn: string | undefined;
};

export type DownloadedPublication = {
  /** Local paths by file name (e.g. "SDN.CSV"). */
  paths: Record<string, string>;
  /** From the service's listing or the file's Last-Modified, as YYYY-MM-DD. */
  publishedOn: string | undefined;
  cleanup(): Promise<void>;
};

const realSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * The cheap check: the service's list of publications for `day` and the day before (a publication
 * late in Washington's evening is already the next day in UTC). Its fingerprint changes when a
 * publication is added; only then is the full list downloaded.
 */
export async function checkForChanges(options: SourceOptions, day: Date): Promise<ChangeCheck> {
  const days = [new Date(day.getTime() - 86_400_000), day];
  const hash = createHash('sha256');
  let publishedOn: string | undefined;
  for (const date of days) {
    const [year, month, dayOfMonth] = date.toISOString().slice(0, 10).split('-');
    const response = await request(options, `/changes/history/${year}/${month}/${dayOfMonth}`);
    const body = await response.text();
    hash.update(body);
    publishedOn = newestDate(body) ?? publishedOn;
  }
  return { fingerprint: hash.digest('hex'), publishedOn };
}

/**
 * Downloads one publication's files into a temporary directory: redirects followed (the service
 * answers 302 to signed storage URLs), each request under a timeout and retried with backoff, and
 * the body checked against Content-Length and any checksum header the storage sends.
 */
export async function downloadPublication(options: SourceOptions): Promise<DownloadedPublication> {
  const directory = await mkdtemp(join(tmpdir(), 'coalition-ofac-'));
  const cleanup = () => rm(directory, { recursive: true, force: true });
  try {
    const paths: Record<string, string> = {};
    let lastModified: Date | undefined;
    for (const file of options.files) {
      const path = join(directory, file.replace(/[^A-Za-z0-9._-]/g, '_'));
      const modified = await withRetries(options, `download ${file}`, async (signal) => {
        const response = await fetchOnce(options, `/api/PublicationPreview/exports/${file}`, signal);
        await saveVerified(response, path, file);
        const header = response.headers.get('last-modified');
        return header ? new Date(header) : undefined;
      });
      if (modified && !Number.isNaN(modified.getTime())) lastModified ??= modified;
      paths[file] = path;
    }
    return {
      paths,
      publishedOn: lastModified ? washingtonDate(lastModified) : undefined,
      cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/**
 * Downloads one whole file from `url` (another government's list) into a temporary directory, with
 * the same timeout, retries and size and checksum checks as OFAC's files.
 */
export async function downloadFile(
  options: Omit<SourceOptions, 'baseUrl' | 'files'> & { label: string },
  url: string,
  file: string,
): Promise<{ path: string; cleanup(): Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), 'coalition-list-'));
  const cleanup = () => rm(directory, { recursive: true, force: true });
  const path = join(directory, file.replace(/[^A-Za-z0-9._-]/g, '_'));
  try {
    await withRetries(
      { ...options, baseUrl: '', files: [], label: options.label },
      `download ${file}`,
      async (signal) => {
        const response = await fetchOnce({ ...options, baseUrl: url, files: [] }, '', signal);
        await saveVerified(response, path, file);
      },
    );
    return { path, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function request(options: SourceOptions, path: string): Promise<Response> {
  return withRetries(options, `GET ${path}`, (signal) => fetchOnce(options, path, signal));
}

async function fetchOnce(options: SourceOptions, path: string, signal: AbortSignal): Promise<Response> {
  // Concatenated, not resolved: a mirror's base URL may carry a path prefix that must be kept.
  const url = `${options.baseUrl.replace(/\/+$/, '')}${path}`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      redirect: 'follow',
      signal,
      headers: { accept: '*/*', 'user-agent': 'coalition-bot (sanctions digest)' },
    });
  } catch (error) {
    throw new RetryableError(describeFetchError(error));
  }
  if (response.ok) return response;
  await response.body?.cancel().catch(() => undefined);
  const message = `the service answered ${response.status} ${response.statusText}`.trim();
  if (response.status >= 500 || response.status === 429 || response.status === 408) {
    throw new RetryableError(message);
  }
  throw new SourceError(message);
}

async function withRetries<T>(
  options: SourceOptions & { label?: string },
  what: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => realSleep(ms, options.signal));
  let last: unknown;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    if (options.signal?.aborted)
      throw new SourceError(`${options.label ?? 'OFAC'} ${what} stopped: the bot is shutting down`);
    const timeout = AbortSignal.timeout(options.timeoutMs);
    try {
      return await work(options.signal ? AbortSignal.any([timeout, options.signal]) : timeout);
    } catch (error) {
      last = error;
      const retryable = error instanceof RetryableError || isAbort(error);
      if (!retryable || attempt === options.attempts || options.signal?.aborted) break;
      await sleep(options.backoffMs * 2 ** (attempt - 1));
    }
  }
  if (options.signal?.aborted)
    throw new SourceError(`${options.label ?? 'OFAC'} ${what} stopped: the bot is shutting down`);
  const reason = isAbort(last)
    ? `no answer within ${Math.round(options.timeoutMs / 1000)} s`
    : last instanceof Error
      ? last.message
      : String(last);
  throw new SourceError(
    `${options.label ?? 'OFAC'} ${what} failed after ${options.attempts} attempt(s): ${reason}`,
  );
}

/** Streams the body to `path`, refusing a body shorter than announced or not matching its checksum. */
async function saveVerified(response: Response, path: string, file: string): Promise<void> {
  if (!response.body) throw new RetryableError(`${file}: the response had no body`);
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      sha256.update(chunk);
      md5.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>),
      meter,
      createWriteStream(path),
    );
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new RetryableError(`${file}: the download broke off (${describeFetchError(error)})`);
  }
  // Content-Length describes the encoded body; fetch has already decoded a gzip transfer.
  const encoded = response.headers.get('content-encoding');
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  if (!encoded && Number.isFinite(length) && length !== bytes) {
    throw new RetryableError(`${file}: received ${bytes} of ${length} bytes`);
  }
  const expectedSha = response.headers.get('x-amz-checksum-sha256');
  if (expectedSha && expectedSha !== sha256.digest('base64')) {
    throw new RetryableError(`${file}: the SHA-256 checksum does not match`);
  }
  const expectedMd5 = response.headers.get('content-md5');
  if (expectedMd5 && expectedMd5 !== md5.digest('base64')) {
    throw new RetryableError(`${file}: the MD5 checksum does not match`);
  }
}

/** The newest date in a listing: JSON with date fields, or any ISO or US date in the text. */
export function newestDate(body: string): string | undefined {
  const dates = [
    ...[...body.matchAll(/(\d{4})-(\d\d)-(\d\d)/g)].map((match) => `${match[1]}-${match[2]}-${match[3]}`),
    ...[...body.matchAll(/\b(\d\d)\/(\d\d)\/(\d{4})\b/g)].map(
      (match) => `${match[3]}-${match[1]}-${match[2]}`,
    ),
  ].filter((date) => !Number.isNaN(Date.parse(`${date}T00:00:00Z`)));
  return dates.sort().at(-1);
}

/** OFAC publishes on Washington time: a file modified at 01:00 UTC belongs to the day before. */
function washingtonDate(date: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/New_York',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date);
}

function isAbort(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'AbortError' || error.name === 'TimeoutError' || /aborted/i.test(error.message))
  );
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}
