import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { waitFor } from './wait.ts';

/**
 * A loopback stand-in for Discord: the REST API (records calls) and the gateway WebSocket
 * (HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, RESUME), from which tests dispatch
 * INTERACTION_CREATE events.
 */
/** `files`: attachments of a multipart request, by file name. */
export type RestCall = {
  method: string;
  path: string;
  body: unknown;
  at: number;
  files?: Record<string, Buffer>;
};

export const APPLICATION_ID = '100000000000000001';
export const GUILD_ID = '200000000000000002';
const BOT_ID = '300000000000000003';
/** The bot's own user, as READY and the messages it posts carry it. */
export const BOT_USER = {
  id: BOT_ID,
  username: 'coalition-bot',
  discriminator: '0',
  bot: true,
  avatar: null,
  global_name: null,
};

export class FakeDiscord {
  /** Threads started from messages so far. */
  threads = 0;
  readonly calls: RestCall[] = [];
  identifies = 0;
  resumes = 0;
  private server: Server | undefined;
  private gateway: WebSocketServer | undefined;
  private socket: WebSocket | undefined;
  private sequence = 0;
  private base = '';
  private interactionCounter = 0;

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      void this.rest(request).then(({ status, body }) => {
        if (status === 204) {
          response.writeHead(204);
          response.end();
          return;
        }
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      });
    });
    this.gateway = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (request, socket, head) => {
      this.gateway?.handleUpgrade(request, socket, head, (ws) => this.connect(ws));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.base = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  get apiUrl(): string {
    return `http://${this.base}/api`;
  }

  callsMatching(method: string, pattern: RegExp): RestCall[] {
    return this.calls.filter((call) => call.method === method && pattern.test(call.path));
  }

  waitFor<T>(find: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    return waitFor(find, timeoutMs, 'Discord');
  }

  /** Sends INTERACTION_CREATE; returns the interaction's id and token. */
  dispatchInteraction(interaction: Record<string, unknown>): { id: string; token: string; sentAt: number } {
    this.interactionCounter += 1;
    const id = String(500000000000000000n + BigInt(this.interactionCounter));
    const token = `token-${this.interactionCounter}`;
    this.dispatch('INTERACTION_CREATE', {
      id,
      token,
      application_id: APPLICATION_ID,
      version: 1,
      guild_id: GUILD_ID,
      channel_id: '400000000000000004',
      channel: { id: '400000000000000004', type: 0, guild_id: GUILD_ID },
      app_permissions: '0',
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { 0: GUILD_ID },
      context: 0,
      attachment_size_limit: 10485760,
      ...interaction,
    });
    return { id, token, sentAt: Date.now() };
  }

  /** Drops the gateway connection the way Discord does before asking a client to resume. */
  dropConnection(code = 4000): void {
    this.socket?.close(code, 'fake reconnect');
  }

  async close(): Promise<void> {
    for (const client of this.gateway?.clients ?? []) client.terminate();
    this.gateway?.close();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private dispatch(type: string, data: unknown): void {
    this.sequence += 1;
    this.socket?.send(JSON.stringify({ op: 0, t: type, s: this.sequence, d: data }));
  }

  private connect(ws: WebSocket): void {
    this.socket = ws;
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41250 } }));
    ws.on('message', (raw) => {
      const payload = JSON.parse(raw.toString()) as { op: number; d: unknown };
      if (payload.op === 1) ws.send(JSON.stringify({ op: 11 }));
      if (payload.op === 2) {
        this.identifies += 1;
        this.dispatch('READY', {
          v: 10,
          user: BOT_USER,
          guilds: [{ id: GUILD_ID, unavailable: true }],
          session_id: `session-${this.identifies}`,
          resume_gateway_url: `ws://${this.base}`,
          application: { id: APPLICATION_ID, flags: 0 },
          private_channels: [],
          relationships: [],
        });
        this.dispatch('GUILD_CREATE', {
          id: GUILD_ID,
          name: 'Coalition',
          owner_id: '1',
          unavailable: false,
          member_count: 3,
          roles: [],
          channels: [
            {
              id: '400000000000000004',
              type: 0,
              name: 'general',
              guild_id: GUILD_ID,
              position: 0,
              permission_overwrites: [],
            },
          ],
          members: [],
          emojis: [],
          stickers: [],
          features: [],
          threads: [],
          presences: [],
          voice_states: [],
          stage_instances: [],
          guild_scheduled_events: [],
          soundboard_sounds: [],
          joined_at: new Date().toISOString(),
          large: false,
          premium_tier: 0,
          preferred_locale: 'en-US',
        });
      }
      if (payload.op === 6) {
        this.resumes += 1;
        this.dispatch('RESUMED', {});
      }
    });
  }

  private async rest(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const bytes = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => resolve(Buffer.concat(chunks)));
    });
    const path = (request.url ?? '/').replace(/^\/api\/v\d+/, '').split('?')[0] ?? '/';
    const method = request.method ?? 'GET';
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(request.headers['content-type'] ?? '');
    if (boundary) {
      const { json, files } = parseMultipart(bytes, boundary[1] ?? boundary[2] ?? '');
      this.calls.push({ method, path, body: json, files, at: Date.now() });
    } else {
      const raw = bytes.toString('utf8');
      this.calls.push({ method, path, body: raw ? JSON.parse(raw) : undefined, at: Date.now() });
    }
    const body = this.calls[this.calls.length - 1]?.body;
    if (path === '/gateway/bot') {
      return {
        status: 200,
        body: {
          url: `ws://${this.base}`,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
        },
      };
    }
    if (/^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return { status: 204, body: undefined };
    if (method === 'PUT' && /\/commands$/.test(path)) return { status: 200, body };
    const thread = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(path);
    if (method === 'POST' && thread) {
      this.threads += 1;
      const id = String(510000000000000000n + BigInt(this.threads));
      return {
        status: 201,
        body: {
          id,
          type: 11,
          parent_id: thread[1],
          guild_id: GUILD_ID,
          name: (body as { name?: string })?.name ?? '',
        },
      };
    }
    if (/^\/webhooks\/|^\/channels\/\d+\/messages(\/\d+)?$/.test(path)) {
      return {
        status: 200,
        body: botMessage(/\/channels\/(\d+)/.exec(path)?.[1] ?? '400000000000000004', body),
      };
    }
    return { status: 404, body: { message: 'Unknown', code: 0 } };
  }
}

/** A message of the bot's as Discord sends it (in API answers, and inside component interactions). */
export function botMessage(channelId: string, fields: unknown): Record<string, unknown> {
  return {
    id: String(600000000000000000n + BigInt(Date.now() % 1000000)),
    channel_id: channelId,
    author: BOT_USER,
    content: '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: 0,
    flags: 0,
    ...(fields as Record<string, unknown>),
  };
}

/** A guild member for interaction payloads. */
export function memberOf(userId: string, name = `user${userId.slice(-3)}`) {
  return {
    user: { id: userId, username: name, discriminator: '0', global_name: name, avatar: null },
    roles: [],
    permissions: '2248473465835073',
    joined_at: new Date().toISOString(),
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    nick: null,
    avatar: null,
  };
}

/** Splits multipart/form-data into its payload_json and its files (enough for discord.js uploads). */
function parseMultipart(body: Buffer, boundary: string): { json: unknown; files: Record<string, Buffer> } {
  const files: Record<string, Buffer> = {};
  let json: unknown;
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const content = part.subarray(headerEnd + 4);
    const name = /name="([^"]+)"/.exec(headers)?.[1] ?? '';
    const filename = /filename="([^"]+)"/.exec(headers)?.[1];
    if (name === 'payload_json') json = JSON.parse(content.toString('utf8'));
    else if (filename) files[filename] = content;
    start = next;
  }
  return { json, files };
}
