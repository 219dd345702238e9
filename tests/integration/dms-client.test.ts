// The workstation's DMS client against a real central server on a loopback port: answers
// parsed with the route's schema, the server's error codes carried through, and the
// failures a flaky office link produces told apart (retryable or not).
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDmsClient, DmsCallError, routePath } from '../../main/infra/dms';
import { createTusUploads } from '../../main/infra/dms/tus';
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

  it('takes an answer cut off mid-body for the link (retryable), not for a bad answer: the request may have done its work', async () => {
    // Headers and half the promised body, then the connection goes: what an office link does to a lost answer.
    const cutter = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const status = req.url === '/healthz' ? 200 : req.url === '/readyz' ? 409 : 200;
        const body = JSON.stringify(req.url === '/v1/documents/send' ? { document: { id: 'x' }, created: true } : { status: 'ok', padding: 'x'.repeat(4000) });
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(body.length) });
        res.write(body.slice(0, body.length / 2), () => res.socket?.destroy());
      });
    });
    await new Promise<void>((r) => cutter.listen(0, '127.0.0.1', r));
    const { port } = cutter.address() as { port: number };
    const baseUrl = `http://127.0.0.1:${port}`;
    try {
      const client = createDmsClient({ baseUrl });
      await expect(client.call('ops.health', {})).rejects.toMatchObject({ code: 'network', retryable: true, message: expect.stringMatching(/ops\.health was cut off/) });
      // An error answer cut short says nothing about the request either.
      await expect(client.call('ops.ready', {})).rejects.toMatchObject({ code: 'network', retryable: true });
      const tus = createTusUploads({ baseUrl });
      const input = { idempotencyKey: 'k-1', sha256: 'a'.repeat(64), nip: '198503152010011002', typeCode: 'SK_PNS', fields: {}, fileName: 'sk.pdf' };
      await expect(tus.send({ input, bytes: new Uint8Array([1, 2, 3]), token: 't' })).rejects.toMatchObject({ code: 'network', retryable: true });
    } finally {
      cutter.closeAllConnections();
      await new Promise((r) => cutter.close(r));
    }
  });

  it('streams a body with its Content-Length, and a stream shorter than it said fails as the link does (retryable)', async () => {
    const seen: { length: string | undefined; chunked: string | undefined; bytes: number }[] = [];
    const receiver = createServer((req, res) => {
      let bytes = 0;
      req.on('data', (part: Buffer) => (bytes += part.length));
      req.on('end', () => {
        seen.push({ length: req.headers['content-length'], chunked: req.headers['transfer-encoding'], bytes });
        res.writeHead(204, { 'upload-offset': String(bytes), 'tus-resumable': '1.0.0' });
        res.end();
      });
      req.on('error', () => undefined);
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const { port } = receiver.address() as { port: number };
    const tus = createTusUploads({ baseUrl: `http://127.0.0.1:${port}` });
    const pieces = async function* (sizes: number[]) {
      for (const size of sizes) yield new Uint8Array(size).fill(7);
    };
    try {
      expect(await tus.patch(`http://127.0.0.1:${port}/v1/uploads/u1`, 0, { stream: pieces([70_000, 30_000]), length: 100_000 }, 't')).toBe(100_000);
      expect(seen).toEqual([{ length: '100000', chunked: undefined, bytes: 100_000 }]);
      // A blob that yields less than its length (cut short on disk): nothing is taken for done.
      await expect(tus.patch(`http://127.0.0.1:${port}/v1/uploads/u1`, 0, { stream: pieces([1000]), length: 5000 }, 't')).rejects.toMatchObject({ code: 'network', retryable: true });
    } finally {
      receiver.closeAllConnections();
      await new Promise((r) => receiver.close(r));
    }
  });

  it('lets go of a streamed body the link cut mid-way: its source is closed (a blob file is not left open)', async () => {
    const cutter = createServer((req) => req.once('data', () => req.socket.destroy()));
    await new Promise<void>((r) => cutter.listen(0, '127.0.0.1', r));
    const { port } = cutter.address() as { port: number };
    const tus = createTusUploads({ baseUrl: `http://127.0.0.1:${port}` });
    let read = 0;
    let closed = false;
    const source = async function* () {
      try {
        for (let i = 0; i < 1000; i++) {
          read++;
          yield new Uint8Array(64 * 1024).fill(1);
        }
      } finally {
        closed = true;
      }
    };
    try {
      await expect(tus.patch(`http://127.0.0.1:${port}/v1/uploads/u1`, 0, { stream: source(), length: 1000 * 64 * 1024 }, 't')).rejects.toMatchObject({ code: 'network', retryable: true });
      await vi.waitFor(() => expect(closed).toBe(true));
      // Not read to its end: once the request failed, the next piece asked for ends it.
      expect(read).toBeLessThan(1000);
    } finally {
      cutter.closeAllConnections();
      await new Promise((r) => cutter.close(r));
    }
  });
  it('sends a batch as its manifest and then each document\'s bytes, tells as each document has gone, and refuses an answer of another length', async () => {
    const bodies: { manifest: { items: { idempotencyKey: string; size: number }[] }; rest: Buffer; headers: Record<string, string | string[] | undefined> }[] = [];
    let results = (count: number) => count;
    const receiver = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (part: Buffer) => parts.push(part));
      req.on('end', () => {
        const body = Buffer.concat(parts);
        const head = Number(req.headers['lemari-manifest-length']);
        const manifest = JSON.parse(body.subarray(0, head).toString('utf8')) as (typeof bodies)[number]['manifest'];
        bodies.push({ manifest, rest: body.subarray(head), headers: req.headers });
        const error = { error: { code: 'invalid_input', message: 'Invalid label: nip: not_an_employee.' } };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ results: Array.from({ length: results(manifest.items.length) }, () => error) }));
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const { port } = receiver.address() as { port: number };
    const tus = createTusUploads({ baseUrl: `http://127.0.0.1:${port}` });
    const input = (key: string) => ({ idempotencyKey: key, sha256: 'a'.repeat(64), nip: '199001012015031001', typeCode: 'SK_PNS', fields: {}, fileName: `${key}.pdf` });
    const stream = async function* (size: number, fill: number) {
      yield new Uint8Array(size >> 1).fill(fill);
      yield new Uint8Array(size - (size >> 1)).fill(fill);
    };
    const sent: number[] = [];
    try {
      const answer = await tus.sendBatch({
        items: [
          { input: input('k1'), bytes: { stream: stream(70_000, 1), length: 70_000 } },
          { input: input('k2'), bytes: new Uint8Array(10).fill(2) },
          { input: input('k3'), bytes: { stream: stream(3, 3), length: 3 } },
        ],
        token: 't',
        sent: (index) => sent.push(index),
      });
      expect(answer).toHaveLength(3);
      expect(answer[0]).toMatchObject({ error: { code: 'invalid_input' } });
      // An item's error comes as the call error documents.send would have thrown: the engine judges it the same way.
      expect(answer[0]).toMatchObject({ error: expect.any(DmsCallError) });
      expect(answer[0]).toMatchObject({ error: { status: 400, retryable: false } });
      expect(sent).toEqual([0, 1, 2]);
      const [{ manifest, rest, headers }] = bodies;
      expect(headers['content-type']).toBe('application/vnd.lemari.batch');
      expect(manifest.items.map((item) => [item.idempotencyKey, item.size])).toEqual([['k1', 70_000], ['k2', 10], ['k3', 3]]);
      expect(rest.equals(Buffer.concat([Buffer.alloc(70_000, 1), Buffer.alloc(10, 2), Buffer.alloc(3, 3)]))).toBe(true);
      expect(Number(headers['content-length'])).toBe(Number(headers['lemari-manifest-length']) + 70_013);
      // An answer that does not give one result per document cannot be matched to them.
      results = (count) => count - 1;
      await expect(tus.sendBatch({ items: [{ input: input('k4'), bytes: new Uint8Array(1) }, { input: input('k5'), bytes: new Uint8Array(1) }], token: 't' })).rejects.toMatchObject({ code: 'bad_response' });
    } finally {
      receiver.closeAllConnections();
      await new Promise((r) => receiver.close(r));
    }
  });
});
