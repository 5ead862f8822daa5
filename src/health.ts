import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from './app.ts';

/**
 * Liveness and readiness for load balancers and orchestrators. /healthz: the process answers.
 * /readyz: the database answers within two seconds and the bot is not shutting down; a draining
 * bot says 503 so traffic moves elsewhere while it finishes in-flight work.
 */
export type Health = {
  handle(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
  markStopping(): void;
};

export function health(app: App): Health {
  let stopping = false;
  const ready = async () => {
    if (stopping) return false;
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), 2_000).unref());
    const query = app.database.sql
      .query('SELECT 1 AS ok')
      .then(() => true)
      .catch(() => false);
    return Promise.race([query, timeout]);
  };
  return {
    async handle(request, response) {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (request.method !== 'GET' || (path !== '/healthz' && path !== '/readyz')) return false;
      const ok = path === '/healthz' || (await ready());
      response.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
      response.end(
        ok ? (path === '/healthz' ? 'ok' : 'ready') : stopping ? 'stopping' : 'database unavailable',
      );
      return true;
    },
    markStopping() {
      stopping = true;
    },
  };
}

/** A server for the health routes alone, when Slack's HTTP receiver is not listening on PORT. */
export async function startHealthServer(
  checks: Health,
  port: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    void checks.handle(request, response).then((handled) => {
      if (!handled) response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
