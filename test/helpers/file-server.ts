import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback file host (Discord's CDN, any download): serves what a test puts in `files` by path,
 * and remembers the Authorization header of each request.
 */
export async function serveFiles() {
  const files = new Map<string, Buffer>();
  const requests: Array<{ path: string; authorization: string | undefined }> = [];
  const server = createServer((request, response) => {
    const path = request.url ?? '';
    requests.push({ path, authorization: request.headers.authorization });
    const body = files.get(path);
    if (!body) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    files,
    requests,
    url: (path: string) => `${base}${path}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
