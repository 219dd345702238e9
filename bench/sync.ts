// End-of-day sync (issue 5), three figures against a real central server on loopback (a
// child process: PostgreSQL as in production, PGlite where no cluster starts; blobs on disk):
// (a) throughput: 1,000 scans (about 450 MiB; 24 with --quick) synced by the workstation
//     engine from the sealed blob store (scans of at most one chunk up to 32 to a
//     documents.sendBatch request, larger ones by tus then a commit with an idempotency key;
//     the server's hash checked), against a plain HTTP PUT of the same bytes, read from disk by a bare Node
//     client (fetch, no app modules loaded), to a minimal node:http server (a child process
//     too) that writes and fsyncs each file, in the same
//     run, with as many files in flight as the sync's default concurrency (2); a table shows
//     where the sync's time goes, by request;
// (b) workstation memory while one 1 GiB file (64 MiB with --quick) syncs: `lemari sync` as a
//     child process, its RSS sampled from /proc every 25 ms;
// (c) resume after a SIGKILL: `lemari sync` killed once 40% of a large file went up, then run
//     again; the bytes sent beyond the file's size, counted on the wire by a pass-through
//     proxy (HTTP heads included), against one chunk (4 MiB).
// LEMARI_BENCH_SYNC_PARTS=a runs (a) alone; LEMARI_BENCH_SYNC_PROFILE=<dir> writes a CPU profile
// of the workstation across (a)'s sync.run; LEMARI_BENCH_SYNC_SERVER_FLAGS passes Node flags to
// the server children (`--cpu-prof --cpu-prof-dir=<dir>`: profiles written as they exit).
// LEMARI_BENCH_SYNC_BATCH=<n> sets the scans per documents.sendBatch (1: each alone by
// documents.send), for comparing batch sizes.
// Documents are put in the profile directly (sealed blob + a ready row): importing a 1 GiB
// scan is not what is measured. The child CLI's clock runs 30 s ahead per run, so each run's
// login takes a fresh authenticator step without waiting for one.

import { fork, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fromBase32, toBase32, totpCode, TOTP_SECRET_BYTES } from '../common/auth/totp';
import { sealedSessionStore } from '../main/core/sync';
import { findResourcesDir } from '../main/infra/reference';
import { FileBlobStore } from '../main/infra/blobs';
import { blobKeyBytes, KeyFileSecretStore } from '../main/infra/secrets';
import { ConfSettingsStore, DEFAULT_SETTINGS } from '../main/infra/settings';
import { BLOBS_DIR, openProfile, type Profile } from '../main/profile';
import { startServer } from '../server/app';
import { passwords } from '../server/auth/password';
import { sealPurpose } from '../server/auth/sealing';
import { loadConfig } from '../server/config';
import { openDb } from '../server/db';
import { startFaultProxy } from '../tests/helpers/fault-proxy';
import { BENCH_ADMIN } from './lib/auth';
import { bytes, cacheDir, cpuMs, cpuMsOfCommand, ROOT, seconds, verdict, type BenchOptions, type BenchResult } from './lib/common';
import { ensureScans } from './lib/scans';
import { SERVER_NODE_FLAGS } from '../server/runtime';

const MIB = 1024 * 1024;
const TARGET_RATIO = 0.7;
const TARGET_RSS_GROWTH = 150 * MIB;
/** The engine's default chunk (DEFAULT_SYNC_OPTIONS.chunkBytes). */
const CHUNK = 4 * MIB;
const FIELDS = { nomor: '823.4/112/BKD/2011', tanggal: '2011-03-01', tmt: '2011-03-01' };

/** `lemari sync` (runCli) with a clock BENCH_SHIFT_MS ahead of the real one. */
const CHILD = `
const { runCli } = await import(process.env.BENCH_CLI_URL);
const shift = Number(process.env.BENCH_SHIFT_MS);
process.exitCode = await runCli(process.argv.slice(1), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTty: false,
  clock: { now: () => new Date(Date.now() + shift) },
});
`;

/**
 * The baseline's client: a bare Node process (no app modules, so no app heap for its
 * collector to walk) that PUTs each file, read from disk, with fetch as the workstation's
 * DMS client does, `concurrency` at a time; prints its wall time and CPU as JSON.
 */
const PUT_CLIENT = `
import { readFile } from 'node:fs/promises';
const [url, listFile, concurrency] = process.argv.slice(1);
const files = JSON.parse(await readFile(listFile, 'utf8'));
const cpu = process.cpuUsage();
const t0 = performance.now();
let next = 0;
await Promise.all(Array.from({ length: Number(concurrency) }, async () => {
  while (next < files.length) {
    const file = files[next++];
    const res = await fetch(url + '/' + encodeURIComponent(file.split('/').pop()), { method: 'PUT', body: await readFile(file) });
    await res.arrayBuffer();
    if (res.status !== 201) throw new Error('PUT ' + file + ': ' + res.status);
  }
}));
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ ms: performance.now() - t0, cpuMs: (used.user + used.system) / 1000 }));
`;

/** Time the workstation waited on each kind of request (a), summed over requests in flight. */
type Breakdown = Map<string, { count: number; ms: number }>;

interface World {
  server: { url: string; pid: number };
  breakdown: Breakdown;
  dataDir: string;
  profile: Profile;
  call: (method: string, input: unknown) => Promise<unknown>;
  totpSecret: string;
  /** ms the workstation's clock runs ahead; +30 s before each login. */
  shift: { ms: number };
  closeProfile(): Promise<void>;
  close(): Promise<void>;
}

/** A central server with the clerk's account, and a profile whose admin holds that account's server session. */
// ---------------------------------------------------------------- children (the servers)

type FromChild = { type: 'ready'; url: string; login?: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- the login answer, passed through

/** The central server with the clerk's account, logged in once (what activation leaves). */
async function serverChild(dir: string, databaseUrl: string | undefined): Promise<FromChild> {
  const db = databaseUrl ? undefined : await openDb({ dataDir: 'memory://' });
  const env = { LOG_LEVEL: 'warn', LEMARI_MAX_UPLOAD_BYTES: String(4096 * MIB), ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  const server = await startServer(loadConfig({ 'data-dir': dir, port: '0' }, env), { db, logger: false });
  await server.deps.db.query("insert into instansi (id, name) values ('BENCH', 'BKD Bench')");
  const serverSecret = toBase32(randomBytes(TOTP_SECRET_BYTES));
  await server.deps.db.query(
    "insert into users (instansi_id, nip, name, role, status, password_hash, totp_secret) values ('BENCH', $1, $2, 'admin', 'active', $3, $4)",
    [BENCH_ADMIN.nip, BENCH_ADMIN.nama, await passwords.hash(BENCH_ADMIN.password), server.deps.sealer.seal(sealPurpose.totp(BENCH_ADMIN.nip), serverSecret)],
  );
  const json = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    const answer = (await res.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- three known answers
    if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  const step = await json('/v1/auth/login', { nip: BENCH_ADMIN.nip, password: BENCH_ADMIN.password, deviceName: 'PC Bench' });
  const login = await json('/v1/auth/login/totp', { stepToken: step.stepToken, code: totpCode(fromBase32(serverSecret), new Date()) });
  await json('/v1/reference/employees', { employees: [{ nip: BENCH_ADMIN.nip, kind: 'pns', nama: BENCH_ADMIN.nama }] }, login.accessToken);
  return { type: 'ready', url: server.url, login };
}

if (process.env.LEMARI_BENCH_SYNC_CHILD) {
  const dir = process.env.LEMARI_BENCH_DIR!;
  const ready = process.env.LEMARI_BENCH_SYNC_CHILD === 'put' ? { type: 'ready' as const, url: (await putServer(dir)).url } : await serverChild(dir, process.env.LEMARI_BENCH_DATABASE_URL || undefined);
  process.on('disconnect', () => process.exit(0));
  process.send!(ready);
}

/** A server child process (its CPU is its own, as a real server's is); resolves when it listens. */
async function startChild(kind: 'server' | 'put', dir: string, databaseUrl?: string): Promise<{ ready: FromChild; pid: number; stop: () => void }> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    // The central server with the flags production passes (server/runtime.ts), the PUT server without; LEMARI_BENCH_SYNC_SERVER_FLAGS adds to both.
    execArgv: ['--import', 'tsx', ...(kind === 'server' ? SERVER_NODE_FLAGS : []), ...(process.env.LEMARI_BENCH_SYNC_SERVER_FLAGS?.split(' ').filter(Boolean) ?? [])],
    env: { ...process.env, LEMARI_BENCH_SYNC_CHILD: kind, LEMARI_BENCH_DIR: dir, LEMARI_BENCH_DATABASE_URL: databaseUrl ?? '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<FromChild>((resolve, reject) => {
    child.once('message', (message) => resolve(message as FromChild));
    child.once('exit', (code) => reject(new Error(`${kind} child exited ${code}`)));
  });
  return { ready, pid: child.pid!, stop: () => child.disconnect() };
}

// ---------------------------------------------------------------- parent

/** A central server (child process) and a profile whose admin holds the clerk's server session. */
async function world(dir: string, databaseUrl: string | undefined): Promise<World> {
  const child = await startChild('server', join(dir, 'server'), databaseUrl);
  const server = { url: child.ready.url, pid: child.pid };
  const login = child.ready.login!;

  const dataDir = join(dir, 'profil');
  const settings = new ConfSettingsStore(dataDir);
  settings.set({ serverUrl: server.url });
  const shift = { ms: 0 };
  const secrets = new KeyFileSecretStore(dataDir);
  const breakdown: Breakdown = new Map();
  const timed: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const key = `${init?.method ?? 'GET'} ${url.pathname.replace(/\/[0-9a-f-]{20,}/g, '/:id')}`;
    const t0 = performance.now();
    try {
      return await fetch(input, init);
    } finally {
      const entry = breakdown.get(key) ?? { count: 0, ms: 0 };
      breakdown.set(key, { count: entry.count + 1, ms: entry.ms + performance.now() - t0 });
    }
  };
  const profile = await openProfile({
    dataDir,
    host: 'cli',
    resourcesDir: findResourcesDir(ROOT),
    settings,
    secrets,
    clock: { now: () => new Date(Date.now() + shift.ms) },
    logger: { error: () => {}, info: () => {} },
    fetch: timed,
    // An experiment's batch size (SyncOptions.batchItems; 1 sends each scan alone), else the engine's default.
    ...(Number(process.env.LEMARI_BENCH_SYNC_BATCH) > 0 ? { sync: { batchItems: Number(process.env.LEMARI_BENCH_SYNC_BATCH) } } : {}),
  });
  const session = profile.newSession();
  const call = async (method: string, input: unknown) => {
    const result = await profile.api.call(method as never, input, { session });
    if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
    return result.value;
  };
  const boot = (await call('auth.bootstrap', { nip: BENCH_ADMIN.nip, nama: BENCH_ADMIN.nama, password: BENCH_ADMIN.password })) as { user: { id: number }; enrolment: { secret: string } };
  const code = () => totpCode(fromBase32(boot.enrolment.secret), new Date(Date.now() + shift.ms));
  await call('auth.confirmEnrolment', { code: code() });
  const status = (await call('auth.status', {})) as { session: unknown };
  if (!status.session) {
    shift.ms += 30_000;
    const begun = (await call('auth.beginLogin', { nip: BENCH_ADMIN.nip, password: BENCH_ADMIN.password })) as { next: string; ticket?: string };
    if (begun.next !== 'done') await call('auth.completeLogin', { ticket: begun.ticket, code: code() });
  }
  sealedSessionStore(profile.db, secrets).write(boot.user.id, {
    serverUrl: server.url,
    deviceId: login.deviceId,
    instansi: login.user.instansi,
    refreshToken: login.refreshToken,
    refreshTokenExpiresAt: login.refreshTokenExpiresAt,
    savedAt: new Date().toISOString(),
  });
  let closed = false;
  const closeProfile = async () => {
    if (!closed) await profile.close();
    closed = true;
  };
  return {
    closeProfile,
    server,
    breakdown,
    dataDir,
    profile,
    call,
    totpSecret: boot.enrolment.secret,
    shift,
    async close() {
      await closeProfile();
      child.stop();
    },
  };
}

/** Puts bytes in the profile as a ready, labelled document (what capture and labelling leave), sealed with the profile's blob key. */
async function readyDocument(profile: Profile, name: string, content: Uint8Array): Promise<void> {
  const blobs = await new FileBlobStore(join(profile.dataDir, BLOBS_DIR), blobKeyBytes(new KeyFileSecretStore(profile.dataDir), profile.dataDir)).init();
  const sha256 = await blobs.put(content);
  const now = new Date().toISOString();
  profile.db
    .prepare(
      `INSERT INTO documents (sha256, source_sha256, original_name, size, source_size, page_count, source_kind, nip, type_code, nomor, tanggal, fields, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 1, 'pdf', ?, 'SK_PNS', ?, ?, ?, 'ready', ?, ?)`,
    )
    .run(sha256, sha256, name, content.length, content.length, BENCH_ADMIN.nip, FIELDS.nomor, FIELDS.tanggal, JSON.stringify(FIELDS), now, now);
}

/** A minimal server that stores each PUT body in a file and fsyncs it before answering. */
async function putServer(dir: string): Promise<{ server: Server; url: string }> {
  mkdirSync(dir, { recursive: true });
  let n = 0;
  const server = createServer((req, res) => {
    const file = join(dir, `put-${n++}`);
    pipeline(req, createWriteStream(file))
      .then(async () => {
        const handle = await open(file, 'r');
        await handle.sync();
        await handle.close();
        res.writeHead(201).end();
      })
      .catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Starts counting CPU time of the named processes (and of every `postgres` process); the returned function reads the span so far. */
function cpuSpan<K extends string>(pids: Record<K, number>): () => Record<K | 'postgres' | 'all', number> {
  const read = () => ({ ...Object.fromEntries(Object.entries<number>(pids).map(([name, pid]) => [name, cpuMs(pid)])), postgres: cpuMsOfCommand('postgres') }) as Record<K | 'postgres', number>;
  const start = read();
  return () => {
    const end = read();
    const span = Object.fromEntries(Object.keys(end).map((name) => [name, end[name as K] - start[name as K]])) as Record<K | 'postgres' | 'all', number>;
    span.all = Object.values<number>(span).reduce((sum, ms) => sum + ms, 0);
    return span;
  };
}

/** The inspector's CPU profiler on this process (the workstation of (a)); `stop` writes the .cpuprofile into `dir` and returns its path. */
async function startProfile(): Promise<{ stop: (dir: string) => Promise<string> }> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(dir) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `sync-workstation-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return file;
    },
  };
}

const rssOf = (pid: number): number => {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) * 1024 : 0;
  } catch {
    return 0; // the process is gone
  }
};

interface ChildSync {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `lemari sync` in a child over `serverUrl`; `watch` is called every 25 ms with the child's pid and may kill it. */
async function lemariSync(w: World, watch: (pid: number, kill: () => void) => void): Promise<ChildSync> {
  w.shift.ms += 30_000;
  const env = {
    ...process.env,
    BENCH_CLI_URL: pathToFileURL(join(ROOT, 'main/cli/run.ts')).href,
    BENCH_SHIFT_MS: String(w.shift.ms),
    LEMARI_USER: BENCH_ADMIN.nip,
    LEMARI_PASSWORD: BENCH_ADMIN.password,
    LEMARI_OTP: totpCode(fromBase32(w.totpSecret), new Date(Date.now() + w.shift.ms)),
  };
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD, 'sync', '--json', '--data-dir', w.dataDir], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const run: ChildSync = { code: null, signal: null, stdout: '', stderr: '', ms: 0 };
  child.stdout.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  const timer = setInterval(() => watch(child.pid!, () => child.kill('SIGKILL')), 25);
  await new Promise<void>((resolve) => child.on('exit', (code, signal) => resolve(void Object.assign(run, { code, signal }))));
  clearInterval(timer);
  run.ms = performance.now() - started;
  return run;
}

export default async function run(options: BenchOptions): Promise<BenchResult> {
  const { quick, log } = options;
  const scans = await ensureScans(quick ? 24 : 1000, options);
  const bigBytes = quick ? 64 * MIB : 1024 * MIB;
  const dir = mkdtempSync(join(cacheDir('sync'), 'run-'));
  const notes: string[] = [];
  // PostgreSQL as in production (a throwaway cluster, as the tests start one); PGlite where it cannot start.
  let cluster: { url: string; stop: () => Promise<void> } | null = null;
  try {
    const { startCluster, createTestDatabase } = await import('../tests/helpers/postgres');
    const started = await startCluster();
    cluster = { url: await createTestDatabase(started.url, 'bench_sync'), stop: () => started.stop() };
  } catch (error) {
    notes.push(`PostgreSQL did not start (${(error as Error).message.split('\n')[0]}): the server ran on PGlite.`);
  }
  const w = await world(dir, cluster?.url);
  let met = true;
  try {
    // ---------------------------------------------------------------- (a) throughput
    log(`sync: putting ${scans.files.length} scans (${bytes(scans.totalBytes)}) in the profile`);
    for (const file of scans.files) await readyDocument(w.profile, file.name, await readFile(file.path));
    await w.call('sync.queue', {});
    log('sync: syncing');
    w.breakdown.clear();
    const syncCpu = cpuSpan({ workstation: process.pid, server: w.server.pid });
    const profiling = process.env.LEMARI_BENCH_SYNC_PROFILE ? await startProfile() : null;
    const t0 = performance.now();
    const report = (await w.call('sync.run', {})) as { verified: number; problems: unknown[]; remaining: number };
    const syncMs = performance.now() - t0;
    if (profiling) notes.push(`Workstation CPU profile of sync.run: ${await profiling.stop(process.env.LEMARI_BENCH_SYNC_PROFILE!)}`);
    const syncCpuMs = syncCpu();
    if (report.verified !== scans.files.length) throw new Error(`sync verified ${report.verified} of ${scans.files.length}: ${JSON.stringify(report.problems).slice(0, 500)}`);

    const put = await startChild('put', join(dir, 'put'));
    log('sync: plain PUT of the same bytes');
    const putCpu = cpuSpan({ server: put.pid });
    const listFile = join(dir, 'put-files.json');
    writeFileSync(listFile, JSON.stringify(scans.files.map((file) => file.path)));
    const client = spawnSync(process.execPath, ['--input-type=module', '-e', PUT_CLIENT, put.ready.url, listFile, String(DEFAULT_SETTINGS.syncConcurrency)], { encoding: 'utf8' });
    if (client.status !== 0) throw new Error(`PUT client exited ${client.status}: ${client.stderr.slice(0, 500)}`);
    const { ms: putMs, cpuMs: clientCpuMs } = JSON.parse(client.stdout) as { ms: number; cpuMs: number };
    const putCpuMs = putCpu();
    putCpuMs.all += clientCpuMs;
    // The same PUTs with each document's bytes read from the sealed store and decrypted, as the
    // sync reads them, by a bare process too: what encryption at rest alone costs the client.
    log('sync: PUT of the bytes read from the sealed blob store');
    const sealedList = join(dir, 'put-sealed.json');
    writeFileSync(sealedList, JSON.stringify(w.profile.db.prepare('SELECT sha256, size FROM documents ORDER BY id').all()));
    const sealedCpu = cpuSpan({ server: put.pid });
    const sealedClient = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/lib/sealed-put-client.ts'), put.ready.url, w.dataDir, sealedList, String(DEFAULT_SETTINGS.syncConcurrency)], { cwd: ROOT, encoding: 'utf8' });
    if (sealedClient.status !== 0) throw new Error(`sealed PUT client exited ${sealedClient.status}: ${sealedClient.stderr.slice(0, 500)}`);
    const { ms: sealedMs, cpuMs: sealedClientCpuMs } = JSON.parse(sealedClient.stdout) as { ms: number; cpuMs: number };
    const sealedCpuMs = sealedCpu();
    sealedCpuMs.all += sealedClientCpuMs;
    put.stop();
    const ratio = putMs / syncMs;
    met &&= ratio >= TARGET_RATIO;
    const rate = (ms: number) => `${((scans.totalBytes / MIB) * 1000 / ms).toFixed(1)} MiB/s`;
    const cpuTable = {
      title: '(a) CPU time by process over each run (user + system; two cores share them all)',
      headers: ['run', 'wall', 'workstation / PUT client', 'server', 'PostgreSQL', 'all', 'busy share of 2 cores'],
      rows: [
        ['plain HTTP PUT', seconds(putMs), seconds(clientCpuMs), seconds(putCpuMs.server), '-', seconds(putCpuMs.all), `${((putCpuMs.all / (2 * putMs)) * 100).toFixed(0)}%`],
        ['PUT from the sealed store', seconds(sealedMs), seconds(sealedClientCpuMs), seconds(sealedCpuMs.server), '-', seconds(sealedCpuMs.all), `${((sealedCpuMs.all / (2 * sealedMs)) * 100).toFixed(0)}%`],
        ['Lemari sync', seconds(syncMs), seconds(syncCpuMs.workstation), seconds(syncCpuMs.server), seconds(syncCpuMs.postgres), seconds(syncCpuMs.all), `${((syncCpuMs.all / (2 * syncMs)) * 100).toFixed(0)}%`],
      ],
    };
    const breakdownTable = {
      title: '(a) where the sync waits: requests by kind (time summed over the files in flight)',
      headers: ['request', 'count', 'total', 'mean'],
      rows: [...w.breakdown].sort((x, y) => y[1].ms - x[1].ms).map(([key, { count, ms }]) => [key, count, seconds(ms), `${(ms / count).toFixed(1)} ms`]),
    };
    const throughputTable = {
      title: `(a) ${scans.files.length} scans, ${bytes(scans.totalBytes)}, to a local server (${cluster ? 'PostgreSQL' : 'PGlite'}, blobs on disk); ${DEFAULT_SETTINGS.syncConcurrency} files in flight`,
      headers: ['what', 'time', 'throughput', 'vs PUT', 'target', 'verdict'],
      rows: [
        ['plain HTTP PUT, fsync per file (baseline)', seconds(putMs), rate(putMs), '1.00', '', ''],
        ['the same PUTs, bytes read from the sealed blob store and decrypted (no sync)', seconds(sealedMs), rate(sealedMs), (putMs / sealedMs).toFixed(2), '', 'info'],
        ['Lemari sync: documents.sendBatch of up to 32 scans (tus + commit above 4 MiB), hash checked', seconds(syncMs), rate(syncMs), ratio.toFixed(2), `>= ${TARGET_RATIO}`, ratio >= TARGET_RATIO ? 'met' : 'NOT MET'],
      ],
    };
    const notesA = [
      ...notes,
      'The server and the PUT server are child processes; (a)\'s workstation runs in the bench process (the open profile\'s heap, as in the app), the PUT client in a bare Node process; (b) and (c) run `lemari sync` as a child process (startup and login included in its time).',
      'PUT reads each file from disk; the sync reads it from the sealed (encrypted) blob store, as a clerk\'s workstation does.',
      'PostgreSQL is the bench\'s throwaway cluster (tests/helpers/postgres.ts: fsync and synchronous_commit off); its CPU is the sum over every `postgres` process.',
    ];
    if (process.env.LEMARI_BENCH_SYNC_PARTS === 'a') return { name: 'sync', met, tables: [throughputTable, cpuTable, breakdownTable], notes: [...notesA, 'Part (a) only (LEMARI_BENCH_SYNC_PARTS=a).'] };

    // ---------------------------------------------------------------- (b) memory while a large file syncs
    log(`sync: a ${bytes(bigBytes)} file, RSS of the child`);
    await readyDocument(w.profile, 'besar-1.pdf', randomBytes(bigBytes));
    await w.closeProfile();
    const rss = { first: 0, max: 0, atStart: 0 };
    const proxy = await startFaultProxy(w.server.url, { seed: 1 });
    // From here on the children open the profile, and talk through a pass-through proxy that counts the bytes.
    new ConfSettingsStore(w.dataDir).set({ serverUrl: proxy.url });
    const big = await lemariSync(w, (pid) => {
      const now = rssOf(pid);
      if (!rss.first) rss.first = now;
      // Growth counts from the moment the upload's bytes start to flow: startup is not the file's cost.
      if (!rss.atStart && proxy.counts.bytesUp > CHUNK) rss.atStart = now;
      rss.max = Math.max(rss.max, now);
    });
    if (big.code !== 0) throw new Error(`lemari sync (large file) exited ${big.code}: ${big.stderr.slice(0, 500)}`);
    const growth = rss.max - (rss.atStart || rss.first);
    met &&= growth < TARGET_RSS_GROWTH;

    // ---------------------------------------------------------------- (c) SIGKILL mid-file, resume
    log('sync: SIGKILL at 40% of a large file, then resume');
    const again = await openProfile({
      dataDir: w.dataDir,
      host: 'cli',
      resourcesDir: findResourcesDir(ROOT),
      settings: new ConfSettingsStore(w.dataDir),
      secrets: new KeyFileSecretStore(w.dataDir),
      logger: { error: () => {}, info: () => {} },
    });
    await readyDocument(again, 'besar-2.pdf', randomBytes(bigBytes));
    await again.close();
    const before = proxy.counts.bytesUp;
    const killed = await lemariSync(w, (_pid, kill) => {
      if (proxy.counts.bytesUp - before >= 0.4 * bigBytes) kill();
    });
    const sentBeforeKill = proxy.counts.bytesUp - before;
    const resumed = await lemariSync(w, () => {});
    const sentOnResume = proxy.counts.bytesUp - before - sentBeforeKill;
    await proxy.close();
    if (killed.signal !== 'SIGKILL') throw new Error(`the run to kill ended on its own (${killed.code}): ${killed.stderr.slice(0, 300)}`);
    if (resumed.code !== 0) throw new Error(`the resumed run exited ${resumed.code}: ${resumed.stderr.slice(0, 500)}`);
    const extra = sentBeforeKill + sentOnResume - bigBytes;
    met &&= extra <= CHUNK;

    return {
      name: 'sync',
      met,
      tables: [
        throughputTable,
        cpuTable,
        breakdownTable,
        {
          title: `(b) workstation memory while one ${bytes(bigBytes)} file syncs (\`lemari sync\`, RSS every 25 ms)`,
          headers: ['RSS at start', 'RSS when the upload began', 'peak RSS', 'growth', 'target', 'verdict', 'time'],
          rows: [[bytes(rss.first), bytes(rss.atStart), bytes(rss.max), bytes(growth), `< ${bytes(TARGET_RSS_GROWTH)}`, growth < TARGET_RSS_GROWTH ? 'met' : 'NOT MET', seconds(big.ms)]],
        },
        {
          title: `(c) SIGKILL once 40% of a ${bytes(bigBytes)} file went up, then \`lemari sync\` again (bytes on the wire, HTTP heads included)`,
          headers: ['sent before the kill', 'sent on resume', 'beyond the file size', 'target', 'verdict'],
          rows: [[bytes(sentBeforeKill), bytes(sentOnResume), bytes(extra), `<= one chunk (${bytes(CHUNK)})`, verdict(extra, CHUNK)]],
        },
      ],
      notes: notesA,
    };
  } finally {
    await w.close();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
