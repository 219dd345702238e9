// Bad input to the document, reference and audit routes, on both databases: each gets its
// own 4xx code, and nothing is written (row counts and change counters unchanged, the
// document untouched).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type SeededUser, type TestDbKind, type TestServer } from '../../helpers/server';
import { auditEntries, commitBody, completeUpload, tableCounts, type Upload } from '../../helpers/server-documents';

describe.each<TestDbKind>(['pglite', 'postgres'])('bad input on %s', (kind) => {
  let server: TestServer;
  let admin: SeededUser;
  let upload: Upload;
  let docPath: string;
  let before: Record<string, number>;
  let docBefore: unknown;

  beforeAll(async () => {
    server = await startTestServer(kind, { bodyLimit: 16 * 1024 });
    await server.instansi('A1');
    admin = await server.user({ instansiId: 'A1', nip: '198001012005011001', role: 'admin' });
    upload = await completeUpload(server, { instansiId: 'A1', user: admin });
    const doc = (await server.call('POST', '/v1/documents', { token: admin.token, body: commitBody(upload.id) })).body.document;
    docPath = `/v1/documents/${doc.id}`;
  });
  afterAll(() => server?.close());

  beforeEach(async () => {
    before = await tableCounts(server.deps.db);
    docBefore = (await server.call('GET', docPath, { token: admin.token })).body;
  });

  async function expectNothingWritten() {
    expect(await tableCounts(server.deps.db)).toEqual(before);
    expect((await server.call('GET', docPath, { token: admin.token })).body).toEqual(docBefore);
  }

  const send = (method: string, path: string, body: unknown, headers?: Record<string, string>) => server.call(method, path, { token: admin.token, body, headers });

  it('malformed JSON: invalid_json', async () => {
    for (const [method, path] of [
      ['POST', '/v1/documents'],
      ['PATCH', docPath],
      ['POST', '/v1/reference/employees'],
      ['POST', '/v1/audit/entries'],
    ]) {
      const res = await send(method, path, '{"uploadId": "abc",');
      expect(res.status, path).toBe(400);
      expect(res.body.error.code, path).toBe('invalid_json');
    }
    await expectNothingWritten();
  });

  it('wrong types and out-of-range values: invalid_input naming the field', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/v1/documents', { ...commitBody(upload.id), nip: 19850315 }, 'body.nip'],
      ['POST', '/v1/documents', { ...commitBody(upload.id), fields: { nomor: 12 } }, 'body.fields.nomor'],
      ['POST', '/v1/documents', { ...commitBody(upload.id), idempotencyKey: 'spasi tidak boleh' }, 'body.idempotencyKey'],
      ['PATCH', docPath, { expectedVersion: '1', deleted: true }, 'body.expectedVersion'],
      ['PATCH', docPath, { expectedVersion: 1 }, 'body'],
      ['POST', '/v1/reference/employees', { employees: [{ nip: '198503152010012003', nama: 'Sari', kind: 'honorer' }] }, 'body.employees.0.kind'],
      ['POST', '/v1/audit/entries', { entries: [{ ...auditEntries(1, 1)[0], hash: 'xyz' }] }, 'body.entries.0.hash'],
    ];
    for (const [method, path, body, where] of cases) {
      const res = await send(method, path, body);
      expect(res.status, where).toBe(400);
      expect(res.body.error.code, where).toBe('invalid_input');
      expect(res.body.error.details.issues.map((i: { path: string }) => i.path), where).toContain(where);
    }
    for (const since of ['-1', '1.2.3', 'abc', '99999999999999999999999']) {
      const query = await server.call('GET', `/v1/documents/changes?since=${since}`, { token: admin.token });
      expect(query.body.error.code, since).toBe('invalid_input');
    }
    const id = await server.call('GET', '/v1/documents/not-a-uuid', { token: admin.token });
    expect(id.body.error.code).toBe('invalid_input');
    await expectNothingWritten();
  });

  it('unknown fields, at any depth and in the query: unknown_field', async () => {
    const cases: [string, string, unknown][] = [
      ['POST', '/v1/documents', { ...commitBody(upload.id), instansiId: 'B1' }],
      ['PATCH', docPath, { expectedVersion: 1, version: 7 }],
      ['POST', '/v1/reference/employees', { employees: [{ nip: '198503152010012003', nama: 'Sari', gaji: 1 }] }],
      ['PUT', '/v1/reference/document-types/SK_BARU', { name: { id: 'SK Baru', en: 'New', de: 'Neu' }, idRefDokumen: null, jenisRiwayat: null, category: 'pendukung', fields: [], maxBytes: 1, aliases: [] }],
      ['POST', '/v1/audit/entries', { entries: auditEntries(1, 1).map((e) => ({ ...e, device: 'x' })) }],
    ];
    for (const [method, path, body] of cases) {
      const res = await send(method, path, body);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code, path).toBe('unknown_field');
    }
    for (const path of ['/v1/documents/changes?since=0&instansi=B1', '/v1/reference/employees?all=1', '/v1/reference/document-types?x=1', '/v1/audit/entries?userId=1']) {
      expect((await server.call('GET', path, { token: admin.token })).body.error.code, path).toBe('unknown_field');
    }
    await expectNothingWritten();
  });

  it('a body over the size limit: payload_too_large', async () => {
    const huge = { ...commitBody(upload.id), fields: { nomor: 'x'.repeat(20 * 1024) } };
    const res = await send('POST', '/v1/documents', huge);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    const entries = await send('POST', '/v1/audit/entries', { entries: auditEntries(1, 200) });
    expect(entries.body.error.code).toBe('payload_too_large');
    await expectNothingWritten();
  });

  it('a body that is not JSON: unsupported_media_type', async () => {
    const res = await send('POST', '/v1/documents', 'nip=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
    await expectNothingWritten();
  });

  it('file names with path separators or control characters: invalid_file_name', async () => {
    for (const fileName of ['../../etc/passwd', 'a/b.pdf', 'C:\\Windows\\sk.pdf', 'sk\u0000.pdf', 'sk\n.pdf', 'sk\u001b[31m.pdf', '..', ' ']) {
      const commit = await send('POST', '/v1/documents', commitBody(upload.id, { fileName }));
      expect(commit.status, JSON.stringify(fileName)).toBe(400);
      expect(commit.body.error.code, JSON.stringify(fileName)).toBe('invalid_file_name');
      const update = await send('PATCH', docPath, { expectedVersion: 1, fileName });
      expect(update.body.error.code, JSON.stringify(fileName)).toBe('invalid_file_name');
    }
    await expectNothingWritten();
  });
});
