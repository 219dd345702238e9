// Resumable uploads (tus at /v1/uploads) on both databases: chunked and resumed uploads
// verified against the declared SHA-256 and stored under it, a mismatch rejected with
// nothing kept, bad input refused with specific codes and no row, another instansi's
// uploads invisible, and expiry of abandoned uploads on a fake clock.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobKey } from '../../../server/blobs';
import { uploadsOf } from '../../../server/uploads';
import { UploadLocker } from '../../../server/uploads/locks';
import { UploadService } from '../../../server/uploads/service';
import { UploadStore } from '../../../server/uploads/store';
import { startTestServer, type SeededUser, type TestDbKind, type TestServer } from '../../helpers/server';
import { eventually, sha256, TusClient } from '../../helpers/tus';

const MAX = 256 * 1024;
const HOUR = 3_600_000;

function files(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name) : [];
}

describe.each<TestDbKind>(['pglite', 'postgres'])('uploads on %s', (kind) => {
  let server: TestServer;
  let clock = Date.parse('2026-03-02T08:00:00Z');
  let clerk: SeededUser;
  let tus: TusClient;
  let other: TusClient;
  const id = (url: string) => url.split('/').pop()!;
  const status = (url: string, token = clerk.token) => server.call('GET', `/v1/uploads/${id(url)}/status`, { token });
  const rowCount = async () => (await server.deps.db.query<{ n: number }>('select count(*)::int as n from uploads')).rows[0].n;

  beforeAll(async () => {
    server = await startTestServer(kind, { maxUploadBytes: MAX, now: () => clock });
    await server.instansi('A1');
    await server.instansi('B2');
    clerk = await server.user({ instansiId: 'A1', nip: '198503152010012003' });
    const stranger = await server.user({ instansiId: 'B2', nip: '199001012015031001' });
    tus = new TusClient(server.url, clerk.token);
    other = new TusClient(server.url, stranger.token);
  });
  afterAll(() => server?.close());

  it('takes a file in chunks, verifies its SHA-256, stores it under that hash and says it is complete', async () => {
    const bytes = randomBytes(200_000);
    const url = await tus.start(bytes, { filename: 'SK Kenaikan Pangkat 2019.pdf' });
    expect(url).toMatch(/\/v1\/uploads\/[0-9a-f]{32}$/);
    expect(await tus.offset(url)).toBe(0);
    // Only the bytes sit in the upload directory: size and metadata live in the uploads table.
    expect(files(server.config.uploadDir)).toEqual([id(url)]);
    expect((await tus.head(url)).headers.get('upload-length')).toBe('200000');
    expect((await tus.patch(url, 0, bytes.subarray(0, 70_000))).headers.get('upload-offset')).toBe('70000');
    expect((await status(url)).body).toMatchObject({ status: 'receiving', offset: 70_000, size: 200_000, sha256: sha256(bytes) });
    const last = await tus.send(url, bytes, 70_000);
    expect(last.status).toBe(204);
    expect(last.headers.get('upload-offset')).toBe('200000');

    const done = await status(url);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'complete', offset: 200_000, size: 200_000, sha256: sha256(bytes), fileName: 'SK Kenaikan Pangkat 2019.pdf', expiresAt: null });
    expect(Buffer.compare(await buffer(await server.deps.blobs.read(blobKey(sha256(bytes)))), bytes)).toBe(0);
    const { rows } = await server.deps.db.query('select instansi_id, device_id, user_id, status, blob_key from uploads where id = $1', [id(url)]);
    expect(rows[0]).toEqual({ instansi_id: 'A1', device_id: clerk.deviceId, user_id: clerk.userId, status: 'complete', blob_key: blobKey(sha256(bytes)) });
    expect(files(server.config.uploadDir)).toEqual([]); // nothing left behind in progress

    // The answer to the last PATCH was lost: HEAD says done, and the PATCH again is harmless.
    expect(await tus.offset(url)).toBe(200_000);
    expect((await tus.patch(url, 200_000, Buffer.alloc(0))).status).toBe(204);
  });

  it('resumes a PATCH cut mid-way from the bytes that reached the disk', async () => {
    const bytes = randomBytes(150_000);
    const url = await tus.start(bytes);
    const { req, answer } = tus.openPatch(url, 0, bytes.length);
    answer.catch(() => {}); // the cut rejects it
    req.write(bytes.subarray(0, 90_000));
    await eventually(async () => (await status(url)).body.offset === 90_000, 10_000, 'the first 90 000 bytes on disk');
    req.destroy();
    await eventually(async () => (await tus.head(url)).status === 200, 10_000, 'the cut PATCH to let go');
    expect(await tus.offset(url)).toBe(90_000);
    expect((await tus.send(url, bytes)).status).toBe(204);
    expect((await status(url)).body.status).toBe('complete');
    expect(Buffer.compare(await buffer(await server.deps.blobs.read(blobKey(sha256(bytes)))), bytes)).toBe(0);
  });

  it('rejects bytes that do not hash to the declared SHA-256 and keeps nothing', async () => {
    const bytes = randomBytes(50_000);
    const url = await tus.start(bytes, { sha256: sha256(Buffer.from('something else')) });
    const last = await tus.send(url, bytes, 20_000);
    expect(last.status).toBe(422);
    expect(last.body.error).toMatchObject({ code: 'checksum_mismatch', details: { declared: sha256(Buffer.from('something else')), received: sha256(bytes) } });
    expect((await status(url)).body).toMatchObject({ status: 'rejected' });
    expect(await server.deps.blobs.stat(blobKey(sha256(bytes)))).toBeNull();
    expect(existsSync(join(server.config.uploadDir, id(url)))).toBe(false);
    const head = await tus.head(url);
    expect(head.status).toBe(410);
    const patch = await tus.patch(url, 50_000, Buffer.alloc(0));
    expect(patch.status).toBe(410);
    expect(patch.body.error.code).toBe('upload_gone');
  });

  it('keeps one blob for the same bytes uploaded twice, and takes an empty file', async () => {
    const bytes = randomBytes(30_000);
    for (let i = 0; i < 2; i++) expect((await tus.send(await tus.start(bytes), bytes)).status).toBe(204);
    const blobs = files((server.config.blobs as { dir: string }).dir).filter((name) => name === sha256(bytes));
    expect(blobs).toHaveLength(1);

    const empty = await tus.create({ size: 0, metadata: { filename: 'kosong.pdf', sha256: sha256(Buffer.alloc(0)) } });
    expect(empty.status).toBe(201);
    expect((await status(empty.url!)).body).toMatchObject({ status: 'complete', size: 0 });
  });

  it('refuses bad creations with specific codes and records nothing', async () => {
    const before = await rowCount();
    const good = { filename: 'scan.pdf', sha256: sha256(Buffer.from('x')) };
    const create = (p: Partial<Parameters<TusClient['create']>[0]>, client = tus) => client.create({ size: 1, metadata: good, ...p });
    const code = async (p: Promise<{ status: number; body: { error?: { code: string } } }>) => {
      const res = await p;
      return [res.status, res.body?.error?.code];
    };
    expect(await code(new TusClient(server.url, null).create({ size: 1, metadata: good }))).toEqual([401, 'unauthenticated']);
    const expired = server.deps.signer.issueAccess({ userId: clerk.userId, instansiId: 'A1', deviceId: clerk.deviceId }, -1).token;
    expect(await code(new TusClient(server.url, expired).create({ size: 1, metadata: good }))).toEqual([401, 'token_expired']);
    for (const filename of ['../etc/passwd', 'a\\b.pdf', 'scan\u0000.pdf', 'scan\n.pdf', '', '   ', '..', `${'n'.repeat(252)}.pdf`]) {
      expect(await code(create({ metadata: { ...good, filename } })), JSON.stringify(filename)).toEqual([400, 'invalid_file_name']);
    }
    expect(await code(create({ metadata: { sha256: good.sha256 } }))).toEqual([400, 'invalid_file_name']);
    expect(await code(create({ metadata: { ...good, sha256: 'ABC' } }))).toEqual([400, 'invalid_input']);
    expect(await code(create({ metadata: { ...good, filetype: 'application/pdf' } }))).toEqual([400, 'unknown_field']);
    expect(await code(create({ size: MAX + 1 }))).toEqual([413, 'payload_too_large']);
    expect(await code(create({ size: null }))).toEqual([400, 'invalid_input']);
    expect(await code(create({ headers: { 'upload-metadata': 'filename ***' } }))).toEqual([400, 'invalid_input']);
    expect(await code(create({ headers: { 'tus-resumable': '0.2.2' } }))).toEqual([412, 'unsupported_tus_version']);
    expect(await rowCount()).toBe(before);
    // At the limit is fine.
    expect((await create({ size: MAX })).status).toBe(201);
  });

  it('tells a client with OPTIONS what it supports: tus 1.0.0, creation, the size limit', async () => {
    const res = await fetch(`${server.url}/v1/uploads`, { method: 'OPTIONS', headers: { authorization: `Bearer ${clerk.token}` } });
    expect(res.status).toBe(204);
    expect(res.headers.get('tus-version')).toBe('1.0.0');
    expect(res.headers.get('tus-extension')).toBe('creation,creation-with-upload');
    expect(res.headers.get('tus-max-size')).toBe(String(MAX));
    expect(res.headers.get('access-control-allow-origin')).toBeNull(); // not for browsers
    expect((await fetch(`${server.url}/v1/uploads`, { method: 'OPTIONS' })).status).toBe(401);
  });

  it('refuses PATCHes at the wrong offset, past the declared length, or of another type', async () => {
    const bytes = randomBytes(1000);
    const url = await tus.start(bytes);
    const wrong = await tus.patch(url, 10, bytes.subarray(10));
    expect([wrong.status, wrong.body.error.code]).toEqual([409, 'conflict']);
    const tooMuch = await tus.patch(url, 0, Buffer.concat([bytes, Buffer.from('extra')]));
    expect([tooMuch.status, tooMuch.body.error.code]).toEqual([413, 'payload_too_large']);
    const type = await tus.patch(url, 0, bytes, { 'content-type': 'application/pdf' });
    expect([type.status, type.body.error.code]).toEqual([415, 'unsupported_media_type']);
    expect(await tus.offset(url)).toBe(0);
  });

  it("hides an upload from another instansi: tus requests and status answer 404", async () => {
    const bytes = randomBytes(1000);
    const url = await tus.start(bytes);
    expect((await other.head(url)).status).toBe(404);
    const patch = await other.patch(url, 0, bytes);
    expect([patch.status, patch.body.error.code]).toEqual([404, 'not_found']);
    const seen = await server.call('GET', `/v1/uploads/${id(url)}/status`, { token: (await server.user({ instansiId: 'B2', nip: '199202022016032002' })).token });
    expect([seen.status, seen.body.error.code]).toEqual([404, 'not_found']);
    expect(await tus.offset(url)).toBe(0); // untouched
    // A PATCH records progress in the statement that checks access: never on another instansi's upload.
    const updatedAt = async () => (await server.deps.db.query<{ updated_at: string }>('select updated_at from uploads where id = $1', [id(url)])).rows[0].updated_at;
    const before = await updatedAt();
    clock += 60_000;
    expect((await other.patch(url, 0, bytes)).status).toBe(404);
    expect(await updatedAt()).toBe(before);
    clock -= 60_000;
    // Another clerk of the same instansi may see it (a workstation's users share its uploads).
    const colleague = await server.user({ instansiId: 'A1', nip: '198712122012121001' });
    expect((await status(url, colleague.token)).body.status).toBe('receiving');
  });

  it('expires an upload with no progress for the configured hours, not one that moves', async () => {
    // Access tokens live minutes; on this fake clock hours pass, so sign a fresh one each time.
    const advance = (ms: number) => {
      clock += ms;
      clerk = { ...clerk, token: server.deps.signer.issueAccess({ userId: clerk.userId, instansiId: 'A1', deviceId: clerk.deviceId }, 900).token };
      tus = new TusClient(server.url, clerk.token);
    };
    const idle = randomBytes(4000);
    const busy = randomBytes(4000);
    const idleUrl = await tus.start(idle);
    const busyUrl = await tus.start(busy);
    await tus.patch(idleUrl, 0, idle.subarray(0, 1000));
    await tus.patch(busyUrl, 0, busy.subarray(0, 1000));
    expect((await status(idleUrl)).body.expiresAt).toBe(new Date(clock + 24 * HOUR).toISOString());

    advance(20 * HOUR);
    await tus.patch(busyUrl, 1000, busy.subarray(1000, 2000)); // progress restarts its clock
    advance(5 * HOUR);
    expect(await uploadsOf(server.app).expire()).toBeGreaterThanOrEqual(1);
    expect((await status(idleUrl)).body).toMatchObject({ status: 'expired' });
    expect(existsSync(join(server.config.uploadDir, id(idleUrl)))).toBe(false);
    const head = await tus.head(idleUrl);
    expect(head.status).toBe(410);
    expect((await status(busyUrl)).body).toMatchObject({ status: 'receiving', offset: 2000 });

    // Two sweeps at once (on PostgreSQL: as two nodes, each with its own lock connection)
    // expire the busy upload once, and an upload whose lock is held is left alone.
    advance(25 * HOUR);
    const unlockBusy = await uploadsOf(server.app).locker.tryLock(id(busyUrl));
    expect(unlockBusy).not.toBeNull();
    expect(await uploadsOf(server.app).expire()).toBe(0);
    await unlockBusy!();
    const secondLocker = new UploadLocker({ databaseUrl: server.config.databaseUrl, log: server.deps.log });
    await secondLocker.start();
    const secondNode =
      kind === 'postgres'
        ? new UploadService(server.deps, new UploadStore(server.config.uploadDir, { progressed: async () => {}, row: async () => null }), secondLocker)
        : uploadsOf(server.app);
    try {
      const counts = await Promise.all([uploadsOf(server.app).expire(), secondNode.expire()]);
      expect(counts[0] + counts[1]).toBe(1);
    } finally {
      await secondLocker.close();
    }
    expect((await status(busyUrl)).body.status).toBe('expired');
  });
});
