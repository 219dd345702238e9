// Stopping a node without losing work: once close() begins (SIGTERM in `lemari-server
// serve`), readiness answers 503, new connections are refused, a request already in flight
// (a JSON body still streaming in) is read to the end and answered, and the process exits 0;
// a drain longer than LEMARI_SHUTDOWN_TIMEOUT_SECONDS is cut and the exit is non-zero.
// Requests are written on raw sockets so the test controls when each byte arrives.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestDbKind } from '../../helpers/server';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One HTTP/1.1 connection written by hand: send bytes when the test says, read one answer. */
class RawConnection {
  private buffer = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.waiter?.();
    });
    this.closed = new Promise((done) => socket.on('close', () => done()));
    socket.on('close', () => this.waiter?.());
    socket.on('error', () => {});
  }

  static open(url: string): Promise<RawConnection> {
    const { hostname, port } = new URL(url);
    return new Promise((done, fail) => {
      const socket = connect(Number(port), hostname, () => done(new RawConnection(socket)));
      socket.once('error', fail);
    });
  }

  write(text: string): void {
    this.socket.write(text);
  }

  /** The next complete answer (Content-Length framed, as the server's JSON answers are). */
  async answer(): Promise<RawAnswer> {
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end >= 0) {
        const [statusLine, ...lines] = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
        const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
        const length = Number(headers['content-length'] ?? 0);
        if (this.buffer.length >= end + 4 + length) {
          const body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
          this.buffer = this.buffer.subarray(end + 4 + length);
          return { status: Number(statusLine.split(' ')[1]), headers, body };
        }
      }
      if (this.socket.destroyed) throw new Error(`connection closed before a complete answer: ${this.buffer.toString('latin1')}`);
      await new Promise<void>((wake) => (this.waiter = wake));
      this.waiter = null;
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** A POST whose JSON body is sent in two halves: the first now, the second by `finish()`. */
async function slowPost(url: string): Promise<{ conn: RawConnection; finish(): void }> {
  const body = JSON.stringify({ note: 'x'.repeat(200) });
  const half = body.length >> 1;
  const conn = await RawConnection.open(url);
  conn.write(`POST /v1/nothing-here HTTP/1.1\r\nHost: lemari\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, half)}`);
  return { conn, finish: () => conn.write(body.slice(half)) };
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 25));
  }
}

async function inFlight(metricsText: string): Promise<number> {
  return Number(/^lemari_http_requests_in_flight (\d+)/m.exec(metricsText)?.[1] ?? NaN);
}

/** Resolves once a new TCP connection to the server is refused. */
function refused(url: string): Promise<true | undefined> {
  return RawConnection.open(url).then(
    (conn) => {
      conn.destroy();
      return undefined;
    },
    (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' ? true : undefined),
  );
}

describe.each<TestDbKind>(['pglite', 'postgres'])('drain on %s', (kind) => {
  it('answers 503 to readiness during the drain, refuses new connections, and completes the request in flight', async () => {
    const server = await startTestServer(kind);
    // A request whose headers are still arriving when the drain begins (as one on a
    // kept-alive connection would be): it is answered, with the node's state.
    const late = await RawConnection.open(server.url);
    late.write('GET /readyz HTTP/1.1\r\nHost: lemari\r\n');
    const slow = await slowPost(server.url);
    await until(async () => ((await inFlight((await server.deps.metrics.scrape()).text)) >= 1 ? true : undefined), 'the slow request in flight');

    const closing = server.close();
    await until(() => refused(server.url), 'the listener to close');

    late.write('\r\n');
    const ready = await late.answer();
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body).error.code).toBe('unavailable');
    expect(ready.headers.connection).toBe('close');

    slow.finish();
    const answer = await slow.conn.answer();
    // The whole body was read and routed: an unknown route's answer, not a cut connection.
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body).error.code).toBe('not_found');
    expect(answer.headers.connection).toBe('close');

    // The drain ends when its last request is answered, not at the keep-alive timeout.
    const started = Date.now();
    await closing;
    expect(Date.now() - started).toBeLessThan(3000);
    await slow.conn.closed;
  });
});

describe('in-flight gauge', () => {
  it('counts a request from its headers to the end of its answer', async () => {
    const server = await startTestServer('pglite');
    try {
      const scrapeInFlight = async () => inFlight((await server.call('GET', '/metrics')).body);
      // The scrape itself is in flight while it is answered.
      expect(await scrapeInFlight()).toBe(1);
      const slow = await slowPost(server.url);
      await until(async () => ((await scrapeInFlight()) === 2 ? true : undefined), 'the slow request to count');
      slow.finish();
      expect((await slow.conn.answer()).status).toBe(404);
      await until(async () => ((await scrapeInFlight()) === 1 ? true : undefined), 'the answered request to leave the gauge');
      slow.conn.destroy();
    } finally {
      await server.close();
    }
  });
});

describe('lemari-server serve on SIGTERM', () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  let dir: string | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function serve(env: Record<string, string> = {}) {
    dir = mkdtempSync(join(tmpdir(), 'lemari-serve-'));
    const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', 'serve', '--port', '0', '--data-dir', dir], {
      cwd: join(import.meta.dirname, '../../..'),
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
    });
    child = proc;
    let stderr = '';
    let stdout = '';
    proc.stderr.on('data', (chunk) => (stderr += chunk));
    proc.stdout.on('data', (chunk) => (stdout += chunk));
    const exited = new Promise<number | null>((done) => proc.on('exit', (code) => done(code)));
    const url = await until(async () => /listening on (http:\/\/\S+)/.exec(stderr)?.[1], 'the server to listen', 45_000);
    return { url, exited, stderr: () => stderr, stdout: () => stdout, proc };
  }

  async function scrapedInFlight(url: string): Promise<number> {
    const res = await fetch(`${url}/metrics`);
    return inFlight(await res.text());
  }

  it('lets the in-flight request finish, closes the database and exits 0', async () => {
    const node = await serve();
    const slow = await slowPost(node.url);
    await until(async () => ((await scrapedInFlight(node.url)) >= 2 ? true : undefined), 'the slow request to be in flight');

    node.proc.kill('SIGTERM');
    await until(async () => (node.stderr().includes('draining') ? true : undefined), 'the drain to begin');
    await until(() => refused(node.url), 'the listener to close');

    slow.finish();
    const answer = await slow.conn.answer();
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body).error.code).toBe('not_found');

    expect(await node.exited).toBe(0);
    expect(node.stderr()).toContain('lemari-server: stopped');
    // The structured log says why it stopped, as JSON lines.
    const lines = node.stdout().trim().split('\n').map((line) => JSON.parse(line) as { msg: string; signal?: string });
    expect(lines.find((line) => line.msg.startsWith('shutdown: draining'))?.signal).toBe('SIGTERM');
  });

  it('cuts a drain that outlasts LEMARI_SHUTDOWN_TIMEOUT_SECONDS and exits non-zero', async () => {
    const node = await serve({ LEMARI_SHUTDOWN_TIMEOUT_SECONDS: '1' });
    const slow = await slowPost(node.url);
    await until(async () => ((await scrapedInFlight(node.url)) >= 2 ? true : undefined), 'the slow request to be in flight');

    const signalled = Date.now();
    node.proc.kill('SIGTERM');
    // The body never finishes: the server gives up on it after the timeout.
    await slow.conn.closed;
    expect(await node.exited).toBe(1);
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(900);
    expect(node.stderr()).toContain('still in flight after 1 s');
  });
});
