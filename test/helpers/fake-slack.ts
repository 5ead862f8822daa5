import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from './wait.ts';

/**
 * A loopback stand-in for Slack: the Web API (records every call, answers ok) and response_url
 * endpoints. Failures can be queued per method to exercise retries.
 */
export type SlackCall = { method: string; args: Record<string, unknown>; authorization: string | undefined };
export type ResponseUrlPost = { id: string; body: Record<string, unknown> };

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly responses: ResponseUrlPost[] = [];
  /** Files received at upload URLs (files.uploadV2), raw request bodies. */
  readonly uploads: Array<{ fileId: string; body: Buffer }> = [];
  private readonly failures = new Map<string, Array<{ status: number; headers: Record<string, string> }>>();
  private server: Server | undefined;
  private baseUrl = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const path = request.url ?? '';
      if (path.startsWith('/files/')) {
        // A shared file (url_private_download): Slack serves it only with the bot token.
        const file = this.files.get(path.slice('/files/'.length));
        this.fileRequests.push({ path, authorization: request.headers.authorization });
        if (!request.headers.authorization?.startsWith('Bearer ')) response.writeHead(403).end();
        else if (!file) response.writeHead(404).end();
        else response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(file);
        return;
      }
      void this.handle(request).then(({ status, headers, body }) => {
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.baseUrl}/response/${id}`;
  }

  /** Files members shared, by id: served at fileUrl(id) to requests with a bot token. */
  readonly files = new Map<string, Buffer>();
  readonly fileRequests: Array<{ path: string; authorization: string | undefined }> = [];

  fileUrl(id: string): string {
    return `${this.baseUrl}/files/${id}`;
  }

  /** Channels the bot was removed from: posts there answer Slack's `not_in_channel`. */
  readonly removedFrom = new Set<string>();

  /** The next `count` calls of `method` fail with `status` (and headers such as Retry-After). */
  failNext(method: string, status: number, headers: Record<string, string> = {}, count = 1): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < count; i++) queue.push({ status, headers });
    this.failures.set(method, queue);
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  waitFor<T>(find: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    return waitFor(find, timeoutMs, 'a Slack call');
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(request: IncomingMessage) {
    const bytes = await readBytes(request);
    const raw = bytes.toString('utf8');
    const url = new URL(request.url ?? '/', this.baseUrl);
    if (url.pathname.startsWith('/upload/')) {
      this.uploads.push({ fileId: url.pathname.slice('/upload/'.length), body: bytes });
      return { status: 200, headers: {}, body: { ok: true } };
    }
    if (url.pathname.startsWith('/response/')) {
      this.responses.push({ id: url.pathname.slice('/response/'.length), body: JSON.parse(raw || '{}') });
      return { status: 200, headers: {}, body: { ok: true } };
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const failure = this.failures.get(method)?.shift();
    const args = parseArgs(raw, request.headers['content-type'] ?? '');
    this.calls.push({ method, args, authorization: request.headers.authorization });
    if (failure)
      return { status: failure.status, headers: failure.headers, body: { ok: false, error: 'fake_failure' } };
    if (method === 'chat.postMessage' && this.removedFrom.has(String(args.channel)))
      return { status: 200, headers: {}, body: { ok: false, error: 'not_in_channel' } };
    return { status: 200, headers: {}, body: answer(method, args, this.baseUrl) };
  }
}

function answer(method: string, args: Record<string, unknown>, base: string): Record<string, unknown> {
  switch (method) {
    case 'files.getUploadURLExternal':
      return { ok: true, upload_url: `${base}/upload/F${Date.now()}`, file_id: `F${Date.now()}` };
    case 'files.completeUploadExternal':
      return { ok: true, files: [{ id: 'F1', title: 'Poll result' }] };
    case 'auth.test':
      return {
        ok: true,
        url: 'https://fake.slack.test/',
        team: 'Fake',
        user: 'coalition-bot',
        team_id: 'T1',
        user_id: 'UBOT',
        bot_id: 'BBOT',
      };
    case 'chat.postMessage':
      return { ok: true, channel: args.channel, ts: `${Date.now() / 1000}`, message: { text: args.text } };
    case 'chat.postEphemeral':
      return { ok: true, message_ts: `${Date.now() / 1000}` };
    case 'conversations.open':
      return { ok: true, channel: { id: `D${String(args.users ?? '')}` } };
    case 'views.open':
      return { ok: true, view: { id: 'V1', hash: 'h1' } };
    default:
      return { ok: true };
  }
}

function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return JSON.parse(raw || '{}');
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return args;
}

function readBytes(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Slack's request signature: v0 HMAC-SHA256 of "v0:timestamp:body". */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Posts a body to the bot signed the way Slack signs requests. */
export async function postSigned(
  url: string,
  body: string,
  secret: string,
  options: { timestamp?: number; headers?: Record<string, string>; signature?: string } = {},
): Promise<{ status: number; text: string; json: () => unknown; ms: number }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = options.signature ?? slackSignature(secret, timestamp, body);
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
      ...options.headers,
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text), ms: performance.now() - started };
}
