import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the UK, Canadian, Australian and EU list publishers: each serves one file
 * at a path, with Content-Length (and optionally a SHA-256 checksum header, as storage services
 * send), and a test swaps the file or breaks the next requests (an error status, a body cut short
 * of its announced length, a redirect to storage as some publishers do).
 */
export class FakeListServer {
  readonly requests: string[] = [];
  private readonly files = new Map<string, Buffer>();
  private readonly faults: Array<{
    path: string;
    kind: 'status' | 'truncate';
    status?: number;
    times: number;
  }> = [];
  private server: Server | undefined;
  baseUrl = '';

  async start(): Promise<this> {
    const server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      this.requests.push(path);
      if (path.startsWith('/redirect')) {
        response.writeHead(302, { location: path.replace('/redirect', '') }).end();
        return;
      }
      const body = this.files.get(path);
      const fault = this.faults.find((item) => item.path === path && item.times > 0);
      if (fault) fault.times--;
      if (!body || fault?.kind === 'status') {
        response.writeHead(fault?.status ?? 404).end();
        return;
      }
      response.writeHead(200, {
        'content-length': String(body.length),
        'x-amz-checksum-sha256': createHash('sha256').update(body).digest('base64'),
      });
      if (fault?.kind === 'truncate') {
        response.write(body.subarray(0, Math.floor(body.length / 2)));
        response.destroy();
        return;
      }
      response.end(body);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async serve(path: string, file: string | Buffer): Promise<string> {
    this.files.set(path, typeof file === 'string' ? await readFile(file) : file);
    return `${this.baseUrl}${path}`;
  }

  fail(path: string, kind: 'status' | 'truncate', times = 1, status = 503): void {
    this.faults.push({ path, kind, status, times });
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
