// documents.send on both databases: a small document created with its bytes in one request
// (server/documents/send.ts). Created and downloadable, a retry answered from what was
// stored, a reused key refused, and every refusal (hash mismatch, too large, a bad label,
// a body cut short) leaves nothing: no row, no blob, no temp file; a retry then works.
import { describe, expect, it } from 'vitest';
import { DOCUMENT_SEND, sendHeader, type SendInput } from '../../../common/dms/documents';
import { blobKey } from '../../../server/blobs';
import type { SeededUser, TestDbKind, TestServer } from '../../helpers/server';
import { documentCount, NIPS, pdfBytes, rawPost, sendTempFiles, sha256, tableCounts, twoInstansi } from '../../helpers/server-documents';

const FIELDS = { nomor: '823.4/112/BKD/2011', tanggal: '2011-03-01', tmt: '2011-03-01' };

describe.each<TestDbKind>(['pglite', 'postgres'])('documents.send on %s', (kind) => {
  let server: TestServer;
  let clerk: SeededUser;
  let otherClerk: SeededUser; // instansi B

  twoInstansi(kind, (seeded) => ({ server, clerk, otherClerk } = seeded));

  let keys = 0;
  const inputOf = (bytes: Buffer, overrides: Partial<SendInput> = {}): SendInput => ({
    idempotencyKey: `send-${kind}-${++keys}`,
    sha256: sha256(bytes),
    nip: NIPS[0],
    typeCode: 'SK_PNS',
    fields: FIELDS,
    fileName: 'SK PNS Sari.pdf',
    ...overrides,
  });

  async function send(bytes: Buffer, input: SendInput, token = clerk.token) {
    const res = await fetch(server.url + DOCUMENT_SEND.path, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', [DOCUMENT_SEND.header]: sendHeader(input) },
      body: new Uint8Array(bytes),
    });
    return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- answers of several shapes
  }

  /** A request whose body the test writes: `declared` bytes announced, `body` sent, then the socket ended or destroyed. */
  const raw = (input: SendInput, declared: number, body: Buffer, end: 'finish' | 'cut') =>
    rawPost(server.url + DOCUMENT_SEND.path, { authorization: `Bearer ${clerk.token}`, 'content-type': 'application/octet-stream', 'content-length': declared, [DOCUMENT_SEND.header]: sendHeader(input) }, body, end);
  const count = (key: string) => documentCount(server, key);
  const tempFiles = () => sendTempFiles(server);

  it('creates the document with its bytes in one request: checked hash, type from the bytes, downloadable, in the change feed', async () => {
    const bytes = pdfBytes();
    const input = inputOf(bytes);
    const res = await send(bytes, input);
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(true);
    expect(res.body.document).toMatchObject({
      instansiId: 'A1',
      idempotencyKey: input.idempotencyKey,
      nip: NIPS[0],
      typeCode: 'SK_PNS',
      fields: FIELDS,
      fileName: 'SK PNS Sari.pdf',
      contentType: 'application/pdf',
      sha256: input.sha256,
      size: bytes.length,
      version: 1,
      createdBy: { userId: clerk.userId, deviceId: clerk.deviceId },
    });
    const id = res.body.document.id as string;
    // Its upload row, complete, as a tus upload would have left it (so uploads.get answers for it).
    const upload = await server.deps.db.query('select u.status, u.size, u.declared_sha256 from uploads u join documents d on d.upload_id = u.id where d.id = $1', [id]);
    expect(upload.rows).toEqual([{ status: 'complete', size: bytes.length, declared_sha256: input.sha256 }]);
    const content = await fetch(`${server.url}/v1/documents/${id}/content`, { headers: clerk.auth });
    expect(Buffer.from(await content.arrayBuffer()).equals(bytes)).toBe(true);
    const feed = await server.call('GET', '/v1/documents/changes', { token: clerk.token });
    expect(feed.body.items.map((d: { id: string }) => d.id)).toContain(id);
    // The other instansi sees nothing of it.
    expect((await server.call('GET', `/v1/documents/${id}`, { token: otherClerk.token })).status).toBe(404);
    expect(tempFiles()).toEqual([]);
  });

  it('answers a retry with the same key and bytes with the stored document (created: false), never a second one', async () => {
    const bytes = pdfBytes();
    const input = inputOf(bytes);
    const first = await send(bytes, input);
    const again = await send(bytes, input);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ document: first.body.document, created: false });
    const together = await Promise.all(Array.from({ length: 4 }, () => send(bytes, inputOf(bytes, { idempotencyKey: `${input.idempotencyKey}-x` }))));
    expect(together.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(together.filter((a) => a.body.created)).toHaveLength(1);
    expect(await count(input.idempotencyKey)).toBe(1);
    expect(await count(`${input.idempotencyKey}-x`)).toBe(1);
    // One upload row per document made: none for the answers that found the document already there.
    const uploads = await server.deps.db.query<{ n: number }>("select count(*)::int as n from uploads where declared_sha256 = $1 and status = 'complete'", [input.sha256]);
    expect(uploads.rows[0].n).toBe(2);
  });

  it('refuses a key reused for other bytes or another label as a conflict; another instansi has its own keys', async () => {
    const bytes = pdfBytes();
    const input = inputOf(bytes);
    const first = await send(bytes, input);
    const other = pdfBytes();
    const otherBytes = await send(other, { ...input, sha256: sha256(other) });
    expect(otherBytes.status).toBe(409);
    expect(otherBytes.body.error).toMatchObject({ code: 'conflict', details: { documentId: first.body.document.id } });
    const relabelled = await send(bytes, { ...input, fields: { ...FIELDS, nomor: 'LAIN/1/2011' } });
    expect(relabelled.status).toBe(409);
    const elsewhere = await send(bytes, { ...input, nip: NIPS[1] }, otherClerk.token);
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.document.instansiId).toBe('B1');
  });

  it('keeps nothing when the bytes do not hash to the declared SHA-256; the same key then works with the right bytes', async () => {
    const bytes = pdfBytes();
    const wrong = pdfBytes();
    const input = inputOf(bytes);
    const before = await tableCounts(server.deps.db);
    const res = await send(wrong, input);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'checksum_mismatch', details: { declared: input.sha256, received: sha256(wrong) } });
    expect(await tableCounts(server.deps.db)).toEqual(before);
    expect(await server.deps.blobs.stat(blobKey(sha256(wrong)))).toBeNull();
    expect(tempFiles()).toEqual([]);
    expect((await send(bytes, input)).body.created).toBe(true);
  });

  it('answers 413 with the limit for a body over it, before reading it, and keeps nothing', async () => {
    const before = await tableCounts(server.deps.db);
    const res = await raw(inputOf(Buffer.alloc(0)), DOCUMENT_SEND.maxBytes + 1, Buffer.alloc(0), 'finish');
    expect(res).not.toBe('cut');
    const answer = res as Exclude<typeof res, 'cut'>;
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error).toMatchObject({ code: 'payload_too_large', details: { maxBytes: DOCUMENT_SEND.maxBytes } });
    expect(JSON.parse(answer.body).error.message).toMatch(/up to 16777216 bytes.*tus/);
    expect(await tableCounts(server.deps.db)).toEqual(before);
  });

  it('refuses a bad label, a bad file name, a missing header and a missing token, and stores nothing', async () => {
    const bytes = pdfBytes();
    const before = await tableCounts(server.deps.db);
    const badNip = await send(bytes, inputOf(bytes, { nip: '12345' }));
    expect(badNip.status).toBe(400);
    expect(badNip.body.error.code).toBe('invalid_input');
    const badType = await send(bytes, inputOf(bytes, { typeCode: 'NO_SUCH_TYPE' }));
    expect(badType.body.error).toMatchObject({ code: 'invalid_input', details: { problems: [{ field: 'typeCode', reason: 'unknown_type' }] } });
    const missingField = await send(bytes, inputOf(bytes, { fields: { nomor: '1' } }));
    expect(missingField.status).toBe(400);
    expect((await send(bytes, inputOf(bytes, { fileName: '../etc/passwd' }))).body.error.code).toBe('invalid_file_name');
    const unknown = await send(bytes, { ...inputOf(bytes), extra: 1 } as SendInput);
    expect(unknown.body.error.code).toBe('unknown_field');
    const noHeader = await fetch(server.url + DOCUMENT_SEND.path, { method: 'POST', headers: { ...clerk.auth, 'content-type': 'application/octet-stream' }, body: new Uint8Array(bytes) });
    expect(noHeader.status).toBe(400);
    expect(((await noHeader.json()) as { error: { message: string } }).error.message).toMatch(/Lemari-Document/);
    expect((await send(bytes, inputOf(bytes), 'not-a-token')).status).toBe(401);
    expect(await tableCounts(server.deps.db)).toEqual(before);
    expect(await server.deps.blobs.stat(blobKey(sha256(bytes)))).toBeNull();
  });

  it('refuses a revoked device, a disabled account and a token of a user who is gone, and stores nothing', async () => {
    const bytes = pdfBytes();
    const before = await tableCounts(server.deps.db);
    const revoked = await server.user({ instansiId: 'A1', nip: '198001012005011003' });
    await server.deps.db.query('update devices set revoked_at = now() where id = $1', [revoked.deviceId]);
    expect((await send(bytes, inputOf(bytes), revoked.token)).body.error.code).toBe('session_revoked');
    const disabled = await server.user({ instansiId: 'A1', nip: '198001012005011004' });
    await server.deps.db.query("update users set status = 'disabled' where id = $1", [disabled.userId]);
    expect((await send(bytes, inputOf(bytes), disabled.token)).body.error.code).toBe('session_revoked');
    // Signed by this server, but for a user id no row has.
    const { token: orphan } = server.deps.signer.issueAccess({ userId: 999_999, instansiId: 'A1', deviceId: clerk.deviceId }, 600);
    const gone = await send(bytes, inputOf(bytes), orphan);
    expect([gone.status, gone.body.error.code]).toEqual([401, 'unauthenticated']);
    // A real user and device, but the token names the other instansi.
    const { token: crossed } = server.deps.signer.issueAccess({ userId: clerk.userId, instansiId: 'B1', deviceId: clerk.deviceId }, 600);
    expect((await send(bytes, inputOf(bytes), crossed)).body.error.code).toBe('unauthenticated');
    expect(await tableCounts(server.deps.db)).toEqual(before);
    expect(await server.deps.blobs.stat(blobKey(sha256(bytes)))).toBeNull();
  });

  it('keeps nothing of a body cut part-way; sending again with the same key works', async () => {
    const bytes = Buffer.concat([pdfBytes(), Buffer.alloc(256 * 1024, 7)]);
    const input = inputOf(bytes);
    const before = await tableCounts(server.deps.db);
    expect(await raw(input, bytes.length, bytes.subarray(0, 100_000), 'cut')).toBe('cut');
    // The server notices the cut on its own time: wait until its temp file is gone.
    for (let i = 0; i < 100 && tempFiles().length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(tempFiles()).toEqual([]);
    expect(await tableCounts(server.deps.db)).toEqual(before);
    expect(await server.deps.blobs.stat(blobKey(input.sha256))).toBeNull();
    const retry = await send(bytes, input);
    expect(retry.status).toBe(200);
    expect(retry.body.created).toBe(true);
    expect(await count(input.idempotencyKey)).toBe(1);
  });
});
