// Authorization across the API, on both databases. Every non-public route of the route
// table refuses a request without a token; every admin route refuses a clerk; and every
// documents, reference and audit route keeps instansi apart: B's token cannot read,
// commit to, update, list or download A's documents, uploads, employees, types or audit
// entries, and another instansi's object answers exactly like one that does not exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dmsRoutes, type DmsRouteName, type RouteDef } from '../../../common/dms';
import { startTestServer, type SeededUser, type TestDbKind, type TestServer } from '../../helpers/server';
import { auditEntries, commitBody, completeUpload, NIPS, type Upload } from '../../helpers/server-documents';

const table = Object.entries(dmsRoutes) as [DmsRouteName, RouteDef][];
/** A path with every `:param` filled, so the request reaches the route (auth comes first). */
const fill = (path: string) => path.replace(/:[A-Za-z]+/g, 'x');
const MISSING_ID = '00000000-0000-4000-8000-000000000000';

describe.each<TestDbKind>(['pglite', 'postgres'])('authorization on %s', (kind) => {
  let server: TestServer;
  const a = {} as { admin: SeededUser; clerk: SeededUser; upload: Upload; docId: string };
  const b = {} as { admin: SeededUser; clerk: SeededUser };

  beforeAll(async () => {
    server = await startTestServer(kind);
    await server.instansi('A1');
    await server.instansi('B1');
    a.admin = await server.user({ instansiId: 'A1', nip: '198001012005011001', role: 'admin' });
    a.clerk = await server.user({ instansiId: 'A1', nip: '198001012005011002' });
    b.admin = await server.user({ instansiId: 'B1', nip: '198001012005011003', role: 'admin' });
    b.clerk = await server.user({ instansiId: 'B1', nip: '198001012005011004' });
    // Instansi A's data: an employee, a custom type, a document (and a spare upload), audit entries.
    await server.call('POST', '/v1/reference/employees', { token: a.admin.token, body: { employees: [{ nip: NIPS[0], nama: 'Sari A' }] } });
    await server.call('PUT', '/v1/reference/document-types/SK_KHUSUS', {
      token: a.admin.token,
      body: { name: { id: 'SK Khusus A', en: 'Special A' }, idRefDokumen: null, jenisRiwayat: null, category: 'pendukung', fields: [{ key: 'nomor', required: true }], maxBytes: 1024, aliases: [] },
    });
    const committed = await completeUpload(server, { instansiId: 'A1', user: a.clerk });
    a.docId = (await server.call('POST', '/v1/documents', { token: a.clerk.token, body: commitBody(committed.id) })).body.document.id;
    a.upload = await completeUpload(server, { instansiId: 'A1', user: a.clerk });
    await server.call('POST', '/v1/audit/entries', { token: a.clerk.token, body: { entries: auditEntries(1, 2) } });
  });
  afterAll(() => server?.close());

  it('refuses every non-public route without a token (401 unauthenticated)', async () => {
    const guarded = table.filter(([, def]) => def.access !== 'public');
    expect(guarded.length).toBeGreaterThan(0);
    for (const [name, def] of guarded) {
      const res = await server.call(def.method, fill(def.path));
      expect(res.status, name).toBe(401);
      expect(res.body.error.code, name).toBe('unauthenticated');
    }
  });

  it('refuses every admin route to a clerk (403 forbidden)', async () => {
    for (const [name, def] of table.filter(([, d]) => d.access === 'admin')) {
      const res = await server.call(def.method, fill(def.path), { token: a.clerk.token });
      expect(res.status, name).toBe(403);
      expect(res.body.error.code, name).toBe('forbidden');
    }
  });

  const asB = (method: string, path: string, body?: unknown, token = b.admin.token) => server.call(method, path, { token, body });
  const docOfA = async () => (await server.call('GET', `/v1/documents/${a.docId}`, { token: a.clerk.token })).body.document;
  const notFoundLikeMissing = async (method: string, path: string, missingPath: string, body?: unknown) => {
    const theirs = await asB(method, path, body);
    const missing = await asB(method, missingPath, body);
    expect(theirs.status).toBe(404);
    expect(theirs.body).toEqual(missing.body);
  };

  /** One check per route this suite owns; a new route without one fails the coverage test below. */
  const crossInstansi: Partial<Record<DmsRouteName, () => Promise<void>>> = {
    'documents.commit': async () => {
      const res = await asB('POST', '/v1/documents', commitBody(a.upload.id));
      expect(res.status).toBe(404);
      expect(res.body).toEqual((await asB('POST', '/v1/documents', commitBody('f'.repeat(32)))).body);
    },
    'documents.get': () => notFoundLikeMissing('GET', `/v1/documents/${a.docId}`, `/v1/documents/${MISSING_ID}`),
    'documents.update': async () => {
      const before = await docOfA();
      await notFoundLikeMissing('PATCH', `/v1/documents/${a.docId}`, `/v1/documents/${MISSING_ID}`, { expectedVersion: 1, deleted: true });
      expect(await docOfA()).toEqual(before);
    },
    'documents.content': () => notFoundLikeMissing('GET', `/v1/documents/${a.docId}/content`, `/v1/documents/${MISSING_ID}/content`),
    'documents.changes': async () => {
      const res = await asB('GET', '/v1/documents/changes', undefined, b.clerk.token);
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
    },
    'reference.listEmployees': async () => {
      expect((await asB('GET', '/v1/reference/employees', undefined, b.clerk.token)).body.items).toEqual([]);
    },
    'reference.importEmployees': async () => {
      expect((await asB('POST', '/v1/reference/employees', { employees: [{ nip: NIPS[0], nama: 'Sari B' }] })).status).toBe(200);
      const mine = (await server.call('GET', '/v1/reference/employees', { token: a.clerk.token })).body.items;
      expect(mine.map((e: { nama: string }) => e.nama)).toEqual(['Sari A']);
    },
    'reference.listDocumentTypes': async () => {
      const codes = (await asB('GET', '/v1/reference/document-types?limit=1000', undefined, b.clerk.token)).body.items.map((t: { code: string }) => t.code);
      expect(codes).not.toContain('SK_KHUSUS');
    },
    'reference.putDocumentType': async () => {
      const body = { name: { id: 'SK Khusus B', en: 'Special B' }, idRefDokumen: null, jenisRiwayat: null, category: 'pendukung', fields: [], maxBytes: 1, aliases: [] };
      expect((await asB('PUT', '/v1/reference/document-types/SK_KHUSUS', body)).status).toBe(200);
      const types = (await server.call('GET', '/v1/reference/document-types?limit=1000', { token: a.clerk.token })).body.items;
      expect(types.find((t: { code: string }) => t.code === 'SK_KHUSUS').name.id).toBe('SK Khusus A');
    },
    'audit.ingest': async () => {
      // B's device starts its own chain; A's device chain is not touched.
      expect((await asB('POST', '/v1/audit/entries', { entries: auditEntries(1, 2) }, b.clerk.token)).body.stored).toBe(2);
      const ofA = (await server.call('GET', '/v1/audit/entries', { token: a.admin.token })).body.items;
      expect(ofA.map((e: { deviceId: string }) => e.deviceId)).toEqual([a.clerk.deviceId, a.clerk.deviceId]);
    },
    'users.list': async () => {
      const nips = (await asB('GET', '/v1/users')).body.users.map((u: { nip: string }) => u.nip);
      expect(nips.sort()).toEqual(['198001012005011003', '198001012005011004']);
    },
    'users.create': async () => {
      // B's admin makes accounts in B only, whatever it sends.
      const made = await asB('POST', '/v1/users', { nip: '199001012015031005', name: 'Baru B', email: 'baru@b.go.id', role: 'clerk' });
      expect(made.status).toBe(201);
      const ofA = (await server.call('GET', '/v1/users', { token: a.admin.token })).body.users.map((u: { nip: string }) => u.nip);
      expect(ofA).not.toContain('199001012015031005');
    },
    'users.update': async () => {
      await notFoundLikeMissing('PATCH', '/v1/users/198001012005011002', '/v1/users/199001012015031099', { status: 'disabled' });
      expect((await server.call('GET', '/v1/documents/changes', { token: a.clerk.token })).status).toBe(200);
    },
    'audit.list': async () => {
      const items = (await asB('GET', `/v1/audit/entries?deviceId=${a.clerk.deviceId}`)).body.items;
      expect(items).toEqual([]);
    },
  };

  it('has a cross-instansi check for every documents, reference, audit and users route', () => {
    const owned = table.map(([name]) => name).filter((name) => /^(documents|reference|audit|users)\./.test(name));
    expect(owned.filter((name) => !crossInstansi[name])).toEqual([]);
  });

  for (const [name, check] of Object.entries(crossInstansi)) {
    it(`keeps instansi apart: ${name}`, check);
  }
});
