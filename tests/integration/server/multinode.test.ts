// Two server nodes: real `lemari-server serve` child processes on one PostgreSQL, sharing
// one upload directory and one blob directory, as behind a load balancer. An upload begun
// on node 1 resumes on node 2, whether the client's connection to node 1 was cut or
// merely went silent (node 1 still holds the upload's lock until node 2 asks for it).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadServerKey, SecretSealer } from '../../../server/auth/sealing';
import { loadSigningKey, TokenSigner } from '../../../server/auth/tokens';
import { blobKey } from '../../../server/blobs';
import { openDb, type Db } from '../../../server/db';
import { UploadLocker } from '../../../server/uploads/locks';
import { createTestDatabase } from '../../helpers/postgres';
import { eventually, sha256, TusClient } from '../../helpers/tus';

const ROOT = resolve(import.meta.dirname, '../../..');

interface Node {
  url: string;
  child: ChildProcess;
  log: () => string;
}

async function startNode(dir: string, env: Record<string, string>): Promise<Node> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', 'serve', '--port', '0', '--data-dir', dir], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.setEncoding('utf8');
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`node did not start:\n${log}`)), 45_000);
    child.stderr!.on('data', (chunk: string) => {
      log += chunk;
      const match = /lemari-server: listening on (\S+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        done(match[1]);
      }
    });
    child.once('exit', (code) => fail(new Error(`node exited (${code}):\n${log}`)));
  });
  return { url, child, log: () => log };
}

async function stopNode(node: Node | undefined): Promise<void> {
  if (!node || node.child.exitCode !== null) return;
  const exited = new Promise((done) => node.child.once('exit', done));
  node.child.kill('SIGTERM');
  await exited;
}

describe('two nodes on one PostgreSQL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lemari-multinode-'));
  const blobDir = join(dir, 'blobs');
  // One server key for the nodes of one database (the first to start makes it).
  const keyFile = join(dir, 'secret.key');
  let db: Db;
  let databaseUrl: string;
  let node1: Node;
  let node2: Node;
  let client1: TusClient;
  let client2: TusClient;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase(inject('postgresUrl'));
    const env = { DATABASE_URL: databaseUrl, LEMARI_UPLOAD_DIR: join(dir, 'uploads'), LEMARI_BLOB_DIR: blobDir, LEMARI_SECRET_KEY_FILE: keyFile };
    [node1, node2] = await Promise.all([startNode(join(dir, 'n1'), env), startNode(join(dir, 'n2'), env)]);
    db = await openDb({ databaseUrl, dataDir: '' });
    // A workstation of instansi A1, and its token signed with the key both nodes share.
    await db.query("insert into instansi (id, name) values ('A1', 'Instansi A1')");
    const { rows } = await db.query<{ id: number }>("insert into users (instansi_id, nip, name, role, status) values ('A1', '198503152010012003', 'Pegawai', 'clerk', 'active') returning id");
    const deviceId = randomUUID();
    await db.query("insert into devices (id, instansi_id, name) values ($1, 'A1', 'PC 1')", [deviceId]);
    const signer = new TokenSigner(await loadSigningKey(db, new SecretSealer(await loadServerKey(keyFile))));
    const { token } = signer.issueAccess({ userId: rows[0].id, instansiId: 'A1', deviceId }, 3600);
    client1 = new TusClient(node1.url, token);
    client2 = new TusClient(node2.url, token);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([stopNode(node1), stopNode(node2)]);
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const on = (client: TusClient, url: string) => `${client.baseUrl}${new URL(url).pathname}`;
  const statusOn = async (client: TusClient, url: string) => {
    const res = await fetch(`${on(client, url)}/status`, { headers: { authorization: `Bearer ${client.token}` } });
    return res.json() as Promise<{ status: string; offset: number }>;
  };
  const blob = (bytes: Buffer) => readFileSync(join(blobDir, blobKey(sha256(bytes))));

  it('refuses to start a third node whose server key is not the one the database was sealed with', async () => {
    const other = join(dir, 'other.key');
    writeFileSync(other, randomBytes(32).toString('base64'));
    const env = { DATABASE_URL: databaseUrl, LEMARI_SECRET_KEY_FILE: other };
    await expect(startNode(join(dir, 'n3'), env)).rejects.toThrow(/not the key this database's secrets were sealed with/);
  });

  it('resumes on node 2 an upload whose connection to node 1 was cut mid-way', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const url = await client1.start(bytes, { filename: 'DRH.pdf' });
    const half = 1_500_000;
    const cut = client1.openPatch(url, 0, bytes.length);
    cut.answer.catch(() => {});
    cut.req.write(bytes.subarray(0, half));
    await eventually(async () => (await statusOn(client2, url)).offset === half, 15_000, 'the first half on the shared disk');
    cut.req.destroy();

    await eventually(async () => (await client2.head(on(client2, url))).status === 200, 15_000, 'node 1 to let go');
    expect(await client2.offset(on(client2, url))).toBe(half);
    const last = await client2.patch(on(client2, url), half, bytes.subarray(half));
    expect(last.status).toBe(204);
    expect(await statusOn(client1, url)).toMatchObject({ status: 'complete', offset: bytes.length });
    expect(Buffer.compare(blob(bytes), bytes)).toBe(0);
  });

  it('makes node 1 release an upload its silent client still holds when the client resumes on node 2', async () => {
    const bytes = randomBytes(2 * 1024 * 1024);
    const url = await client1.start(bytes);
    const half = 1_000_000;
    const stalled = client1.openPatch(url, 0, bytes.length);
    stalled.answer.catch(() => {});
    stalled.req.write(bytes.subarray(0, half));
    await eventually(async () => (await statusOn(client2, url)).offset === half, 15_000, 'the first half on the shared disk');

    // Node 1's PATCH holds the lock and waits for bytes that will not come. Node 2 must
    // wait for it (one writer at a time across nodes), and must not wait long: without the
    // cross-node release request it would wait out its lock timeout (30 s) and fail.
    let node1Ended = 0;
    stalled.answer.then(
      () => (node1Ended = Date.now()),
      () => (node1Ended = Date.now()),
    );
    const t0 = Date.now();
    const head = await client2.head(on(client2, url));
    expect(head.status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(node1Ended).toBeGreaterThan(0); // node 1 let go before node 2 answered
    expect(Number(head.headers.get('upload-offset'))).toBe(half);
    expect((await client2.patch(on(client2, url), half, bytes.subarray(half))).status).toBe(204);
    stalled.req.destroy();
    expect(await statusOn(client1, url)).toMatchObject({ status: 'complete', offset: bytes.length });
    expect(Buffer.compare(blob(bytes), bytes)).toBe(0);
  });
});

describe('upload locks across nodes (PostgreSQL advisory locks)', () => {
  it('gives an upload to one node at a time, and asks the holder on the other node to let go', async () => {
    const databaseUrl = await createTestDatabase(inject('postgresUrl'));
    const log = Fastify({ logger: false }).log;
    const [a, b] = [new UploadLocker({ databaseUrl, log }), new UploadLocker({ databaseUrl, log, acquireTimeoutMs: 5_000 })];
    await Promise.all([a.start(), b.start()]);
    try {
      const id = 'f'.repeat(32);
      const never = new AbortController().signal;
      let asked = 0;
      const held = a.newLock(id);
      await held.lock(never, () => {
        asked++;
        setTimeout(() => void held.unlock(), 200);
      });
      expect(await b.tryLock(id)).toBeNull(); // housekeeping does not interrupt a holder
      expect(asked).toBe(0);
      const t0 = Date.now();
      const taken = b.newLock(id);
      await taken.lock(never, () => {});
      expect(asked).toBe(1);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
      expect(await a.tryLock(id)).toBeNull();
      await taken.unlock();
      const unlock = await a.tryLock(id);
      expect(unlock).not.toBeNull();
      await unlock!();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
