import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { HTTPReceiver } from '@slack/bolt';

/** Slack's own limit on how far a request's timestamp may be from now, either way. */
const MAX_SKEW_SECONDS = 5 * 60;
const BODY_LIMIT = 4 * 1024 * 1024;

type Refusal = { status: number; reason: string };

/**
 * Checks a request to /slack/events before Bolt sees it. Bolt refuses stale timestamps but accepts
 * ones from the future (a captured request could be replayed for as long as its clock is ahead),
 * and its receiver reads `body.ssl_check` of whatever the body parses to, so a signed `payload=null`
 * ends the process. Both are refused here; the signature itself stays Bolt's to verify.
 */
export function checkSlackRequest(
  headers: IncomingMessage['headers'],
  raw: Buffer,
  nowMs: number,
): Refusal | undefined {
  const text = raw.toString('utf8');
  const contentType = headers['content-type'];
  const form = contentType === 'application/x-www-form-urlencoded';
  // Slack's SSL check is unsigned by design; Bolt strips anything else from it.
  if (form && parseQuery(text).ssl_check === '1') return undefined;
  const stamp = Number(headers['x-slack-request-timestamp']);
  if (!Number.isFinite(stamp) || Math.abs(nowMs / 1000 - stamp) > MAX_SKEW_SECONDS)
    return { status: 401, reason: 'request timestamp missing or more than 5 minutes from now' };
  let body: unknown;
  try {
    if (form) {
      const query = parseQuery(text);
      body = typeof query.payload === 'string' ? JSON.parse(query.payload) : query;
    } else {
      body = JSON.parse(text);
    }
  } catch {
    return { status: 400, reason: 'malformed request body' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { status: 400, reason: 'request body is not an object' };
  return undefined;
}

/**
 * Puts `checkSlackRequest` in front of the receiver's own listener. The buffered body is left on
 * the request as `rawBody`, where Bolt looks for it before reading the stream itself.
 */
export function guardReceiver(
  receiver: HTTPReceiver,
  options: { endpoint: string; now: () => number; onRefused: (reason: string) => void },
): void {
  const inner: RequestListener = receiver.requestListener;
  receiver.requestListener = (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method?.toUpperCase() !== 'POST' || path !== options.endpoint) {
      inner(request, response);
      return;
    }
    readBody(request).then(
      (raw) => {
        const refusal = checkSlackRequest(request.headers, raw, options.now());
        if (refusal) {
          options.onRefused(refusal.reason);
          response.writeHead(refusal.status).end();
          return;
        }
        (request as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
        inner(request, response);
      },
      (error: Error & { status?: number }) => {
        options.onRefused(error.message);
        if (!response.headersSent) response.writeHead(error.status ?? 400).end();
      },
    );
  };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        request.destroy();
        reject(Object.assign(new Error('request body too large'), { status: 413 }));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
