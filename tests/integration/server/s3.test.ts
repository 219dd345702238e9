// The S3 blob store (server/blobs/s3.ts) against the S3 protocol stand-in
// (tests/helpers/s3-standin.ts): objects written, read whole and by range, sized, removed;
// large streams of unknown length as multipart uploads; the SHA-256 checked by the object
// store; a wrong key refused. Then a whole server on S3: a tus upload lands in the bucket.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobKey } from '../../../server/blobs';
import { S3BlobStore } from '../../../server/blobs/s3';
import { startS3StandIn, type S3StandIn } from '../../helpers/s3-standin';
import { startTestServer, type TestDbKind } from '../../helpers/server';
import { sha256, TusClient } from '../../helpers/tus';

const MIB = 1024 * 1024;

/** A stream that does not know its length, in uneven chunks. */
const trickle = (bytes: Buffer) => Readable.from((function* () {
  for (let at = 0; at < bytes.length; at += 300_001) yield bytes.subarray(at, at + 300_001);
})());

describe('S3 blob store against the stand-in', () => {
  let s3: S3StandIn;
  let store: S3BlobStore;
  const dir = mkdtempSync(join(tmpdir(), 'lemari-s3-'));

  beforeAll(async () => {
    s3 = await startS3StandIn();
    store = new S3BlobStore(s3.config, { partSize: 5 * MIB });
    await store.check();
  });
  afterAll(async () => {
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts a verified file in one PutObject carrying its SHA-256, then reads, ranges, sizes and removes it', async () => {
    const bytes = randomBytes(700_000);
    const file = join(dir, 'upload');
    writeFileSync(file, bytes);
    const key = blobKey(sha256(bytes));
    s3.requests.length = 0;
    expect(await store.putFile(key, file, { size: bytes.length, sha256: sha256(bytes) })).toEqual({ size: bytes.length });
    expect(s3.requests.map((r) => [r.method, r.path, r.status])).toEqual([['PUT', `/lemari-blobs/${key}`, 200]]);
    expect(s3.requests[0].headers['x-amz-checksum-sha256']).toBe(Buffer.from(sha256(bytes), 'hex').toString('base64'));
    expect(Buffer.compare(s3.objects.get(key)!, bytes)).toBe(0);

    expect(await store.stat(key)).toEqual({ size: bytes.length });
    expect(Buffer.compare(await buffer(await store.read(key)), bytes)).toBe(0);
    expect(Buffer.compare(await buffer(await store.read(key, { start: 1000, end: 1999 })), bytes.subarray(1000, 2000))).toBe(0);
    expect(s3.requests.at(-1)!.headers.range).toBe('bytes=1000-1999');

    await store.remove(key);
    expect(await store.stat(key)).toBeNull();
    await expect(store.read(key)).rejects.toMatchObject({ code: 'ENOENT' });
    await store.remove(key); // absent: still fine
  });

  it('moves a file it is given: stored as putFile stores it, and the local file is gone', async () => {
    const bytes = randomBytes(70_000);
    const file = join(dir, 'send-temp');
    writeFileSync(file, bytes);
    const key = blobKey(sha256(bytes));
    expect(await store.moveFile(key, file, { size: bytes.length, sha256: sha256(bytes) })).toEqual({ size: bytes.length });
    expect(Buffer.compare(s3.objects.get(key)!, bytes)).toBe(0);
    expect(existsSync(file)).toBe(false);
  });

  it('refuses bytes that do not match the SHA-256 given with them', async () => {
    const bytes = randomBytes(10_000);
    const file = join(dir, 'tampered');
    writeFileSync(file, bytes);
    const claimed = sha256(Buffer.from('other bytes'));
    await expect(store.putFile(blobKey(claimed), file, { size: bytes.length, sha256: claimed })).rejects.toMatchObject({ name: 'BadDigest' });
    expect(s3.objects.has(blobKey(claimed))).toBe(false);
  });

  it('sends a stream of unknown length as a multipart upload, and a short one as one PutObject', async () => {
    const big = randomBytes(11 * MIB + 123);
    s3.requests.length = 0;
    expect(await store.write('big', trickle(big))).toEqual({ size: big.length });
    const calls = s3.requests.map((r) => `${r.method} ${[...r.query.keys()].filter((k) => k !== 'x-id').sort().join('&')}`);
    expect(calls).toEqual(['POST uploads', 'PUT partNumber&uploadId', 'PUT partNumber&uploadId', 'PUT partNumber&uploadId', 'POST uploadId']);
    expect(Buffer.compare(s3.objects.get('big')!, big)).toBe(0);

    const small = randomBytes(1000);
    s3.requests.length = 0;
    await store.write('small', trickle(small));
    expect(s3.requests.map((r) => r.method)).toEqual(['PUT']);
    expect(Buffer.compare(s3.objects.get('small')!, small)).toBe(0);
  });

  it('abandons the multipart upload when the stream fails, leaving no object', async () => {
    const failing = Readable.from((async function* () {
      yield randomBytes(6 * MIB);
      throw new Error('disk read failed');
    })());
    await expect(store.write('broken', failing)).rejects.toThrow('disk read failed');
    expect(s3.objects.has('broken')).toBe(false);
    expect(s3.requests.at(-1)!.method).toBe('DELETE'); // AbortMultipartUpload
  });

  it('is refused with a wrong secret key or an unknown bucket', async () => {
    const wrongKey = new S3BlobStore({ ...s3.config, secretAccessKey: 'not-the-secret' });
    await expect(wrongKey.stat('x')).rejects.toBeTruthy();
    await expect(wrongKey.read('x')).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    await expect(new S3BlobStore({ ...s3.config, bucket: 'other' }).check()).rejects.toBeTruthy();
  });
});

describe.each<TestDbKind>(['pglite', 'postgres'])('a server with S3 blobs on %s', (kind) => {
  let s3: S3StandIn;
  beforeAll(async () => {
    s3 = await startS3StandIn();
  });
  afterAll(() => s3?.close());

  it('stores a finished tus upload in the bucket under its SHA-256', async () => {
    const server = await startTestServer(kind, { blobs: { kind: 's3', ...s3.config } });
    try {
      expect((await server.call('GET', '/readyz')).body).toMatchObject({ blobs: 's3' });
      await server.instansi('A1');
      const clerk = await server.user({ instansiId: 'A1', nip: '198503152010012003' });
      const tus = new TusClient(server.url, clerk.token);
      const bytes = randomBytes(120_000);
      const url = await tus.start(bytes);
      expect((await tus.send(url, bytes, 50_000)).status).toBe(204);
      expect(Buffer.compare(s3.objects.get(blobKey(sha256(bytes)))!, bytes)).toBe(0);
      expect(Buffer.compare(await buffer(await server.deps.blobs.read(blobKey(sha256(bytes)), { start: 5, end: 9 })), bytes.subarray(5, 10))).toBe(0);
      // The same bytes again: the object is already there, nothing is sent twice.
      const puts = () => s3.requests.filter((r) => r.method === 'PUT').length;
      const before = puts();
      expect((await tus.send(await tus.start(bytes), bytes)).status).toBe(204);
      expect(puts()).toBe(before);

      // The object store fails while the last bytes arrive: the upload is not complete, its
      // bytes wait, and an empty PATCH at the end has them checked and stored again.
      const more = randomBytes(40_000);
      const pending = await tus.start(more);
      s3.failNext(1, 'PUT');
      const failed = await tus.send(pending, more);
      expect([failed.status, failed.body.error.code]).toEqual([500, 'internal']);
      const status = () => server.call('GET', `/v1/uploads/${pending.split('/').pop()}/status`, { token: clerk.token });
      expect((await status()).body).toMatchObject({ status: 'receiving', offset: more.length, size: more.length });
      expect(s3.objects.has(blobKey(sha256(more)))).toBe(false);
      expect((await tus.patch(pending, more.length, Buffer.alloc(0))).status).toBe(204);
      expect((await status()).body.status).toBe('complete');
      expect(Buffer.compare(s3.objects.get(blobKey(sha256(more)))!, more)).toBe(0);
    } finally {
      await server.close();
    }
  });
});
