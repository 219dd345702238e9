// docs/API.md walks a client from upload to download; this walks the same steps with the
// same requests (headers, bodies, status codes), so the guide stays true as the API moves.
// (Login with TOTP is the auth tests' subject; here the fixture's signed token stands in.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type SeededUser, type TestDbKind, type TestServer } from '../../helpers/server';
import { metadataHeader, sha256 } from '../../helpers/tus';

describe.each<TestDbKind>(['pglite', 'postgres'])('the flow of docs/API.md on %s', (kind) => {
  let server: TestServer;
  let clerk: SeededUser;
  beforeAll(async () => {
    server = await startTestServer(kind);
    await server.instansi('A1');
    clerk = await server.user({ instansiId: 'A1', nip: '198503152010012003' });
  });
  afterAll(() => server?.close());

  it('uploads with tus, commits idempotently, reads the change feed, downloads a range, and meets a stale update with version_conflict', async () => {
    const file = Buffer.from(`%PDF-1.7\n${'0123456789'.repeat(100)}\n%%EOF\n`);
    const auth = { authorization: `Bearer ${clerk.token}`, 'tus-resumable': '1.0.0' };

    const created = await fetch(`${server.url}/v1/uploads`, {
      method: 'POST',
      headers: { ...auth, 'upload-length': String(file.length), 'upload-metadata': metadataHeader({ filename: 'scan.pdf', sha256: sha256(file) }) },
    });
    expect(created.status).toBe(201);
    const location = created.headers.get('location')!;
    const upload = location.split('/').pop()!;
    expect(location).toBe(`/v1/uploads/${upload}`);

    const patched = await fetch(`${server.url}${location}`, {
      method: 'PATCH',
      headers: { ...auth, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: file,
    });
    expect(patched.status).toBe(204);
    expect(patched.headers.get('upload-offset')).toBe(String(file.length));
    expect((await server.call('GET', `/v1/uploads/${upload}/status`, { token: clerk.token })).body.status).toBe('complete');

    const commit = { idempotencyKey: 'outbox-1842', uploadId: upload, nip: '198503152010012003', typeCode: 'SK_PNS', fields: { nomor: '800/123/2010', tanggal: '2010-03-01', tmt: '2010-03-01' } };
    const first = await server.call('POST', '/v1/documents', { token: clerk.token, body: commit });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ created: true, document: { version: 1, sha256: sha256(file), contentType: 'application/pdf' } });
    const again = await server.call('POST', '/v1/documents', { token: clerk.token, body: commit });
    expect(again.body).toMatchObject({ created: false, document: { id: first.body.document.id } });
    const doc = first.body.document.id as string;

    const changes = await server.call('GET', '/v1/documents/changes?since=0&limit=200', { token: clerk.token });
    expect(changes.body.items.map((d: { id: string }) => d.id)).toEqual([doc]);
    expect(changes.body.more).toBe(false);
    const later = await server.call('GET', `/v1/documents/changes?since=${changes.body.next}&limit=200`, { token: clerk.token });
    expect(later.body.items).toEqual([]);

    const whole = await fetch(`${server.url}/v1/documents/${doc}/content`, { headers: { authorization: auth.authorization } });
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(file);
    expect(whole.headers.get('etag')).toBe(`"${sha256(file)}"`);
    const head = await fetch(`${server.url}/v1/documents/${doc}/content`, { headers: { authorization: auth.authorization, range: 'bytes=0-8' } });
    expect(head.status).toBe(206);
    expect(await head.text()).toBe('%PDF-1.7\n');

    const update = { expectedVersion: 1, fields: { nomor: '800/124/2010', tanggal: '2010-03-01', tmt: '2010-03-01' } };
    expect((await server.call('PATCH', `/v1/documents/${doc}`, { token: clerk.token, body: update })).body.document.version).toBe(2);
    const stale = await server.call('PATCH', `/v1/documents/${doc}`, { token: clerk.token, body: update });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect(stale.body.error.details.current).toMatchObject({ id: doc, version: 2 });
  });
});
