// Upload throughput of the central server: one large file (1 GiB; 64 MiB with --quick)
// through tus to the real server, against a plain HTTP PUT of the same bytes to a minimal
// node:http server that writes them to disk, in the same run. The headline is one large
// file as a tus client sends it by default: POST, then ONE streamed PATCH of the whole file
// (timed to its 204, which the server sends only once the SHA-256 is checked and the bytes
// are in the blob store). For scale, info rows: the same upload in PATCHes of 4 MiB (what
// the workstation sends today: its sync reads the sealed blob and sends it chunk by
// chunk), and a second minimal server that also hashes what it receives
// (SHA-256 is work a plain PUT does not do). The tus server runs on PostgreSQL (the
// production setup; a throwaway cluster as the tests start one) and on PGlite (the
// zero-setup default).
//
// For measuring a change: LEMARI_BENCH_SERVERS=put,tus-postgres runs only those servers,
// LEMARI_BENCH_RUNS=5 more runs, LEMARI_BENCH_CHUNK_MIB=32 another size for the chunked
// row (0 leaves the chunked row out), and LEMARI_BENCH_COMPARE_DIR=/path/to/other/checkout
// (several, comma-separated) adds that checkout's tus server (its own database on the same
// PostgreSQL; rows as for tus-postgres), so old and new code alternate within one run.
// LEMARI_BENCH_TUS_NODE_FLAGS passes Node flags to the tus servers (`--cpu-prof
// --cpu-prof-dir=/tmp/p`: profiles written as they exit; `--trace-gc`).
//
// Every server is a child process, so its memory is its own: each samples its own
// process.memoryUsage().rss while the file streams (growth shows whether memory stays
// flat) and reports its CPU time. Every server fsyncs the file before answering, as a
// server that acknowledges a file must have it on disk. Runs alternate between servers.
//
// This file is also the children: run.ts imports it (the parent), which spawns it again
// with LEMARI_BENCH_CHILD set.

import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { bytes, cacheDir, seconds, type BenchOptions, type BenchResult, type Table } from './lib/common';
import { SERVER_NODE_FLAGS } from '../server/runtime';

const MIB = 1024 * 1024;
const TARGET_RATIO = 0.9;
/** What counts as flat: the server's RSS grows by less than this while the file streams. */
const FLAT_RSS_BYTES = 64 * MIB;
/**
 * Bytes per PATCH of the chunked info row: 4 MiB, the workstation's chunk (its sync sends a
 * large file in PATCHes of this size); LEMARI_BENCH_CHUNK_MIB measures another (0: no such row).
 */
const CHUNK = Number(process.env.LEMARI_BENCH_CHUNK_MIB ?? 4) * MIB;
/** A node:http server closes an idle keep-alive socket after 5 s by default; a run between two of its uses takes longer, and the client's reuse would race the close. */
const KEEP_ALIVE_MS = 10 * 60_000;

type Kind = 'put' | 'put-sha256' | 'tus-postgres' | 'tus-pglite' | 'tus-compare';
type FromChild = { type: 'ready'; url: string; token?: string } | { type: 'report'; rssBefore: number; rssMax: number; cpuMs: number; byThread: Record<string, number> } | { type: 'cleaned' };
type ToChild = { type: 'reset' } | { type: 'report' } | { type: 'clean' };

// ---------------------------------------------------------------- children

/**
 * CPU time (ms) of this process's threads by role, from /proc (Linux; empty elsewhere):
 * the main thread (the event loop), the libuv pool (file writes, fsync), V8's helper
 * threads (GC), and worker threads. Shows where a server's CPU goes beyond its event loop.
 */
function threadCpu(): Record<string, number> {
  const out: Record<string, number> = {};
  if (process.platform !== 'linux') return out;
  const tick = 10; // ms per clock tick (USER_HZ 100)
  for (const tid of readdirSync('/proc/self/task')) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const role = Number(tid) === process.pid ? 'main' : comm === 'libuv-worker' ? 'libuv' : comm === 'node' || comm === 'DelayedTaskSche' ? 'v8' : 'other';
    out[role] = (out[role] ?? 0) + (Number(fields[11]) + Number(fields[12])) * tick;
  }
  return out;
}

/** Samples this process's RSS and CPU time; `reset` starts a new window. */
function sampler() {
  let rssBefore = process.memoryUsage().rss;
  let rssMax = rssBefore;
  let cpu = process.cpuUsage();
  let threads = threadCpu();
  const timer = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 20);
  timer.unref();
  return {
    reset() {
      rssBefore = process.memoryUsage().rss;
      rssMax = rssBefore;
      cpu = process.cpuUsage();
      threads = threadCpu();
    },
    report() {
      const used = process.cpuUsage(cpu);
      const now = threadCpu();
      const byThread = Object.fromEntries(Object.entries(now).map(([role, ms]) => [role, ms - (threads[role] ?? 0)]));
      return { rssBefore, rssMax: Math.max(rssMax, process.memoryUsage().rss), cpuMs: (used.user + used.system) / 1000, byThread };
    },
  };
}

interface ChildServer {
  url: string;
  token?: string;
  /** Empties what the last run stored, so that each run stores its bytes anew. */
  clean(): Promise<void>;
}

async function tusChild(dir: string, databaseUrl: string | undefined): Promise<ChildServer> {
  const { startServer } = await import('../server/app');
  const { loadConfig } = await import('../server/config');
  const env = { LOG_LEVEL: 'warn', LEMARI_MAX_UPLOAD_BYTES: String(4096 * MIB), ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  const server = await startServer(loadConfig({ 'data-dir': dir, port: '0' }, env));
  const db = server.deps.db;
  await db.query("insert into instansi (id, name) values ('BENCH', 'Bench')");
  const { rows } = await db.query<{ id: number }>("insert into users (instansi_id, nip, name, role, status) values ('BENCH', '198503152010012003', 'Bench', 'clerk', 'active') returning id");
  const deviceId = randomUUID();
  await db.query("insert into devices (id, instansi_id, name) values ($1, 'BENCH', 'Bench PC')", [deviceId]);
  const { token } = server.deps.signer.issueAccess({ userId: rows[0].id, instansiId: 'BENCH', deviceId }, 24 * 3600);
  const blobs = server.deps.config.blobs;
  // Content addressing would skip storing the same bytes on the second run.
  return { url: server.url, token, clean: () => (blobs.kind === 'directory' ? rm(blobs.dir, { recursive: true, force: true }) : Promise.resolve()) };
}

async function putChild(dir: string, hashing: boolean): Promise<ChildServer> {
  let n = 0;
  const server = createServer((req, res) => {
    const file = join(dir, `put-${n++}`);
    const hash = createHash('sha256');
    if (hashing) req.on('data', (chunk: Buffer) => hash.update(chunk));
    pipeline(req, createWriteStream(file))
      .then(async () => {
        const handle = await open(file, 'r');
        await handle.sync();
        await handle.close();
        res.writeHead(201, hashing ? { 'x-sha256': hash.digest('hex') } : {}).end();
      })
      .catch(() => res.writeHead(500).end());
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    clean: async () => {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
    },
  };
}

async function runChild(kind: Kind): Promise<void> {
  const dir = process.env.LEMARI_BENCH_DIR!;
  mkdirSync(dir, { recursive: true });
  const stats = sampler();
  const send = (message: FromChild) => process.send!(message);
  const server = kind.startsWith('tus') ? await tusChild(dir, process.env.LEMARI_BENCH_DATABASE_URL || undefined) : await putChild(dir, kind === 'put-sha256');
  process.on('message', (message: ToChild) => {
    if (message.type === 'reset') stats.reset();
    if (message.type === 'report') send({ type: 'report', ...stats.report() });
    if (message.type === 'clean') server.clean().then(() => send({ type: 'cleaned' }));
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', url: server.url, token: server.token });
}

if (process.env.LEMARI_BENCH_CHILD) await runChild(process.env.LEMARI_BENCH_CHILD as Kind);

// ---------------------------------------------------------------- parent

interface Child {
  process: ChildProcess;
  url: string;
  token?: string;
  ask<T extends FromChild['type']>(message: ToChild, answer: T): Promise<Extract<FromChild, { type: T }>>;
}

async function startChild(kind: Kind, dir: string, databaseUrl?: string, script = fileURLToPath(import.meta.url)): Promise<Child> {
  const child = fork(script, [], {
    // The tus servers run with the flags production passes (server/runtime.ts); LEMARI_BENCH_TUS_NODE_FLAGS replaces them ('' for none).
    execArgv: ['--import', 'tsx', ...(kind.startsWith('tus') ? (process.env.LEMARI_BENCH_TUS_NODE_FLAGS ?? SERVER_NODE_FLAGS.join(' ')).split(' ').filter(Boolean) : [])],
    env: { ...process.env, LEMARI_BENCH_CHILD: kind === 'tus-compare' ? 'tus-postgres' : kind, LEMARI_BENCH_DIR: dir, LEMARI_BENCH_DATABASE_URL: databaseUrl ?? '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends FromChild['type']>(type: T) =>
    new Promise<Extract<FromChild, { type: T }>>((done, fail) => {
      const on = (message: FromChild) => {
        if (message.type !== type) return;
        child.off('message', on);
        child.off('exit', exited);
        done(message as Extract<FromChild, { type: T }>);
      };
      const exited = (code: number | null) => fail(new Error(`${kind} server exited (${code})`));
      child.on('message', on);
      child.once('exit', exited);
    });
  const ready = await next('ready');
  return {
    process: child,
    url: ready.url,
    token: ready.token,
    ask: (message, answer) => {
      const reply = next(answer);
      child.send(message);
      return reply;
    },
  };
}

/** Sends `file` [start, end) as the request body; resolves with the status and headers. */
function sendFile(url: string, method: string, headers: Record<string, string>, file: string, start: number, end: number, agent: Agent) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((done, fail) => {
    const req = request(url, { method, agent, headers: { ...headers, 'content-length': String(end - start) } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    if (end > start) createReadStream(file, { start, end: end - 1, highWaterMark: MIB }).pipe(req);
    else req.end();
  });
}

async function putOnce(server: Child, file: string, size: number, agent: Agent): Promise<void> {
  const res = await sendFile(`${server.url}/file`, 'PUT', {}, file, 0, size, agent);
  if (res.status !== 201) throw new Error(`PUT answered ${res.status}`);
}

/** POST, then PATCHes of `chunk` bytes (the whole file in one PATCH when `chunk` covers it). */
async function tusOnce(server: Child, file: string, size: number, sha256: string, agent: Agent, chunk: number): Promise<void> {
  const auth = { authorization: `Bearer ${server.token}`, 'tus-resumable': '1.0.0' };
  const meta = `filename ${Buffer.from('bench.pdf').toString('base64')},sha256 ${Buffer.from(sha256).toString('base64')}`;
  const created = await sendFile(`${server.url}/v1/uploads`, 'POST', { ...auth, 'upload-length': String(size), 'upload-metadata': meta }, file, 0, 0, agent);
  if (created.status !== 201) throw new Error(`tus creation answered ${created.status}: ${created.body}`);
  const url = new URL(String(created.headers.location), server.url).href;
  for (let offset = 0; offset < size; ) {
    const end = Math.min(size, offset + chunk);
    const res = await sendFile(url, 'PATCH', { ...auth, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' }, file, offset, end, agent);
    if (res.status !== 204) throw new Error(`PATCH at ${offset} answered ${res.status}: ${res.body}`);
    offset = Number(res.headers['upload-offset']);
  }
}

async function ensureInput(size: number, options: BenchOptions): Promise<{ file: string; sha256: string }> {
  const file = join(cacheDir('server-upload'), `random-${size}.bin`);
  if (options.fresh || !existsSync(file) || statSync(file).size !== size) {
    options.log(`  generating ${bytes(size)} of random bytes`);
    const out = createWriteStream(file);
    for (let left = size; left > 0; left -= 16 * MIB) {
      if (!out.write(randomBytes(Math.min(left, 16 * MIB)))) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((done, fail) => {
      out.once('error', fail);
      out.end(done);
    });
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 4 * MIB })) hash.update(chunk as Buffer);
  return { file, sha256: hash.digest('hex') };
}

/** A throwaway PostgreSQL cluster, as the integration tests use; null where none is installed. */
async function postgres(options: BenchOptions): Promise<{ url: string; another(): Promise<string>; stop(): Promise<void> } | null> {
  try {
    const { startCluster, createTestDatabase } = await import('../tests/helpers/postgres');
    const cluster = await startCluster();
    return { url: await createTestDatabase(cluster.url, 'bench'), another: () => createTestDatabase(cluster.url, 'bench2'), stop: () => cluster.stop() };
  } catch (error) {
    options.log(`  no PostgreSQL for the bench: ${(error as Error).message.split('\n')[0]}`);
    return null;
  }
}

interface Measured {
  mbps: number[];
  rssGrowth: number[];
  rssBefore: number[];
  cpuMsPerGiB: number[];
}

/** One row of the table: a server, and for tus the bytes per PATCH (null: the whole file in one). */
interface Row {
  /** The child that serves it: a Kind, or `tus-compare:<dir>`. */
  server: string;
  kind: Kind;
  chunk: number | null;
  label: string;
}

function rowsFor(servers: string[]): Row[] {
  const rows: Row[] = [];
  const has = (kind: Kind) => servers.includes(kind);
  const row = (kind: Kind, chunk: number | null, label: string, server: string = kind) => rows.push({ server, kind, chunk, label });
  row('put', null, 'baseline: plain HTTP PUT to node:http, written to disk, fsync');
  if (has('put-sha256')) row('put-sha256', null, 'info: the same PUT server, also hashing SHA-256 as bytes arrive');
  if (has('tus-postgres')) {
    row('tus-postgres', null, "tus on PostgreSQL: POST + one PATCH of the whole file (a tus client's default), SHA-256 checked, into the blob store");
    if (CHUNK > 0) row('tus-postgres', CHUNK, `info: the same, in PATCHes of ${bytes(CHUNK)}`);
  }
  for (const server of servers.filter((name) => name.startsWith('tus-compare:'))) {
    const dir = server.slice('tus-compare:'.length);
    row('tus-compare', null, `compare: tus on PostgreSQL, one PATCH, server code of ${dir}`, server);
    if (CHUNK > 0) row('tus-compare', CHUNK, `compare: the same, in PATCHes of ${bytes(CHUNK)}`, server);
  }
  if (has('tus-pglite')) {
    row('tus-pglite', null, has('tus-postgres') ? 'info: the same tus upload (one PATCH) on PGlite (the zero-setup default)' : 'tus on PGlite (no PostgreSQL installed): POST + one PATCH of the whole file');
  }
  return rows;
}

export default async function serverUploadBench(options: BenchOptions): Promise<BenchResult> {
  const size = options.quick ? 64 * MIB : 1024 * MIB;
  const runs = Number(process.env.LEMARI_BENCH_RUNS ?? (options.quick ? 2 : 3));
  options.log(`server-upload: ${bytes(size)}, ${runs} runs per row`);
  const input = await ensureInput(size, options);
  const work = mkdtempSync(join(cacheDir(), 'server-upload-run-'));
  const agent = new Agent({ keepAlive: true });
  const children = new Map<string, Child>();
  const pg = await postgres(options);
  try {
    // LEMARI_BENCH_SERVERS=put,tus-postgres measures only those (the PUT baseline always runs).
    const only = process.env.LEMARI_BENCH_SERVERS?.split(',');
    const wanted = (kind: Kind) => kind === 'put' || !only || only.includes(kind);
    children.set('put', await startChild('put', join(work, 'put')));
    if (wanted('put-sha256')) children.set('put-sha256', await startChild('put-sha256', join(work, 'put-sha256')));
    if (pg && wanted('tus-postgres')) children.set('tus-postgres', await startChild('tus-postgres', join(work, 'tus-postgres'), pg.url));
    for (const [i, compare] of (process.env.LEMARI_BENCH_COMPARE_DIR?.split(',').filter(Boolean) ?? []).entries()) {
      if (pg) children.set(`tus-compare:${compare}`, await startChild('tus-compare', join(work, `tus-compare-${i}`), await pg.another(), join(compare, 'bench/server-upload.ts')));
    }
    if (wanted('tus-pglite')) children.set('tus-pglite', await startChild('tus-pglite', join(work, 'tus-pglite')));
    const rows = rowsFor([...children.keys()]);
    const results = new Map<Row, Measured>(rows.map((row) => [row, { mbps: [], rssGrowth: [], rssBefore: [], cpuMsPerGiB: [] }]));
    for (let run = 0; run < runs; run++) {
      for (const row of rows) {
        const server = children.get(row.server)!;
        await server.ask({ type: 'clean' }, 'cleaned');
        server.process.send({ type: 'reset' } satisfies ToChild);
        const t0 = performance.now();
        if (row.kind.startsWith('tus')) await tusOnce(server, input.file, size, input.sha256, agent, row.chunk ?? size);
        else await putOnce(server, input.file, size, agent);
        const elapsed = performance.now() - t0;
        const report = await server.ask({ type: 'report' }, 'report');
        const m = results.get(row)!;
        m.mbps.push(size / MIB / (elapsed / 1000));
        m.rssGrowth.push(report.rssMax - report.rssBefore);
        m.rssBefore.push(report.rssBefore);
        m.cpuMsPerGiB.push((report.cpuMs * 1024 * MIB) / size);
        const name = row.chunk ? `${row.server}@${bytes(row.chunk)}` : row.server;
        options.log(`  ${name} run ${run + 1}: ${seconds(elapsed)}, ${m.mbps.at(-1)!.toFixed(0)} MiB/s, server CPU ${report.cpuMs.toFixed(0)} ms (${Object.entries(report.byThread ?? {}).map(([role, ms]) => `${role} ${ms}`).join(', ')}), RSS ${bytes(report.rssBefore)} -> max ${bytes(report.rssMax)}`);
      }
    }

    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const putRate = median(results.get(rows[0])!.mbps); // rows[0] is the PUT
    // The target row: one large file in one PATCH, on PostgreSQL where there is one.
    const target = rows.find((row) => row.kind === 'tus-postgres' && row.chunk === null) ?? rows.find((row) => row.kind === 'tus-pglite')!;
    const ratio = median(results.get(target)!.mbps) / putRate;
    const tusGrowth = Math.max(...results.get(target)!.rssGrowth);
    const flat = tusGrowth < FLAT_RSS_BYTES;
    const table: Table = {
      title: `One ${bytes(size)} file, ${runs} runs per row (median), each server a child process on loopback`,
      headers: ['server', 'MiB/s (median)', 'MiB/s (best)', 'server CPU s per GiB', 'server RSS before', 'server RSS growth (max)', 'vs PUT', 'target', 'verdict'],
      rows: rows.map((row) => {
        const m = results.get(row)!;
        const r = median(m.mbps) / putRate;
        const isTarget = row === target;
        return [
          row.label,
          median(m.mbps).toFixed(0),
          Math.max(...m.mbps).toFixed(0),
          (median(m.cpuMsPerGiB) / 1000).toFixed(2),
          bytes(median(m.rssBefore)),
          `+${bytes(Math.max(0, Math.max(...m.rssGrowth)))}`,
          r.toFixed(2),
          isTarget ? `>= ${TARGET_RATIO.toFixed(2)}` : '',
          isTarget ? (ratio >= TARGET_RATIO ? 'met' : 'NOT MET') : '',
        ];
      }),
    };
    table.rows.push(['tus server memory while the file streams (one PATCH)', '', '', '', '', `+${bytes(Math.max(0, tusGrowth))}`, '', `< ${bytes(FLAT_RSS_BYTES)}`, flat ? 'met' : 'NOT MET']);
    return {
      name: 'server-upload',
      tables: [table],
      notes: [
        "The headline is one large file as a tus client sends it by default: POST /v1/uploads, then one PATCH that streams the whole file; the 4 MiB row is the same server taking the file in 4 MiB PATCHes, each its own request, which is what the workstation's sync sends today.",
        'The tus servers are the real one (`startServer`; blobs and uploads in directories on one file system, so a verified upload is linked into the blob store, not copied); each run stores the bytes anew (the blob directory is emptied between runs).',
        'Every server fsyncs the file before answering; the tus time includes the SHA-256 check (taken while the bytes are written) and the move into the blob store.',
        'RSS is sampled every 20 ms inside each server process (process.memoryUsage().rss): growth is the largest sample minus the value just before the upload. CPU is process.cpuUsage() of the server over the upload (all its threads).',
        'The client (this process) streams the file from disk for every request; client, servers and PostgreSQL share the machine.',
      ],
      met: ratio >= TARGET_RATIO && flat,
    };
  } finally {
    agent.destroy();
    for (const child of children.values()) {
      const exited = new Promise((r) => child.process.once('exit', r));
      child.process.disconnect();
      await exited;
    }
    await pg?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
