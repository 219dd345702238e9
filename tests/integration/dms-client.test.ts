// The workstation's DMS client against a real central server on a loopback port: answers
// parsed with the route's schema, the server's error codes carried through, and the
// failures a flaky office link produces told apart (retryable or not).
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDmsClient, DmsCallError, routePath } from '../../main/infra/dms';
import { startTestServer, type TestServer } from '../helpers/server';

describe('DMS client', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  afterAll(() => server?.close());

  it('calls a route and parses its answer', async () => {
    const client = createDmsClient({ baseUrl: `${server.url}/` });
    expect(await client.call('ops.ready', {})).toEqual({ status: 'ready', database: 'pglite', blobs: 'directory' });
  });

  it('fills path parameters, encoded', () => {
    expect(routePath('/v1/documents/:id/content', { id: 'a b/c' })).toBe('/v1/documents/a%20b%2Fc/content');
    expect(() => routePath('/v1/documents/:id', {})).toThrow(/id is missing/);
  });

  it('reports a closed port as a retryable network failure', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as { port: number };
    await new Promise((r) => closed.close(r));
    const client = createDmsClient({ baseUrl: `http://127.0.0.1:${port}` });
    const error = await client.call('ops.health', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DmsCallError);
    expect(error).toMatchObject({ code: 'network', retryable: true, status: null });
  });

  it('tells a proxy 502 (retryable) and a stalled server (timeout) apart from API errors', async () => {
    const proxy = createServer((req, res) => {
      if (req.url === '/healthz') {
        res.writeHead(502, { 'content-type': 'text/html', 'retry-after': '7' });
        res.end('<html>Bad Gateway</html>');
      }
      // /readyz: never answers
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const { port } = proxy.address() as { port: number };
    try {
      const client = createDmsClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 300 });
      await expect(client.call('ops.health', {})).rejects.toMatchObject({ code: 'unavailable', status: 502, retryable: true, retryAfterMs: 7000 });
      await expect(client.call('ops.ready', {})).rejects.toMatchObject({ code: 'timeout', retryable: true });
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });

  it('refuses an answer that does not match the route schema', async () => {
    const impostor = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'fine' }));
    });
    await new Promise<void>((r) => impostor.listen(0, '127.0.0.1', r));
    const { port } = impostor.address() as { port: number };
    try {
      const client = createDmsClient({ baseUrl: `http://127.0.0.1:${port}` });
      await expect(client.call('ops.health', {})).rejects.toMatchObject({ code: 'bad_response', retryable: false });
    } finally {
      await new Promise((r) => impostor.close(r));
    }
  });
});
