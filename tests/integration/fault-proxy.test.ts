// The fault-injecting proxy of the sync chaos test (tests/helpers/fault-proxy.ts), knob by
// knob, in front of a tiny TCP echo server and a tiny HTTP server: if a knob silently did
// nothing, the chaos test would prove nothing.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom, startFaultProxy, type Faults, type FaultProxy } from '../helpers/fault-proxy';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const urlOf = (server: Server | HttpServer) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function listen<S extends Server | HttpServer>(server: S): Promise<S> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return server;
}

/** Echoes what it receives and counts the bytes that reached it. */
async function echoServer() {
  const received = { bytes: 0 };
  const server = await listen(
    createServer((socket) => {
      socket.on('data', (chunk) => {
        received.bytes += chunk.length;
        socket.write(chunk);
      });
      socket.on('error', () => {});
    }),
  );
  return { url: urlOf(server), received };
}

/** Answers 200 with the request body's length; counts the requests that reached it. */
async function httpServer() {
  const seen = { requests: 0 };
  const server = await listen(
    createHttpServer((req, res) => {
      seen.requests++;
      let length = 0;
      req.on('data', (chunk: Buffer) => (length += chunk.length));
      req.on('end', () => res.end(JSON.stringify({ length })));
    }),
  );
  return { url: urlOf(server), seen };
}

async function proxyTo(target: string, faults: Faults, seed = 7): Promise<FaultProxy> {
  const proxy = await startFaultProxy(target, { seed, faults });
  closers.push(() => proxy.close());
  return proxy;
}

/** Sends `size` bytes through a raw connection; answers what came back before the connection ended. */
function roundTrip(proxy: FaultProxy, size: number): Promise<{ echoed: number; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(proxy.port, '127.0.0.1');
    let echoed = 0;
    const done = () => resolve({ echoed, ms: Date.now() - started });
    socket.on('data', (chunk) => {
      echoed += chunk.length;
      if (echoed >= size) socket.end();
    });
    socket.on('close', done);
    socket.on('error', () => {});
    socket.write(Buffer.alloc(size, 7));
  });
}

describe('fault proxy', () => {
  it('forwards bytes untouched without faults', async () => {
    const echo = await echoServer();
    const proxy = await proxyTo(echo.url, {});
    expect((await roundTrip(proxy, 200_000)).echoed).toBe(200_000);
    expect(echo.received.bytes).toBe(200_000);
    expect(proxy.counts).toMatchObject({ connections: 1, cuts: 0, stalls: 0, replied502: 0, bytesUp: 200_000, bytesDown: 200_000 });
  });

  it('cuts a connection after a random number of bytes sent to the server', async () => {
    const echo = await echoServer();
    const proxy = await proxyTo(echo.url, { cut: { probability: 1, maxBytes: 50_000, direction: 'up' } });
    const { echoed } = await roundTrip(proxy, 200_000);
    expect(echo.received.bytes).toBeLessThan(50_000);
    expect(echoed).toBeLessThanOrEqual(echo.received.bytes);
    expect(proxy.counts.cuts).toBe(1);
  });

  it('cuts a connection after a random number of bytes of the answer', async () => {
    const echo = await echoServer();
    const proxy = await proxyTo(echo.url, { cut: { probability: 1, maxBytes: 50_000, direction: 'down' } });
    const { echoed } = await roundTrip(proxy, 200_000);
    expect(echoed).toBeLessThan(50_000);
    expect(proxy.counts.cuts).toBe(1);
  });

  it('cuts no connection at probability 0, and picks the same offsets for the same seed', async () => {
    const echo = await echoServer();
    const none = await proxyTo(echo.url, { cut: { probability: 0, maxBytes: 1000 } });
    expect((await roundTrip(none, 20_000)).echoed).toBe(20_000);
    expect(none.counts.cuts).toBe(0);

    const offsets = async (seed: number) => {
      const proxy = await proxyTo(echo.url, { cut: { probability: 1, maxBytes: 100_000, direction: 'down' } }, seed);
      const got: number[] = [];
      for (let i = 0; i < 3; i++) got.push((await roundTrip(proxy, 150_000)).echoed);
      return got;
    };
    const a = await offsets(11);
    expect(await offsets(11)).toEqual(a);
    expect(await offsets(12)).not.toEqual(a);
  });

  it('stalls forwarding for the given time', async () => {
    const echo = await echoServer();
    const proxy = await proxyTo(echo.url, { stall: { probability: 1, ms: 300 } });
    const { echoed, ms } = await roundTrip(proxy, 1000);
    expect(echoed).toBe(1000);
    expect(ms).toBeGreaterThanOrEqual(590); // the request stalled once, its echo once more
    expect(proxy.counts.stalls).toBeGreaterThanOrEqual(2);
  });

  it('adds latency each way, and keeps the bytes in order', async () => {
    const server = await listen(
      createServer((socket) => {
        socket.on('data', (chunk) => socket.write(chunk));
        socket.on('error', () => {});
      }),
    );
    const proxy = await proxyTo(urlOf(server), { latencyMs: 120 });
    const text = await new Promise<{ text: string; ms: number }>((resolve) => {
      const started = Date.now();
      const socket = connect(proxy.port, '127.0.0.1');
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
        if (text.length >= 30) socket.end();
      });
      socket.on('close', () => resolve({ text, ms: Date.now() - started }));
      // Three writes apart in time: each must arrive, in order, a latency later.
      socket.write('0123456789');
      setTimeout(() => socket.write('abcdefghij'), 10);
      setTimeout(() => socket.write('ABCDEFGHIJ'), 20);
    });
    expect(text.text).toBe('0123456789abcdefghijABCDEFGHIJ');
    expect(text.ms).toBeGreaterThanOrEqual(2 * 120);
    expect(proxy.counts.delayed).toBeGreaterThanOrEqual(2);

    // A server that answers and hangs up at once: its answer still arrives, a latency later.
    const closing = await listen(createHttpServer((_req, res) => res.writeHead(200, { connection: 'close' }).end('selesai')));
    const slow = await proxyTo(urlOf(closing), { latencyMs: 120 });
    const res = await fetch(`${slow.url}/v1/uploads/1`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await (await fetch(slow.url)).text()).toBe('selesai');
  });

  it('answers picked HTTP requests 502 without letting them reach the server, and the next request goes through', async () => {
    const http = await httpServer();
    const always = await proxyTo(http.url, { http502: { probability: 1 } });
    const refused = await fetch(`${always.url}/v1/documents`, { method: 'POST', body: Buffer.alloc(100_000, 1) });
    expect(refused.status).toBe(502);
    expect(await refused.text()).toMatch(/502 Bad Gateway/);
    expect(http.seen.requests).toBe(0);
    expect(always.counts).toMatchObject({ requests: 1, replied502: 1 });

    // Half of them, seeded: each request either reaches the server whole or is answered 502.
    const half = await proxyTo(http.url, { http502: { probability: 0.5 } }, 3);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${half.url}/x${i}`, { method: 'PUT', body: Buffer.alloc(5000 + i, 2) });
      statuses.push(res.status);
      if (res.status === 200) expect(await res.json()).toEqual({ length: 5000 + i });
      else await res.text();
    }
    const failed = statuses.filter((s) => s === 502).length;
    expect(failed).toBe(half.counts.replied502);
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(12);
    expect(http.seen.requests).toBe(12 - failed);
    expect(half.counts.requests).toBe(12);
  });

  it('the PRNG repeats for a seed and spreads over [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.filter((x) => x < 0.5).length).toBeGreaterThan(400);
    expect(xs.filter((x) => x < 0.5).length).toBeLessThan(600);
  });
});
