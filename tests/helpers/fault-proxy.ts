// A fault-injecting TCP proxy for the sync tests: listens on 127.0.0.1 port 0 and forwards
// each connection to a real server, while a seeded PRNG decides what goes wrong on the way,
// the way an office link fails: a connection cut after some bytes (either direction), a
// stall (nothing forwarded for a while), added latency, and requests answered with an HTTP
// 502 by the "gateway" instead of reaching the server. For the 502s it frames HTTP/1.1
// requests just enough to find each request head (Content-Length bodies; a chunked body
// makes the rest of that connection opaque, so no 502 is decided on it). It counts what it
// did, so a test can show the faults really happened. The knobs are read at each decision:
// a test may change `faults` between runs (e.g. none for the final drain).
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface Faults {
  /**
   * The chance a connection is cut after a random number of bytes (below `maxBytes`) in a
   * random direction: decided when it opens, and again at each HTTP request on it while no
   * cut is pending (a kept-alive connection carries many requests).
   */
  cut?: { probability: number; maxBytes: number; direction?: 'up' | 'down' | 'either' };
  /** Per forwarded chunk: the chance forwarding stops for `ms` (that direction only). */
  stall?: { probability: number; ms: number };
  /** Added to every chunk in both directions (the bytes keep their order). */
  latencyMs?: number;
  /** Per HTTP request: the chance it is answered 502 without reaching the server. */
  http502?: { probability: number };
}

/** An HTTP request head the proxy saw going to the server. */
export interface SeenRequest {
  method: string;
  path: string;
}

export interface FaultCounts {
  connections: number;
  cuts: number;
  stalls: number;
  /** Chunks forwarded late by `latencyMs`. */
  delayed: number;
  requests: number;
  replied502: number;
  bytesUp: number;
  bytesDown: number;
}

export interface FaultProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  faults: Faults;
  readonly counts: FaultCounts;
  /** Cuts every open connection now (what a dropped link does to all of them). */
  dropAll(): void;
  close(): Promise<void>;
}

/** mulberry32: small, fast, and the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BAD_GATEWAY_BODY = '<html><body><h1>502 Bad Gateway</h1></body></html>';
const BAD_GATEWAY = Buffer.from(
  `HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/html\r\ncontent-length: ${BAD_GATEWAY_BODY.length}\r\nconnection: close\r\n\r\n${BAD_GATEWAY_BODY}`,
);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Finds request boundaries in the client's byte stream. `feed` answers, for a chunk, the
 * pieces to forward and whether a request in it was picked for a 502 (its bytes are then
 * swallowed up to the end of its body, and the proxy answers instead).
 */
class RequestFramer {
  private head = Buffer.alloc(0);
  private bodyLeft = 0;
  private opaque = false;
  /** Swallowing the current request (picked for a 502). */
  private swallowing = false;

  constructor(private readonly onHead: (head: string) => boolean) {}

  /** Splits `chunk` into bytes to forward; `reply502` is set once a swallowed request has been read whole. */
  feed(chunk: Buffer): { forward: Buffer[]; reply502: boolean } {
    const forward: Buffer[] = [];
    let rest = chunk;
    while (rest.length > 0) {
      if (this.opaque) {
        forward.push(rest);
        break;
      }
      if (this.bodyLeft > 0) {
        const n = Math.min(this.bodyLeft, rest.length);
        if (!this.swallowing) forward.push(rest.subarray(0, n));
        this.bodyLeft -= n;
        rest = rest.subarray(n);
        if (this.bodyLeft === 0 && this.swallowing) return { forward, reply502: true };
        continue;
      }
      const joined = Buffer.concat([this.head, rest]);
      if (!/^[A-Z]{0,7}( |$)/.test(joined.subarray(0, 8).toString('latin1')) || joined.length > 64 * 1024) {
        // Not HTTP/1.1 (or no head end in sight): forwarded as it is, no request is picked here.
        this.opaque = true;
        this.head = Buffer.alloc(0);
        forward.push(joined);
        break;
      }
      const end = joined.indexOf('\r\n\r\n');
      if (end < 0) {
        // A head split across chunks: held back until it is whole (heads are small).
        this.head = joined;
        return { forward, reply502: false };
      }
      const headBytes = joined.subarray(0, end + 4);
      rest = joined.subarray(end + 4);
      this.head = Buffer.alloc(0);
      const text = headBytes.toString('latin1');
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(text);
      if (/\r\ntransfer-encoding:\s*chunked/i.test(text)) this.opaque = true;
      this.bodyLeft = length ? Number(length[1]) : 0;
      this.swallowing = !this.opaque && this.onHead(text);
      if (this.swallowing) {
        if (this.bodyLeft === 0) return { forward, reply502: true };
        continue;
      }
      forward.push(headBytes);
    }
    return { forward, reply502: false };
  }
}

/** Starts the proxy in front of `target` (http://host:port). */
export async function startFaultProxy(target: string, options: { seed: number; faults?: Faults; onRequest?: (request: SeenRequest) => void }): Promise<FaultProxy> {
  const { hostname, port: targetPort } = new URL(target);
  const random = seededRandom(options.seed);
  const counts: FaultCounts = { connections: 0, cuts: 0, stalls: 0, delayed: 0, requests: 0, replied502: 0, bytesUp: 0, bytesDown: 0 };
  const sockets = new Set<Socket>();
  const proxy: FaultProxy = {
    url: '',
    port: 0,
    faults: options.faults ?? {},
    counts,
    dropAll: () => sockets.forEach((s) => s.destroy()),
    close: async () => {
      proxy.dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server: Server = createServer((client) => {
    counts.connections++;
    const upstream = connect(Number(targetPort), hostname);
    sockets.add(client);
    sockets.add(upstream);
    let closed = false;
    /** Answering a 502 ourselves: the server side is gone, the client side must still get the answer. */
    let answering = false;
    const cutBoth = () => {
      if (closed) return;
      closed = true;
      client.destroy();
      upstream.destroy();
    };
    client.on('error', cutBoth);
    upstream.on('error', cutBoth);

    /** Bytes forwarded each way so far, and the pending cut: which way, at which byte of that way. */
    const seen = { up: 0, down: 0 };
    let cutPlan: { up: boolean; at: number } | null = null;
    const planCut = () => {
      const { cut } = proxy.faults;
      if (cutPlan || !cut || random() >= cut.probability) return;
      const up = cut.direction === 'up' || (cut.direction !== 'down' && random() < 0.5);
      cutPlan = { up, at: seen[up ? 'up' : 'down'] + Math.floor(random() * cut.maxBytes) };
    };
    planCut();
    const framer = new RequestFramer((head) => {
      counts.requests++;
      const [method = '', path = ''] = head.split(' ', 2);
      options.onRequest?.({ method, path });
      planCut();
      const pick = proxy.faults.http502;
      return pick !== undefined && random() < pick.probability;
    });

    /** One direction: chunks leave in order, each no earlier than its arrival plus the latency, after any stall. */
    function pipe(from: Socket, to: Socket, up: boolean): { idle: () => Promise<void> } {
      let chain = Promise.resolve();
      const way = up ? 'up' : 'down';
      let stalledUntil = 0;
      const deliver = (piece: Buffer, due: number) => {
        chain = chain.then(async () => {
          const wait = Math.max(due, stalledUntil) - Date.now();
          if (wait > 0) await sleep(wait);
          if (closed) return;
          if (up) counts.bytesUp += piece.length;
          else counts.bytesDown += piece.length;
          // Backpressure: a slow reader stops the other side too.
          if (!to.write(piece)) {
            from.pause();
            to.once('drain', () => from.resume());
          }
        });
      };
      from.on('data', (chunk: Buffer) => {
        if (closed) return;
        const { latencyMs = 0, stall } = proxy.faults;
        if (latencyMs > 0) counts.delayed++;
        const due = Date.now() + latencyMs;
        if (stall && random() < stall.probability) {
          counts.stalls++;
          stalledUntil = Math.max(stalledUntil, due) + stall.ms;
        }
        let pieces = [chunk];
        if (up) {
          const framed = framer.feed(chunk);
          pieces = framed.forward;
          if (framed.reply502) {
            for (const piece of pieces) deliver(piece, due);
            chain = chain.then(() => {
              if (closed) return;
              counts.replied502++;
              // The gateway answers and hangs up: whatever the client sends next is not read.
              answering = true;
              upstream.destroy();
              client.end(BAD_GATEWAY);
            });
            from.removeAllListeners('data');
            return;
          }
        }
        for (const piece of pieces) {
          if (cutPlan && cutPlan.up === up && seen[way] + piece.length > cutPlan.at) {
            const keep = piece.subarray(0, cutPlan.at - seen[way]);
            seen[way] += keep.length;
            if (keep.length > 0) deliver(keep, due);
            chain = chain.then(() => {
              if (closed) return;
              counts.cuts++;
              cutBoth();
            });
            from.removeAllListeners('data');
            return;
          }
          seen[way] += piece.length;
          deliver(piece, due);
        }
      });
      from.on('end', () => {
        chain = chain.then(() => {
          if (!closed) to.end();
        });
      });
      return { idle: () => chain };
    }
    const upPipe = pipe(client, upstream, true);
    const downPipe = pipe(upstream, client, false);
    // A side that closes in order still has its last bytes delivered (they may be waiting out
    // the latency); one that fails ('error' above) takes the other down at once, as a reset does.
    client.on('close', () => {
      sockets.delete(client);
      void upPipe.idle().then(cutBoth);
    });
    upstream.on('close', () => {
      sockets.delete(upstream);
      if (!answering) void downPipe.idle().then(cutBoth);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault proxy: no port');
  proxy.port = address.port;
  proxy.url = `http://127.0.0.1:${address.port}`;
  return proxy;
}
