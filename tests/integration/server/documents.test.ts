// Documents on the central server, on both databases: commit with an idempotency key (also
// when two arrive at once), the label rules the workstation applies, versioned updates with
// 409, the change feed, and downloads with ranges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAMP } from '../../../server/reference';
import { startTestServer, type SeededUser, type TestDbKind, type TestServer } from '../../helpers/server';
import { commitBody, completeUpload, NIPS, pdfBytes, tableCounts } from '../../helpers/server-documents';

describe.each<TestDbKind>(['pglite', 'postgres'])('documents on %s', (kind) => {
  let server: TestServer;
  let clerk: SeededUser;
  let otherClerk: SeededUser; // instansi B
  const A = { instansiId: 'A1' } as { instansiId: string; user: SeededUser };

  beforeAll(async () => {
    server = await startTestServer(kind);
    await server.instansi('A1');
    await server.instansi('B1');
    clerk = await server.user({ instansiId: 'A1', nip: '198001012005011001' });
    otherClerk = await server.user({ instansiId: 'B1', nip: '198001012005011002' });
    A.user = clerk;
  });
  afterAll(() => server?.close());

  const commit = (body: unknown, token = clerk.token) => server.call('POST', '/v1/documents', { token, body });

  describe('commit', () => {
    it('commits a complete upload as version 1 with the upload\'s hash, size and type', async () => {
      const upload = await completeUpload(server, A, { fileName: 'SK PNS Sari.pdf' });
      const res = await commit(commitBody(upload.id));
      expect(res.status).toBe(200);
      expect(res.body.created).toBe(true);
      expect(res.body.document).toMatchObject({
        instansiId: 'A1',
        nip: NIPS[0],
        typeCode: 'SK_PNS',
        fileName: 'SK PNS Sari.pdf',
        contentType: 'application/pdf',
        sha256: upload.sha256,
        size: upload.size,
        version: 1,
        deleted: false,
        createdBy: { userId: clerk.userId, deviceId: clerk.deviceId },
      });
    });

    it('answers the same key again with the same document, never a second one', async () => {
      const upload = await completeUpload(server, A);
      const body = commitBody(upload.id);
      const first = await commit(body);
      const again = await commit(body);
      expect(again.status).toBe(200);
      expect(again.body.created).toBe(false);
      expect(again.body.document).toEqual(first.body.document);
      const { rows } = await server.deps.db.query('select count(*)::int as n from documents where idempotency_key = $1', [body.idempotencyKey]);
      expect(rows[0]).toEqual({ n: 1 });
    });

    it('makes one document when the same commit arrives many times at once', async () => {
      const upload = await completeUpload(server, A);
      const body = commitBody(upload.id);
      const answers = await Promise.all(Array.from({ length: 8 }, () => commit(body)));
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
      expect(answers.filter((a) => a.body.created)).toHaveLength(1);
      expect(new Set(answers.map((a) => a.body.document.id)).size).toBe(1);
      const { rows } = await server.deps.db.query('select count(*)::int as n from documents where idempotency_key = $1', [body.idempotencyKey]);
      expect(rows[0]).toEqual({ n: 1 });
    });

    it('refuses the same key with other content as a conflict', async () => {
      const upload = await completeUpload(server, A);
      const body = commitBody(upload.id);
      const first = await commit(body);
      const res = await commit({ ...body, fields: { ...body.fields, nomor: 'LAIN/1/2011' } });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'conflict', details: { documentId: first.body.document.id } });
    });

    it('keeps the same key apart per instansi', async () => {
      const mine = await completeUpload(server, A);
      const theirs = await completeUpload(server, { instansiId: 'B1', user: otherClerk });
      const key = 'outbox-shared-key-1';
      const a = await commit(commitBody(mine.id, { idempotencyKey: key }));
      const b = await commit(commitBody(theirs.id, { idempotencyKey: key }), otherClerk.token);
      expect([a.body.created, b.body.created]).toEqual([true, true]);
      expect(a.body.document.id).not.toBe(b.body.document.id);
    });

    it('checks the label as the workstation does: NIP rules, known type, required fields, no stray fields', async () => {
      const upload = await completeUpload(server, A);
      const before = await tableCounts(server.deps.db);
      const badNip = await commit(commitBody(upload.id, { nip: '198503152010013003' })); // gender digit 3
      expect(badNip.status).toBe(400);
      expect(badNip.body.error).toMatchObject({ code: 'invalid_input', details: { problems: [{ field: 'nip', reason: 'gender' }] } });
      const future = await commit(commitBody(upload.id, { nip: '199001012030011001' })); // TMT 2030
      expect(future.body.error.details.problems).toEqual([{ field: 'nip', reason: 'tmt_future' }]);
      const type = await commit(commitBody(upload.id, { typeCode: 'SK_TIDAK_ADA' }));
      expect(type.body.error.details.problems).toEqual([{ field: 'typeCode', reason: 'unknown_type' }]);
      const missing = await commit(commitBody(upload.id, { fields: { nomor: '1/2011' } }));
      expect(missing.body.error.details.problems).toEqual([
        { field: 'fields.tanggal', reason: 'required' },
        { field: 'fields.tmt', reason: 'required' },
      ]);
      const futureDate = await commit(commitBody(upload.id, { fields: { nomor: '1', tanggal: '2099-01-01', tmt: '2011-03-01' } }));
      expect(futureDate.body.error.details.problems).toEqual([{ field: 'fields.tanggal', reason: 'future' }]);
      const golongan = await commit(commitBody(upload.id, { fields: { nomor: '1', tanggal: '2011-03-01', tmt: '2011-03-01', golongan: 'V/z' } }));
      expect(golongan.body.error.details.problems).toEqual([{ field: 'fields.golongan', reason: 'option' }]);
      const stray = await commit(commitBody(upload.id, { fields: { nomor: '1', tanggal: '2011-03-01', tmt: '2011-03-01', jurusan: 'x' } }));
      expect(stray.status).toBe(400);
      expect(stray.body.error).toMatchObject({ code: 'unknown_field', details: { keys: ['jurusan'] } });
      expect(await tableCounts(server.deps.db)).toEqual(before);
    });

    it('stores the NIP without separators and only the type\'s non-empty fields, trimmed', async () => {
      const upload = await completeUpload(server, A);
      const res = await commit(commitBody(upload.id, { nip: '19850315 201001 2 003', fields: { nomor: ' 12/2011 ', tanggal: '2011-03-01', tmt: '2011-03-01', golongan: '' } }));
      expect(res.body.document).toMatchObject({ nip: '198503152010012003', fields: { nomor: '12/2011', tanggal: '2011-03-01', tmt: '2011-03-01' } });
      expect(res.body.document.fields).not.toHaveProperty('golongan');
    });

    it('refuses uploads that are not finished, were discarded, or are not the instansi\'s own', async () => {
      const receiving = await completeUpload(server, A, { status: 'receiving' });
      const rejected = await completeUpload(server, A, { status: 'rejected' });
      const theirs = await completeUpload(server, { instansiId: 'B1', user: otherClerk });
      const before = await tableCounts(server.deps.db);
      expect((await commit(commitBody(receiving.id))).body.error.code).toBe('upload_incomplete');
      expect((await commit(commitBody(rejected.id))).body.error.code).toBe('upload_gone');
      const foreign = await commit(commitBody(theirs.id));
      expect(foreign.status).toBe(404);
      expect(foreign.body.error.code).toBe('not_found');
      const missing = await commit(commitBody('0'.repeat(32)));
      expect(missing.body.error).toEqual(foreign.body.error); // a foreign upload looks like no upload at all
      expect(await tableCounts(server.deps.db)).toEqual(before);
    });

    it('requires an employee of the instansi once it has an employee list', async () => {
      await server.instansi('E1');
      const admin = await server.user({ instansiId: 'E1', nip: '198001012005011010', role: 'admin' });
      const owner = { instansiId: 'E1', user: admin };
      // No list yet: any valid NIP.
      expect((await commit(commitBody((await completeUpload(server, owner)).id, { nip: NIPS[1] }), admin.token)).status).toBe(200);
      const imported = await server.call('POST', '/v1/reference/employees', { token: admin.token, body: { employees: [{ nip: NIPS[2], nama: 'Budi Santoso' }] } });
      expect(imported.status).toBe(200);
      const stranger = await commit(commitBody((await completeUpload(server, owner)).id, { nip: NIPS[1] }), admin.token);
      expect(stranger.body.error.details.problems).toEqual([{ field: 'nip', reason: 'not_an_employee' }]);
      expect((await commit(commitBody((await completeUpload(server, owner)).id, { nip: NIPS[2] }), admin.token)).status).toBe(200);
    });
  });

  describe('update', () => {
    it('applies a change at the expected version and bumps it; a stale version gets 409 with the current document', async () => {
      const upload = await completeUpload(server, A);
      const doc = (await commit(commitBody(upload.id))).body.document;
      const path = `/v1/documents/${doc.id}`;
      const fields = { ...doc.fields, nomor: '823.4/999/BKD/2011' };
      const ok = await server.call('PATCH', path, { token: clerk.token, body: { expectedVersion: 1, fields } });
      expect(ok.status).toBe(200);
      expect(ok.body.document).toMatchObject({ version: 2, fields, updatedBy: { userId: clerk.userId } });
      const stale = await server.call('PATCH', path, { token: clerk.token, body: { expectedVersion: 1, fileName: 'lama.pdf' } });
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe('version_conflict');
      expect(stale.body.error.details.current).toEqual(ok.body.document);
      expect((await server.call('GET', path, { token: clerk.token })).body.document.fileName).toBe(doc.fileName);
    });

    it('lets exactly one of two updates from the same version win', async () => {
      const doc = (await commit(commitBody((await completeUpload(server, A)).id))).body.document;
      const path = `/v1/documents/${doc.id}`;
      const answers = await Promise.all(['satu.pdf', 'dua.pdf'].map((fileName) => server.call('PATCH', path, { token: clerk.token, body: { expectedVersion: 1, fileName } })));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      const winner = answers.find((a) => a.status === 200)!.body.document;
      expect(answers.find((a) => a.status === 409)!.body.error.details.current).toEqual(winner);
    });

    it('checks a relabel like a commit, replaces content from another upload, and deletes', async () => {
      const doc = (await commit(commitBody((await completeUpload(server, A)).id))).body.document;
      const path = `/v1/documents/${doc.id}`;
      const bad = await server.call('PATCH', path, { token: clerk.token, body: { expectedVersion: 1, typeCode: 'IJAZAH' } });
      expect(bad.body.error.code).toBe('unknown_field'); // SK PNS fields do not belong to an ijazah
      const rescan = await completeUpload(server, A, { bytes: pdfBytes('rescan') });
      const replaced = await server.call('PATCH', path, { token: clerk.token, body: { expectedVersion: 1, uploadId: rescan.id } });
      expect(replaced.body.document).toMatchObject({ version: 2, sha256: rescan.sha256, size: rescan.size });
      const deleted = await server.call('PATCH', path, { token: clerk.token, body: { expectedVersion: 2, deleted: true } });
      expect(deleted.body.document).toMatchObject({ version: 3, deleted: true });
      expect((await server.call('GET', `${path}/content`, { token: clerk.token })).status).toBe(404);
    });

    it('answers not_found for a document that does not exist', async () => {
      const res = await server.call('PATCH', '/v1/documents/00000000-0000-4000-8000-000000000000', { token: clerk.token, body: { expectedVersion: 1, deleted: true } });
      expect(res.status).toBe(404);
    });
  });

  describe('changes', () => {
    it('pages through changes with a cursor; an updated document moves to its latest change', async () => {
      await server.instansi('F1');
      const user = await server.user({ instansiId: 'F1', nip: '198001012005011020' });
      const owner = { instansiId: 'F1', user };
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await commit(commitBody((await completeUpload(server, owner)).id), user.token)).body.document.id);
      const page1 = await server.call('GET', '/v1/documents/changes?since=0&limit=2', { token: user.token });
      expect(page1.body.items.map((d: { id: string }) => d.id)).toEqual(ids.slice(0, 2));
      expect(page1.body.more).toBe(true);
      const rest = await server.call('GET', `/v1/documents/changes?since=${page1.body.next}&limit=10`, { token: user.token });
      expect(rest.body.items.map((d: { id: string }) => d.id)).toEqual(ids.slice(2));
      expect(rest.body.more).toBe(false);
      await server.call('PATCH', `/v1/documents/${ids[0]}`, { token: user.token, body: { expectedVersion: 1, fileName: 'baru.pdf' } });
      const after = await server.call('GET', `/v1/documents/changes?since=${rest.body.next}`, { token: user.token });
      expect(after.body.items.map((d: { id: string; version: number }) => [d.id, d.version])).toEqual([[ids[0], 2]]);
      const none = await server.call('GET', `/v1/documents/changes?since=${after.body.next}`, { token: user.token });
      expect(none.body).toEqual({ items: [], next: after.body.next, more: false });
    });
  });

  describe('content', () => {
    let path: string;
    let bytes: Buffer;
    let sha: string;
    beforeAll(async () => {
      bytes = Buffer.concat([pdfBytes('range'), Buffer.alloc(1000, 7)]);
      const upload = await completeUpload(server, A, { bytes, fileName: 'SK Pangkat – Sari.pdf' });
      sha = upload.sha256;
      path = `/v1/documents/${(await commit(commitBody(upload.id))).body.document.id}/content`;
    });
    const get = (headers: Record<string, string> = {}) => fetch(server.url + path, { headers: { ...clerk.auth, ...headers } });

    it('streams the whole file with its type, length and the SHA-256 as ETag', async () => {
      const res = await get();
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-length')).toBe(String(bytes.length));
      expect(res.headers.get('etag')).toBe(`"${sha}"`);
      expect(res.headers.get('accept-ranges')).toBe('bytes');
      expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''SK%20Pangkat%20%E2%80%93%20Sari.pdf");
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    });

    it('serves a range with 206 and Content-Range, as a resumed download asks', async () => {
      const res = await get({ range: 'bytes=100-199' });
      expect(res.status).toBe(206);
      expect(res.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`);
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
      const tail = await get({ range: `bytes=${bytes.length - 10}-` });
      expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(bytes.length - 10))).toBe(true);
    });

    it('answers 416 with the size for a range beyond the end', async () => {
      const res = await get({ range: `bytes=${bytes.length}-` });
      expect(res.status).toBe(416);
      expect(res.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
      expect((await res.json()).error.code).toBe('range_not_satisfiable');
    });

    it('answers HEAD with the headers of the whole file and no body', async () => {
      const res = await fetch(server.url + path, { method: 'HEAD', headers: clerk.auth });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBe(String(bytes.length));
      expect(res.headers.get('etag')).toBe(`"${sha}"`);
      expect((await res.arrayBuffer()).byteLength).toBe(0);
    });

    it('answers 304 to a matching If-None-Match and ignores a range whose If-Range is stale', async () => {
      expect((await get({ 'if-none-match': `"${sha}"` })).status).toBe(304);
      const stale = await get({ range: 'bytes=0-9', 'if-range': '"0000"' });
      expect(stale.status).toBe(200);
      expect((await stale.arrayBuffer()).byteLength).toBe(bytes.length);
    });
  });
});

describe('documents change feed with concurrent writers (postgres)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('postgres');
    await server.instansi('A1');
  });
  afterAll(() => server?.close());

  it('never lets a reader pass over a change that commits later, and makes no writer wait', async () => {
    const clerk = await server.user({ instansiId: 'A1', nip: '198001012005011001' });
    const owner = { instansiId: 'A1', user: clerk };
    const feed = (since: string) => server.call('GET', `/v1/documents/changes?since=${since}`, { token: clerk.token });
    const first = (await server.call('POST', '/v1/documents', { token: clerk.token, body: commitBody((await completeUpload(server, owner)).id) })).body.document;
    const start = (await feed('0')).body.next;
    const slowUpload = await completeUpload(server, owner);
    // A slow writer stamps its document first and keeps its transaction open.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let stamped!: () => void;
    const hasStamp = new Promise<void>((resolve) => (stamped = resolve));
    const slow = server.deps.db.transaction(async (tx) => {
      await tx.query(
        `insert into documents (id, instansi_id, idempotency_key, commit_hash, upload_id, nip, type_code, fields, file_name, content_type, sha256, size, blob_key,
                                change_xid, change_seq, created_by, created_device, updated_by, updated_device, created_at, updated_at)
         select gen_random_uuid(), instansi_id, 'slow-writer', commit_hash, $2, nip, type_code, fields, file_name, content_type, $3, size, blob_key,
                ${STAMP}, created_by, created_device, updated_by, updated_device, now(), now() from documents where id = $1`,
        [first.id, slowUpload.id, slowUpload.sha256],
      );
      stamped();
      await gate;
    });
    await hasStamp;
    // A second writer commits meanwhile, with a later stamp, without waiting for the first.
    const fast = await server.call('POST', '/v1/documents', { token: clerk.token, body: commitBody((await completeUpload(server, owner)).id) });
    expect(fast.status).toBe(200);
    // A reader now must not show the fast one: its cursor would pass the slow one for good.
    const during = await feed(start);
    expect(during.body.items).toEqual([]);
    expect(during.body.next).toBe(start);
    release();
    await slow;
    const after = await feed(during.body.next);
    expect(after.body.items.map((d: { idempotencyKey: string }) => d.idempotencyKey)).toEqual(['slow-writer', fast.body.document.idempotencyKey]);
  });
});
