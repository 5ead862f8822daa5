import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export const HISTORY = new URL('../../../shared/fixtures/ofac/history/', import.meta.url).pathname;

/** An expectation independent of our parser: entry numbers read line by line from a raw snapshot. */
export async function uidsOf(path: string): Promise<Set<number>> {
  const text = gunzipSync(await readFile(path)).toString('latin1');
  return new Set(
    text
      .split(/\r?\n/)
      .map((line) => /^(\d+),/.exec(line)?.[1])
      .filter((uid): uid is string => uid !== undefined)
      .map(Number),
  );
}

/** What goes wrong with the next request(s) to a path matching `path`. */
export type Fault =
  | { path: RegExp; kind: 'status'; status: number; times: number }
  | { path: RegExp; kind: 'truncate'; times: number }
  | { path: RegExp; kind: 'hang'; times: number }
  | { path: RegExp; kind: 'bad-checksum'; times: number };

type Publication = { day: string; files: Record<string, Buffer> };

/**
 * A loopback stand-in for OFAC's Sanctions List Service, serving real snapshots the way the service
 * does: `/changes/history/Y/M/D` lists the day's publications as JSON; the export endpoints answer
 * 302 to a signed storage URL, which serves the bytes with Content-Length and a SHA-256 checksum.
 * `today` decides which publications exist; faults break chosen requests.
 */
export class FakeOfac {
  readonly requests: string[] = [];
  today = '1970-01-01';
  private readonly publications: Publication[] = [];
  private readonly faults: Fault[] = [];
  private server: Server | undefined;
  private readonly hanging = new Set<ServerResponse>();
  baseUrl = '';

  async start(): Promise<this> {
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        response.writeHead(500).end(String(error));
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Publishes a real SDN.CSV snapshot from the fixtures (stored decompressed, as OFAC serves it). */
  async publishFixture(day: string, fixture = `sdn-${day}.csv.gz`): Promise<void> {
    const bytes = await readFile(`${HISTORY}${fixture}`);
    this.publish(day, { 'SDN.CSV': bytes.length ? gunzipSync(bytes) : bytes });
  }

  publish(day: string, files: Record<string, Buffer>): void {
    this.publications.push({ day, files });
    this.publications.sort((a, b) => a.day.localeCompare(b.day));
  }

  fail(fault: Fault): void {
    this.faults.push(fault);
  }

  count(path: RegExp): number {
    return this.requests.filter((request) => path.test(request)).length;
  }

  private current(): Publication | undefined {
    return this.publications.filter((publication) => publication.day <= this.today).at(-1);
  }

  private takeFault(path: string): Fault | undefined {
    const fault = this.faults.find((item) => item.times > 0 && item.path.test(path));
    if (fault) fault.times -= 1;
    return fault;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.baseUrl);
    this.requests.push(url.pathname);
    const fault = this.takeFault(url.pathname);
    if (fault?.kind === 'status') {
      response.writeHead(fault.status, { 'content-type': 'text/plain' }).end('unavailable');
      return;
    }
    if (fault?.kind === 'hang') {
      this.hanging.add(response);
      return;
    }
    const history = /^\/changes\/history\/(\d{4})\/(\d\d)\/(\d\d)$/.exec(url.pathname);
    if (history) {
      const day = `${history[1]}-${history[2]}-${history[3]}`;
      const listed = this.publications
        .map((publication, index) => ({ publication, index }))
        .filter(({ publication }) => publication.day === day && day <= this.today)
        .map(({ publication, index }) => ({
          publicationID: 1000 + index,
          datePublished: `${publication.day}T15:30:00.000-05:00`,
        }));
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(listed));
      return;
    }
    const exported = /^\/api\/PublicationPreview\/exports\/([A-Z_.]+)$/.exec(url.pathname);
    if (exported) {
      const token = randomBytes(8).toString('hex');
      response
        .writeHead(302, {
          location: `${this.baseUrl}/storage/${token}/${exported[1]}?X-Amz-Expires=60&X-Amz-Signature=${token}`,
        })
        .end();
      return;
    }
    const stored = /^\/storage\/[0-9a-f]+\/([A-Z_.]+)$/.exec(url.pathname);
    const body = stored ? this.current()?.files[stored[1] ?? ''] : undefined;
    if (!stored || !body) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const checksum = createHash('sha256')
      .update(fault?.kind === 'bad-checksum' ? Buffer.from('other bytes') : body)
      .digest('base64');
    response.writeHead(200, {
      'content-type': 'text/csv',
      'content-length': String(body.length),
      'last-modified': new Date(`${this.current()?.day}T20:30:00Z`).toUTCString(),
      'x-amz-checksum-sha256': checksum,
    });
    if (fault?.kind === 'truncate') {
      // Half the announced bytes, then the connection drops: what a cut-off download looks like.
      response.write(body.subarray(0, Math.floor(body.length / 2)));
      response.socket?.destroy();
      return;
    }
    response.end(body);
  }
}
