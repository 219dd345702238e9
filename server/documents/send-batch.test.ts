// The part of documents.sendBatch that needs no server: the manifest, refused as
// invalid_json, payload_too_large (a document for tus) or the schema's invalid_input /
// unknown_field.
import { describe, expect, it } from 'vitest';
import { DOCUMENT_SEND } from '../../common/dms/documents';
import { readManifest } from './send-batch';

const ITEM = { idempotencyKey: 'k1', sha256: 'a'.repeat(64), nip: '198503152010012003', typeCode: 'SK_PNS', fileName: 'a.pdf', size: 3 };
const manifest = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('readManifest', () => {
  it('answers the items, their fields defaulting to none', () => {
    expect(readManifest(manifest({ items: [ITEM, { ...ITEM, idempotencyKey: 'k2', fields: { nomor: '1' } }] }))).toEqual([
      { ...ITEM, fields: {} },
      { ...ITEM, idempotencyKey: 'k2', fields: { nomor: '1' } },
    ]);
  });

  it('refuses what is not UTF-8 JSON, and what its schema refuses', () => {
    expect(() => readManifest(Buffer.from('{"items":'))).toThrow(expect.objectContaining({ code: 'invalid_json' }));
    expect(() => readManifest(Buffer.from([0x7b, 0xff, 0x7d]))).toThrow(expect.objectContaining({ code: 'invalid_json' }));
    expect(() => readManifest(manifest({ items: [] }))).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => readManifest(manifest({ items: [ITEM, ITEM] }))).toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringMatching(/own idempotency key/) }));
    expect(() => readManifest(manifest({ items: [{ ...ITEM, size: -1 }] }))).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => readManifest(manifest({ items: [ITEM], more: 1 }))).toThrow(expect.objectContaining({ code: 'unknown_field' }));
  });

  it('says a document too large for documents.send is one for tus: payload_too_large, naming it', () => {
    const items = [ITEM, { ...ITEM, idempotencyKey: 'k2', size: DOCUMENT_SEND.maxBytes + 1 }];
    expect(() => readManifest(manifest({ items }))).toThrow(
      expect.objectContaining({ code: 'payload_too_large', details: { maxBytes: DOCUMENT_SEND.maxBytes, item: 1 }, headers: { connection: 'close' } }),
    );
  });
});
