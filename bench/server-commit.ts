// Document commits on the central server: 20 simulated workstations, each with its own
// user, device and token, commit small documents (pre-made complete uploads, as tus leaves
// them) one after another, all at once, against PostgreSQL: documents per second and
// p50/p95 latency of POST /v1/documents. The server runs as its own process
// (`node --import tsx server/main.ts serve`, request logging on, to a discarded stdout) on a
// throwaway PostgreSQL cluster (tests/helpers/postgres.ts) switched back to durable commits
// (fsync, synchronous_commit), as production runs it. Two shapes: the 20 workstations in
// one instansi (one change feed; server/reference/feed.ts says why its writers need not
// take turns) and in 20 instansi. Baseline in the same run, on the same
// cluster: the same number of bare INSERTs of a row of the same size through pg with 20
// connections, the raw limit of the database under this concurrency.

import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { loadServerKey, SecretSealer } from '../server/auth/sealing';
import { loadSigningKey, TokenSigner } from '../server/auth/tokens';
import { blobKey } from '../server/blobs';
import { openDb, type Db } from '../server/db';
import { createTestDatabase, startCluster } from '../tests/helpers/postgres';
import { count, cpuMs, ms, ROOT, stats, type BenchOptions, type BenchResult, type Table } from './lib/common';
import { PeopleGenerator, type EmployeeRow } from './lib/people';

const CLIENTS = 20;

interface ServerProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startServerProcess(databaseUrl: string, dataDir: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', 'serve', '--port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${log}`)), 60_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${log}`));
    });
  });
  return {
    url,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

let userSerial = 0;
/** Valid PNS NIPs for the bench's accounts (born 1970-01-01, TMT 1995-01, male), unique per run. */
const userNip = () => `197001011995011${String(++userSerial).padStart(3, '0')}`;

interface Workstation {
  token: string;
  instansiId: string;
  jobs: { uploadId: string; employee: EmployeeRow; n: number }[];
}

function pdf(seed: string): Buffer {
  return Buffer.from(`%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n% ${seed}\n${'0'.repeat(1500)}\n%%EOF\n`);
}

/**
 * Seeds instansi, an admin (who imports the employee list through the API), one user and
 * device per workstation, and `perClient` complete uploads each, with their bytes written
 * where the server's directory blob store reads them.
 */
async function seed(db: Db, signer: TokenSigner, url: string, blobDir: string, p: { instansi: string[]; perClient: number; employeesPerInstansi: number; people: PeopleGenerator }) {
  const stations: Workstation[] = [];
  const employeesOf = new Map<string, EmployeeRow[]>();
  for (const instansiId of p.instansi) {
    await db.query('insert into instansi (id, name) values ($1, $2)', [instansiId, `Bench ${instansiId}`]);
    const admin = await addUser(db, signer, instansiId, userNip(), 'admin');
    const employees = Array.from({ length: p.employeesPerInstansi }, () => p.people.employee());
    const res = await fetch(`${url}/v1/reference/employees`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        employees: employees.map((e) => ({
          nip: e.nip,
          kind: e.kind,
          nama: e.nama,
          tempatLahir: e.tempat_lahir,
          tanggalLahir: e.tanggal_lahir,
          golongan: e.golongan,
          jabatan: e.jabatan,
          unitKerja: e.unit_kerja,
          kedudukanHukum: e.kedudukan_hukum,
        })),
      }),
    });
    if (res.status !== 200) throw new Error(`employee import failed: ${res.status} ${await res.text()}`);
    employeesOf.set(instansiId, employees);
  }
  const uploads: { id: string; instansi: string; device: string; user: number; sha: string; size: number }[] = [];
  for (let c = 0; c < CLIENTS; c++) {
    const instansiId = p.instansi[c % p.instansi.length];
    const user = await addUser(db, signer, instansiId, userNip(), 'clerk');
    const employees = employeesOf.get(instansiId)!;
    const station: Workstation = { token: user.token, instansiId, jobs: [] };
    for (let n = 0; n < p.perClient; n++) {
      const bytes = pdf(randomBytes(16).toString('hex'));
      const sha = createHash('sha256').update(bytes).digest('hex');
      const file = join(blobDir, blobKey(sha));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, bytes);
      const id = randomBytes(16).toString('hex');
      uploads.push({ id, instansi: instansiId, device: user.deviceId, user: user.userId, sha, size: bytes.length });
      station.jobs.push({ uploadId: id, employee: employees[(c * p.perClient + n) % employees.length], n });
    }
    stations.push(station);
  }
  await db.query(
    `insert into uploads (id, instansi_id, device_id, user_id, file_name, declared_sha256, size, status, blob_key, completed_at)
     select u.id, u.instansi, u.device::uuid, u.usr, 'scan.pdf', u.sha, u.size, 'complete', 'sha256/' || substr(u.sha, 1, 2) || '/' || u.sha, now()
       from unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[]) as u(id, instansi, device, usr, sha, size)`,
    [uploads.map((u) => u.id), uploads.map((u) => u.instansi), uploads.map((u) => u.device), uploads.map((u) => u.user), uploads.map((u) => u.sha), uploads.map((u) => u.size)],
  );
  return stations;
}

async function addUser(db: Db, signer: TokenSigner, instansiId: string, nip: string, role: 'admin' | 'clerk') {
  const { rows } = await db.query<{ id: number }>("insert into users (instansi_id, nip, name, role, status) values ($1, $2, $3, $4, 'active') returning id", [instansiId, nip, `Bench ${nip}`, role]);
  const deviceId = randomUUID();
  await db.query('insert into devices (id, instansi_id, name, registered_by) values ($1, $2, $3, $4)', [deviceId, instansiId, `PC ${nip}`, rows[0].id]);
  return { userId: rows[0].id, deviceId, token: signer.issueAccess({ userId: rows[0].id, instansiId, deviceId }, 6 * 3600).token };
}

function commitBody(job: Workstation['jobs'][number], station: number) {
  const year = 2010 + (job.n % 14);
  return {
    idempotencyKey: `bench-${station}-${job.n}-${job.uploadId.slice(0, 8)}`,
    uploadId: job.uploadId,
    nip: job.employee.nip,
    typeCode: 'SK_PANGKAT',
    fields: { nomor: `823.3/${100 + job.n}/BKD/${year}`, tanggal: `${year}-03-01`, tmt: `${year}-04-01`, golongan: job.employee.golongan },
  };
}

/** Every workstation commits its jobs one after another; all start together. */
async function runCommits(url: string, stations: Workstation[], from: number, to: number): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    stations.map(async (station, s) => {
      for (const job of station.jobs.slice(from, to)) {
        const t = performance.now();
        const res = await fetch(`${url}/v1/documents`, {
          method: 'POST',
          headers: { authorization: `Bearer ${station.token}`, 'content-type': 'application/json' },
          body: JSON.stringify(commitBody(job, s)),
        });
        const body = (await res.json()) as { created?: boolean };
        if (res.status !== 200 || !body.created) throw new Error(`commit failed: ${res.status} ${JSON.stringify(body)}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, wallMs: performance.now() - t0 };
}

/** The raw limit: single-row INSERTs of a row as wide as a document's, through 20 pg connections. */
async function bareInserts(databaseUrl: string) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: CLIENTS });
  await pool.query('create table bench_raw (id uuid primary key, instansi_id text not null, idempotency_key text not null, fields jsonb not null, sha256 text not null, created_at timestamptz not null)');
  const insert = () =>
    pool.query('insert into bench_raw (id, instansi_id, idempotency_key, fields, sha256, created_at) values ($1, $2, $3, $4::jsonb, $5, now())', [
      randomUUID(),
      'BENCH',
      randomBytes(8).toString('hex'),
      JSON.stringify({ nomor: '823.3/100/BKD/2015', tanggal: '2015-03-01', tmt: '2015-04-01', golongan: 'III/a' }),
      randomBytes(32).toString('hex'),
    ]);
  return {
    /** `perClient` inserts on each of the 20 connections, all at once. */
    async run(perClient: number): Promise<{ latencies: number[]; wallMs: number }> {
      const latencies: number[] = [];
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          for (let i = 0; i < perClient; i++) {
            const t = performance.now();
            await insert();
            latencies.push(performance.now() - t);
          }
        }),
      );
      return { latencies, wallMs: performance.now() - t0 };
    },
    close: () => pool.end(),
  };
}

/** The test cluster is tuned for speed (no fsync); production commits durably, so the bench does. */
async function makeDurable(clusterUrl: string): Promise<void> {
  const client = new pg.Client(clusterUrl);
  await client.connect();
  try {
    for (const sql of ['alter system set fsync = on', 'alter system set synchronous_commit = on', 'alter system set full_page_writes = on', 'select pg_reload_conf()']) await client.query(sql);
  } finally {
    await client.end();
  }
}

export default async function serverCommitBench(options: BenchOptions): Promise<BenchResult> {
  const perClient = options.quick ? 10 : 100;
  const warmup = options.quick ? 2 : 5;
  // The paths take turns, a slice each per round, so a busy moment of the machine falls on all of them.
  const rounds = options.quick ? 2 : 5;
  const work = mkdtempSync(join(tmpdir(), 'lemari-bench-commit-'));
  options.log(`server-commit: starting PostgreSQL and the server; ${CLIENTS} workstations x ${perClient} commits per path, in ${rounds} rounds`);
  const cluster = await startCluster();
  let server: ServerProcess | undefined;
  let db: Db | undefined;
  let bare: Awaited<ReturnType<typeof bareInserts>> | undefined;
  try {
    await makeDurable(cluster.url);
    const databaseUrl = await createTestDatabase(cluster.url, 'bench');
    const dataDir = join(work, 'server');
    server = await startServerProcess(databaseUrl, dataDir);
    db = await openDb({ databaseUrl, dataDir: '', poolSize: 4 });
    // The server made its key file in its data directory on start (server/auth/sealing.ts).
    const signer = new TokenSigner(await loadSigningKey(db, new SecretSealer(await loadServerKey(join(dataDir, 'secret.key')))));
    const people = new PeopleGenerator(11);
    const shapes = [
      { name: `POST /v1/documents, ${CLIENTS} workstations of one instansi`, instansi: ['BENCH1'], employeesPerInstansi: 1000 },
      { name: `POST /v1/documents, ${CLIENTS} instansi, one workstation each`, instansi: Array.from({ length: CLIENTS }, (_, i) => `BI${String(i + 1).padStart(2, '0')}`), employeesPerInstansi: 100 },
    ];
    const paths: { name: string; run: (round: number) => Promise<{ latencies: number[]; wallMs: number }>; latencies: number[]; wallMs: number; cpuMs: number }[] = [];
    for (const shape of shapes) {
      options.log(`server-commit: seeding ${shape.name}`);
      const stations = await seed(db, signer, server.url, join(dataDir, 'blobs'), { instansi: shape.instansi, perClient: perClient + warmup, employeesPerInstansi: shape.employeesPerInstansi, people });
      await runCommits(server.url, stations, 0, warmup);
      const slice = perClient / rounds;
      paths.push({ name: shape.name, run: (r) => runCommits(server!.url, stations, warmup + r * slice, warmup + (r + 1) * slice), latencies: [], wallMs: 0, cpuMs: 0 });
    }
    bare = await bareInserts(databaseUrl);
    await bare.run(1); // connect all 20
    paths.push({ name: `Baseline: bare INSERT through pg, ${CLIENTS} connections`, run: () => bare!.run(perClient / rounds), latencies: [], wallMs: 0, cpuMs: 0 });

    for (let round = 0; round < rounds; round++) {
      options.log(`server-commit: round ${round + 1} of ${rounds}`);
      for (const path of paths) {
        const cpu0 = cpuMs(server.child.pid);
        const run = await path.run(round);
        path.cpuMs += cpuMs(server.child.pid) - cpu0;
        path.latencies.push(...run.latencies);
        path.wallMs += run.wallMs;
      }
    }
    // Every commit made exactly one document, each with its own change stamp.
    const check = await db.query<{ docs: number; stamps: number }>('select count(*) as docs, count(distinct (change_xid, change_seq)) as stamps from documents');
    const expected = shapes.length * CLIENTS * (perClient + warmup);
    if (check.rows[0].docs !== expected || check.rows[0].stamps !== expected) throw new Error(`expected ${expected} documents with distinct change stamps, found ${JSON.stringify(check.rows[0])}`);

    const rows: Table['rows'] = paths.map((path) => {
      const s = stats(path.latencies);
      return [path.name, CLIENTS, count(path.latencies.length), (path.latencies.length / (path.wallMs / 1000)).toFixed(0), ms(s.p50), ms(s.p95), ms(s.max)];
    });
    return {
      name: 'server-commit',
      tables: [{ title: `Document commits against PostgreSQL, ${CLIENTS} concurrent clients (durable commits)`, headers: ['Path', 'Clients', 'Requests', 'Per second', 'p50 ms', 'p95 ms', 'max ms'], rows }],
      notes: [
        ...paths.slice(0, shapes.length).map((path) => `${path.name}: server process CPU ${ms(path.cpuMs / path.latencies.length)} ms per commit (user + system).`),
        `Each commit: auth (token + device check), the label checks of the workstation (NIP, type, fields, employee of the instansi), the upload lookup, a content-type sniff of the stored bytes, and the insert with its change stamp; ${warmup} warm-up commits per client first.`,
        `The three paths ran in ${rounds} interleaved rounds (${perClient / rounds} requests per client per round), so load from elsewhere on the machine falls on all three.`,
        "Server, PostgreSQL and the 20 clients share this machine's cores; PostgreSQL with fsync, synchronous_commit and full_page_writes on.",
        'Seeding (employee import, blob files, upload rows) is not measured.',
      ],
    };
  } finally {
    await bare?.close();
    await server?.stop();
    await db?.close();
    await cluster.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
