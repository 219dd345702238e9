// Graceful shutdown with an upload in flight: close() waits for the PATCH whose body is
// still arriving, and the upload completes (verified and stored) before the node is gone.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blobKey } from '../../../server/blobs';
import { openDb } from '../../../server/db';
import { startTestServer, type TestDbKind } from '../../helpers/server';
import { eventually, sha256, TusClient } from '../../helpers/tus';

describe.each<TestDbKind>(['pglite', 'postgres'])('shutdown with an upload in flight on %s', (kind) => {
  // Blobs outside the server's temp directory, which its close() removes.
  const blobDir = mkdtempSync(join(tmpdir(), 'lemari-shutdown-blobs-'));
  afterAll(() => rmSync(blobDir, { recursive: true, force: true }));

  it('lets the PATCH finish, answers 204 and keeps the complete upload', async () => {
    const server = await startTestServer(kind, { blobs: { kind: 'directory', dir: blobDir } });
    await server.instansi('A1');
    const clerk = await server.user({ instansiId: 'A1', nip: '198503152010012003' });
    const tus = new TusClient(server.url, clerk.token);
    const bytes = randomBytes(300_000);
    const url = await tus.start(bytes);
    const id = url.split('/').pop()!;

    const patch = tus.openPatch(url, 0, bytes.length);
    patch.req.write(bytes.subarray(0, 100_000));
    await eventually(async () => (await server.call('GET', `/v1/uploads/${id}/status`, { token: clerk.token })).body.offset === 100_000);

    let closed = false;
    const closing = server.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(closed).toBe(false); // waiting for the upload
    // New work is refused while the node drains.
    expect((await fetch(`${server.url}/readyz`).catch(() => null))?.status ?? 'refused').not.toBe(200);

    patch.req.end(bytes.subarray(100_000));
    const answer = await patch.answer;
    expect(answer.status).toBe(204);
    expect(answer.headers['upload-offset']).toBe(String(bytes.length));
    await closing;
    expect(Buffer.compare(readFileSync(join(blobDir, blobKey(sha256(bytes)))), bytes)).toBe(0);
    if (kind === 'postgres') {
      const db = await openDb({ databaseUrl: server.config.databaseUrl, dataDir: '' });
      try {
        const { rows } = await db.query('select status, blob_key from uploads where id = $1', [id]);
        expect(rows[0]).toEqual({ status: 'complete', blob_key: blobKey(sha256(bytes)) });
      } finally {
        await db.close();
      }
    }
  });
});
