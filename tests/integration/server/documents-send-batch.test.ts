// documents.sendBatch on both databases: several small documents with their bytes in one
// request (server/documents/send-batch.ts). Each item is stored or refused on its own, as
// documents.send would treat it; a retry answers what was stored; the whole batch costs one
// statement for the label facts and one insert; and every fault of the request (token,
// headers, manifest, a body cut short) keeps no document and no temp file.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DOCUMENT_SEND, DOCUMENT_SEND_BATCH, sendHeader, type SendBatchItem, type SendInput } from '../../../common/dms/documents';
import { blobKey } from '../../../server/blobs';
import { startTestServer, type SeededUser, type TestDbKind, type TestServer } from '../../helpers/server';
import { documentCount, NIPS, pdfBytes, rawPost, sendTempFiles, sha256, tableCounts, twoInstansi } from '../../helpers/server-documents';

const FIELDS = { nomor: '823.4/112/BKD/2011', tanggal: '2011-03-01', tmt: '2011-03-01' };
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of several shapes
type Answer = { status: number; body: any; headers: Headers };

interface Item {
  input: SendInput;
  bytes: Buffer;
}

/** The body of a batch: the manifest, then each item's bytes; `size` overrides what the manifest says of an item. */
function batchBody(items: (Item & { size?: number })[]): { manifest: Buffer; body: Buffer } {
  const manifest = Buffer.from(JSON.stringify({ items: items.map(({ input, bytes, size }): SendBatchItem => ({ ...input, size: size ?? bytes.length })) }));
  return { manifest, body: Buffer.concat([manifest, ...items.map((item) => item.bytes)]) };
}

interface BatchOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Instead of the manifest and the items' bytes. */
  body?: Buffer;
}

async function postBatch(server: TestServer, items: Item[], opts: BatchOptions & { token: string }): Promise<Answer> {
  const { manifest, body } = batchBody(items);
  const res = await fetch(server.url + DOCUMENT_SEND_BATCH.path, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${opts.token}`,
      'content-type': DOCUMENT_SEND_BATCH.contentType,
      [DOCUMENT_SEND_BATCH.manifestHeader]: String(manifest.length),
      ...opts.headers,
    },
    body: new Uint8Array(opts.body ?? body),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

describe.each<TestDbKind>(['pglite', 'postgres'])('documents.sendBatch on %s', (kind) => {
  let server: TestServer;
  let clerk: SeededUser;
  let otherClerk: SeededUser; // instansi B

  twoInstansi(kind, (seeded) => ({ server, clerk, otherClerk } = seeded));

  let keys = 0;
  const item = (bytes = pdfBytes(), overrides: Partial<SendInput> = {}): Item => ({
    bytes,
    input: { idempotencyKey: `batch-${kind}-${++keys}`, sha256: sha256(bytes), nip: NIPS[0], typeCode: 'SK_PNS', fields: FIELDS, fileName: `Scan ${keys}.pdf`, ...overrides },
  });

  const sendBatch = (items: Item[], opts: BatchOptions = {}) => postBatch(server, items, { token: clerk.token, ...opts });

  /** A request whose body the test writes: `declared` bytes announced, `body` sent, then the socket ended or destroyed. */
  const raw = (manifestLength: number, declared: number, body: Buffer, end: 'finish' | 'cut') =>
    rawPost(
      server.url + DOCUMENT_SEND_BATCH.path,
      { authorization: `Bearer ${clerk.token}`, 'content-type': DOCUMENT_SEND_BATCH.contentType, 'content-length': declared, [DOCUMENT_SEND_BATCH.manifestHeader]: manifestLength },
      body,
      end,
    );
  const count = (key: string) => documentCount(server, key);
  const tempFiles = () => sendTempFiles(server);
  /** The statements the server runs while `fn` does. */
  async function statements(fn: () => Promise<unknown>): Promise<string[]> {
    const spy = vi.spyOn(server.deps.db, 'query');
    try {
      await fn();
      return spy.mock.calls.map(([text]) => text);
    } finally {
      spy.mockRestore();
    }
  }

  it('stores every document of a batch with its bytes: hashes checked, types from the bytes, each readable and downloadable', async () => {
    const same = pdfBytes();
    const items = [item(), item(PNG, { fileName: 'foto.png', nip: NIPS[1] }), item(same), item(same), item(Buffer.alloc(0), { fileName: 'kosong.pdf' })];
    const res = await sendBatch(items);
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(items.length);
    for (const [i, { input, bytes }] of items.entries()) {
      const { document, created } = res.body.results[i];
      expect(created).toBe(true);
      expect(document).toMatchObject({
        instansiId: 'A1',
        idempotencyKey: input.idempotencyKey,
        nip: input.nip,
        typeCode: 'SK_PNS',
        fields: FIELDS,
        fileName: input.fileName,
        sha256: input.sha256,
        size: bytes.length,
        version: 1,
        createdBy: { userId: clerk.userId, deviceId: clerk.deviceId },
      });
      expect((await server.call('GET', `/v1/documents/${document.id}`, { token: clerk.token })).body.document).toEqual(document);
      const content = await fetch(`${server.url}/v1/documents/${document.id}/content`, { headers: clerk.auth });
      expect(Buffer.from(await content.arrayBuffer()).equals(bytes)).toBe(true);
      // Its upload row, complete, as a tus upload would have left it.
      const upload = await server.deps.db.query('select u.status, u.size, u.declared_sha256 from uploads u join documents d on d.upload_id = u.id where d.id = $1', [document.id]);
      expect(upload.rows).toEqual([{ status: 'complete', size: bytes.length, declared_sha256: input.sha256 }]);
    }
    expect(res.body.results.map((r: { document: { contentType: string } }) => r.document.contentType)).toEqual([
      'application/pdf',
      'image/png',
      'application/pdf',
      'application/pdf',
      'application/octet-stream',
    ]);
    const feed = await server.call('GET', '/v1/documents/changes', { token: clerk.token });
    expect(feed.body.items.map((d: { id: string }) => d.id)).toEqual(expect.arrayContaining(res.body.results.map((r: { document: { id: string } }) => r.document.id)));
    expect(tempFiles()).toEqual([]);
  });

  it('reads the label facts of the whole batch in one statement and inserts it in one', async () => {
    const items = Array.from({ length: DOCUMENT_SEND_BATCH.maxItems }, () => item());
    let res: Answer | undefined;
    const made = await statements(async () => (res = await sendBatch(items)));
    expect(res!.body.results.every((r: { created: boolean }) => r.created)).toBe(true);
    expect(made).toHaveLength(2);
    expect(made[0]).toMatch(/unnest\(.*\) with ordinality/);
    expect(made[1]).toMatch(/^with d as \(insert into documents/);
    // A retry of the whole batch: the facts, then the stored documents, in one statement each.
    const replayed = await statements(async () => (res = await sendBatch(items)));
    expect(res!.body.results.every((r: { created: boolean }) => !r.created)).toBe(true);
    expect(replayed).toHaveLength(2);
    expect(replayed[1]).toMatch(/idempotency_key = any/);
  });

  it('stores the good items of a mixed batch and refuses each bad one with the code documents.send gives it, keeping nothing of it', async () => {
    const good = item();
    const badNip = item(pdfBytes(), { nip: '12345' });
    const badName = item(pdfBytes(), { fileName: '../etc/passwd' });
    const wrongBytes = item();
    const declared = wrongBytes.input.sha256;
    wrongBytes.bytes = pdfBytes();
    const unknownType = item(pdfBytes(), { typeCode: 'NO_SUCH_TYPE' });
    const unknownField = item(pdfBytes(), { fields: { ...FIELDS, warna: 'merah' } });
    const last = item();
    const items = [good, badNip, badName, wrongBytes, unknownType, unknownField, last];
    const res = await sendBatch(items);
    expect(res.status).toBe(200);
    const [first, nip, name, mismatch, type, field, end] = res.body.results;
    expect(first.created).toBe(true);
    expect(nip.error).toMatchObject({ code: 'invalid_input', details: { problems: [{ field: 'nip' }] } });
    expect(name.error.code).toBe('invalid_file_name');
    expect(mismatch.error).toMatchObject({ code: 'checksum_mismatch', details: { declared, received: sha256(wrongBytes.bytes) } });
    expect(type.error).toMatchObject({ code: 'invalid_input', details: { problems: [{ field: 'typeCode', reason: 'unknown_type' }] } });
    expect(field.error).toMatchObject({ code: 'unknown_field', details: { keys: ['warna'] } });
    // The bytes of the refused items were read past, not taken for the next item's.
    expect(end.created).toBe(true);
    expect(end.document.sha256).toBe(last.input.sha256);
    for (const bad of [badNip, badName, wrongBytes, unknownType, unknownField]) {
      expect(await count(bad.input.idempotencyKey)).toBe(0);
      expect(await server.deps.blobs.stat(blobKey(sha256(bad.bytes)))).toBeNull();
    }
    expect(tempFiles()).toEqual([]);
    // A refused item's key is still free: right bytes under it are stored.
    const right = pdfBytes();
    const retry = await sendBatch([{ bytes: right, input: { ...wrongBytes.input, sha256: sha256(right) } }]);
    expect(retry.body.results[0].created).toBe(true);
  });

  it('answers a batch sent again with the same documents (created: false) and stores nothing new', async () => {
    const items = [item(), item(), item(PNG, { fileName: 'foto.png' })];
    const first = await sendBatch(items);
    const before = await tableCounts(server.deps.db);
    const uploads = async () => (await server.deps.db.query<{ n: number }>('select count(*)::int as n from uploads')).rows[0].n;
    const uploadsBefore = await uploads();
    const again = await sendBatch(items);
    expect(again.status).toBe(200);
    expect(again.body.results).toEqual(first.body.results.map((r: { document: unknown }) => ({ document: r.document, created: false })));
    expect(await tableCounts(server.deps.db)).toEqual(before);
    expect(await uploads()).toBe(uploadsBefore);
  });

  it('makes each document once when the same batch arrives several times at once; the others answer it', async () => {
    const items = [item(), item(), item()];
    const answers = await Promise.all(Array.from({ length: 3 }, () => sendBatch(items)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    for (const [i, { input }] of items.entries()) {
      const results = answers.map((a) => a.body.results[i]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.document.id)).size).toBe(1);
      expect(await count(input.idempotencyKey)).toBe(1);
    }
    expect(tempFiles()).toEqual([]);
  });

  it('refuses a key reused with other bytes or another label as a conflict, item by item', async () => {
    const original = item();
    const first = await sendBatch([original]);
    const otherBytes = pdfBytes();
    const fresh = item();
    const res = await sendBatch([{ bytes: otherBytes, input: { ...original.input, sha256: sha256(otherBytes) } }, fresh]);
    expect(res.status).toBe(200);
    expect(res.body.results[0].error).toMatchObject({ code: 'conflict', details: { documentId: first.body.results[0].document.id } });
    expect(res.body.results[1].created).toBe(true);
    const relabelled = await sendBatch([{ ...original, input: { ...original.input, fields: { ...FIELDS, nomor: 'LAIN/1/2011' } } }]);
    expect(relabelled.body.results[0].error.code).toBe('conflict');
    expect(await count(original.input.idempotencyKey)).toBe(1);
    expect(await server.deps.blobs.stat(blobKey(sha256(otherBytes)))).toBeNull();
  });

  it('answers an item documents.send created already from what it stored', async () => {
    const sent = item();
    const single = await fetch(server.url + DOCUMENT_SEND.path, {
      method: 'POST',
      headers: { ...clerk.auth, 'content-type': 'application/octet-stream', [DOCUMENT_SEND.header]: sendHeader(sent.input) },
      body: new Uint8Array(sent.bytes),
    });
    const { document } = (await single.json()) as { document: { id: string } };
    // First, so that the next item is read from where its unneeded bytes end.
    const res = await sendBatch([sent, item()]);
    expect(res.body.results[0]).toEqual({ document, created: false });
    expect(res.body.results[1].created).toBe(true);
    expect(await count(sent.input.idempotencyKey)).toBe(1);
  });

  it('keeps each instansi\'s keys apart: another instansi\'s batch with the same keys makes its own documents and sees none of these', async () => {
    const items = [item(), item()];
    const mine = await sendBatch(items);
    const theirs = await sendBatch(
      items.map((i) => ({ ...i, input: { ...i.input, nip: NIPS[2] } })),
      { token: otherClerk.token },
    );
    expect(theirs.status).toBe(200);
    for (const [i, result] of theirs.body.results.entries()) {
      expect(result.created).toBe(true);
      expect(result.document.instansiId).toBe('B1');
      expect(result.document.id).not.toBe(mine.body.results[i].document.id);
      expect((await server.call('GET', `/v1/documents/${mine.body.results[i].document.id}`, { token: otherClerk.token })).status).toBe(404);
    }
  });

  it('refuses a request with a bad token, a revoked device or a disabled account before storing anything', async () => {
    const items = [item()];
    const before = await tableCounts(server.deps.db);
    const bad = await sendBatch(items, { token: 'not-a-token' });
    expect([bad.status, bad.body.error.code]).toEqual([401, 'unauthenticated']);
    const revoked = await server.user({ instansiId: 'A1', nip: '198001012005011003' });
    await server.deps.db.query('update devices set revoked_at = now() where id = $1', [revoked.deviceId]);
    expect((await sendBatch(items, { token: revoked.token })).body.error.code).toBe('session_revoked');
    const disabled = await server.user({ instansiId: 'A1', nip: '198001012005011004' });
    await server.deps.db.query("update users set status = 'disabled' where id = $1", [disabled.userId]);
    expect((await sendBatch(items, { token: disabled.token })).body.error.code).toBe('session_revoked');
    // A real user and device, but the token names the other instansi.
    const { token: crossed } = server.deps.signer.issueAccess({ userId: clerk.userId, instansiId: 'B1', deviceId: clerk.deviceId }, 600);
    expect((await sendBatch(items, { token: crossed })).body.error.code).toBe('unauthenticated');
    expect(await tableCounts(server.deps.db)).toEqual(before);
    expect(await server.deps.blobs.stat(blobKey(items[0].input.sha256))).toBeNull();
  });

  it('refuses a request whose headers or manifest are wrong, storing nothing', async () => {
    const items = [item(), item()];
    const { manifest, body } = batchBody(items);
    const before = await tableCounts(server.deps.db);
    const refusal = async (answer: Promise<Answer>) => {
      const { status, body: json } = await answer;
      return [status, json.error.code];
    };
    expect(await refusal(sendBatch(items, { headers: { [DOCUMENT_SEND_BATCH.manifestHeader]: '' } }))).toEqual([400, 'invalid_input']);
    expect(await refusal(sendBatch(items, { headers: { [DOCUMENT_SEND_BATCH.manifestHeader]: 'abc' } }))).toEqual([400, 'invalid_input']);
    expect(await refusal(sendBatch(items, { headers: { 'content-type': 'application/octet-stream' } }))).toEqual([415, 'unsupported_media_type']);
    // Content-Length says more than the manifest and its sizes: an item whose size the manifest understates.
    expect(await refusal(sendBatch(items, { body: Buffer.concat([body, Buffer.from('extra')]) }))).toEqual([400, 'invalid_input']);
    expect(await refusal(sendBatch(items, { body: body.subarray(0, body.length - 1) }))).toEqual([400, 'invalid_input']);
    // The manifest length pointing into the middle of the manifest: not JSON.
    expect(await refusal(sendBatch(items, { headers: { [DOCUMENT_SEND_BATCH.manifestHeader]: String(manifest.length - 5) } }))).toEqual([400, 'invalid_json']);
    const tooMany = Array.from({ length: DOCUMENT_SEND_BATCH.maxItems + 1 }, () => item(Buffer.alloc(0)));
    const many = await sendBatch(tooMany);
    expect(many.status).toBe(400);
    expect(many.body.error).toMatchObject({ code: 'invalid_input', details: { issues: [{ path: 'body.items' }] } });
    const twice = await sendBatch([items[0], items[0]]);
    expect(twice.body.error.code).toBe('invalid_input');
    expect(twice.body.error.message).toMatch(/own idempotency key/);
    const extra = await sendBatch([{ ...items[0], input: { ...items[0].input, colour: 'red' } as SendInput }]);
    expect(extra.body.error.code).toBe('unknown_field');
    expect(await tableCounts(server.deps.db)).toEqual(before);
    for (const { input } of items) expect(await server.deps.blobs.stat(blobKey(input.sha256))).toBeNull();
  });

  it('answers 413 before reading a body, a document or a manifest over the limits', async () => {
    const { manifest } = batchBody([item()]);
    const huge = item(Buffer.alloc(0));
    const { manifest: hugeManifest } = batchBody([{ ...huge, size: DOCUMENT_SEND.maxBytes + 1 }]);
    const tooBig = await raw(hugeManifest.length, hugeManifest.length + DOCUMENT_SEND.maxBytes + 1, hugeManifest, 'finish');
    expect(tooBig).not.toBe('cut');
    const big = tooBig as Exclude<typeof tooBig, 'cut'>;
    expect([big.status, big.headers.connection]).toEqual([413, 'close']);
    expect(JSON.parse(big.body).error).toMatchObject({ code: 'payload_too_large', details: { maxBytes: DOCUMENT_SEND.maxBytes, item: 0 } });
    expect(JSON.parse(big.body).error.message).toMatch(/tus/);
    const tooMuch = await raw(manifest.length, manifest.length + DOCUMENT_SEND_BATCH.maxBytes + 1, manifest, 'finish');
    expect(tooMuch).not.toBe('cut');
    const answer = tooMuch as Exclude<typeof tooMuch, 'cut'>;
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body).error).toMatchObject({ code: 'payload_too_large', details: { maxBytes: DOCUMENT_SEND_BATCH.maxBytes } });
    const bigManifest = await raw(DOCUMENT_SEND_BATCH.maxManifestBytes + 1, DOCUMENT_SEND_BATCH.maxManifestBytes + 1, Buffer.alloc(0), 'finish');
    expect(bigManifest).not.toBe('cut');
    expect(JSON.parse((bigManifest as Exclude<typeof bigManifest, 'cut'>).body).error).toMatchObject({ code: 'payload_too_large', details: { maxManifestBytes: DOCUMENT_SEND_BATCH.maxManifestBytes } });
  });

  it('keeps no document of a batch whose body is cut part-way, and no temp file; the same batch then works', async () => {
    const items = [item(), item(Buffer.concat([pdfBytes(), Buffer.alloc(512 * 1024, 7)])), item()];
    const { manifest, body } = batchBody(items);
    const before = await tableCounts(server.deps.db);
    // The first item whole, the second part-way.
    expect(await raw(manifest.length, body.length, body.subarray(0, manifest.length + items[0].bytes.length + 100_000), 'cut')).toBe('cut');
    // The server notices the cut on its own time: wait until its temp files are gone.
    for (let i = 0; i < 100 && tempFiles().length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(tempFiles()).toEqual([]);
    expect(await tableCounts(server.deps.db)).toEqual(before);
    for (const { input } of items) expect(await count(input.idempotencyKey)).toBe(0);
    const retry = await sendBatch(items);
    expect(retry.body.results.map((r: { created: boolean }) => r.created)).toEqual([true, true, true]);
  });
});

describe('documents.sendBatch under a LEMARI_MAX_UPLOAD_BYTES below its own limits', () => {
  let server: TestServer;
  let clerk: SeededUser;
  beforeAll(async () => {
    server = await startTestServer('pglite', { maxUploadBytes: 1000 });
    await server.instansi('A1');
    clerk = await server.user({ instansiId: 'A1', nip: '198001012005011001' });
  });
  afterAll(() => server?.close());

  it('answers 413 for documents over it, alone or together, before reading their bytes', async () => {
    const input = (bytes: Buffer, key: string): SendInput => ({ idempotencyKey: key, sha256: sha256(bytes), nip: NIPS[0], typeCode: 'SK_PNS', fields: FIELDS, fileName: 'a.pdf' });
    const send = async (items: Item[]) => {
      const res = await postBatch(server, items, { token: clerk.token });
      return { status: res.status, connection: res.headers.get('connection'), error: res.body.error };
    };
    const big = Buffer.alloc(1001, 1);
    const one = await send([{ input: input(big, 'big'), bytes: big }]);
    expect(one).toMatchObject({ status: 413, connection: 'close', error: { code: 'payload_too_large', details: { maxBytes: 1000 } } });
    const halves = [Buffer.alloc(600, 1), Buffer.alloc(600, 2)];
    const both = await send(halves.map((bytes, i) => ({ input: input(bytes, `half-${i}`), bytes })));
    expect(both).toMatchObject({ status: 413, error: { code: 'payload_too_large', details: { maxBytes: 1000 } } });
    const fits = await send(halves.slice(0, 1).map((bytes) => ({ input: input(bytes, 'fits'), bytes })));
    expect(fits.status).toBe(200);
    expect(await tableCounts(server.deps.db)).toMatchObject({ documents: 1 });
  });
});
