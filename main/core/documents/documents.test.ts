import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertDocument, insertEmployee } from '../../../tests/helpers/documents';
import { fixedClock, referenceData, tempDir, testDb, translateId } from '../../../tests/helpers/profile';
import { createAuditLog } from '../audit';
import { FileBlobStore } from '../../infra/blobs';
import { createDocuments, type DocumentsService } from './index';

const actor = { id: 'sari' };
let ctx: ReturnType<typeof testDb>;
let documents: DocumentsService;
let blobsDir: ReturnType<typeof tempDir>;

beforeEach(async () => {
  ctx = testDb();
  blobsDir = tempDir();
  const blobs = await new FileBlobStore(blobsDir.dir).init();
  documents = createDocuments({ db: ctx.db, blobs, clock: fixedClock, translate: translateId, locale: () => 'id', reference: referenceData, audit: createAuditLog({ db: ctx.db, clock: fixedClock }) });
});
afterEach(() => {
  ctx.cleanup();
  blobsDir.cleanup();
});

const goodLabel = (id: number) => ({
  id,
  nip: '19900101 201503 1 001',
  typeCode: 'SK_PNS',
  fields: { nomor: ' 800/123/BKD/2016 ', tanggal: '2016-04-01', tmt: '2016-04-01', golongan: 'III/a', stale: 'x' },
  notes: '',
});

describe('labelling', () => {
  it('stores a valid label, marks the document ready and audits it', () => {
    const id = insertDocument(ctx.db);
    const labelled = documents.label(goodLabel(id), actor);
    expect(labelled).toMatchObject({ nip: '199001012015031001', typeCode: 'SK_PNS', nomor: '800/123/BKD/2016', tanggal: '2016-04-01', state: 'ready' });
    expect(labelled.fields).toEqual({ nomor: '800/123/BKD/2016', tanggal: '2016-04-01', tmt: '2016-04-01', golongan: 'III/a' });
    expect(ctx.db.prepare("SELECT actor, action FROM audit_log WHERE document_id = ?").all(id)).toEqual([{ actor: 'sari', action: 'document.labelled' }]);
  });

  it('names every problem of an invalid label and changes nothing', () => {
    const id = insertDocument(ctx.db);
    const bad = { id, nip: '199013012015031001', typeCode: 'SK_PNS', fields: { tanggal: '2016-02-30', golongan: 'Z/z' }, notes: '' };
    expect(() => documents.label(bad, actor)).toThrow(
      'Label belum benar: Tanggal lahir dalam NIP (19901301) bukan tanggal yang ada; Nomor wajib diisi; Tanggal harus tanggal yang sah (TTTT-BB-HH); TMT wajib diisi; Golongan tidak ada dalam daftar pilihan',
    );
    expect(documents.get(id)).toMatchObject({ state: 'draft', nip: null });
  });

  it('refuses a future SK date and an unknown type', () => {
    const id = insertDocument(ctx.db);
    expect(documents.problems({ ...goodLabel(id), fields: { ...goodLabel(id).fields, tanggal: '2027-01-01' } })).toEqual(['Tanggal tidak boleh di masa depan']);
    expect(documents.problems({ ...goodLabel(id), typeCode: 'SK_RAHASIA' })).toEqual(['Jenis dokumen "SK_RAHASIA" tidak dikenal']);
  });

  it('checks an NI PPPK by its own rules when the employee is known as PPPK', () => {
    ctx.db.prepare(`INSERT INTO employees (nip, kind, nama, updated_at) VALUES ('198503122021152001', 'pppk', 'Rina', 'x')`).run();
    const id = insertDocument(ctx.db);
    expect(documents.problems({ ...goodLabel(id), nip: '198503122021152001' })).toEqual([]);
  });

  it('reports a missing document as not_found', () => {
    expect(() => documents.label(goodLabel(999), actor)).toThrow(expect.objectContaining({ code: 'not_found' }));
  });
});

describe('listing', () => {
  it('lists drafts in import order and by employee', () => {
    insertEmployee(ctx.db, '199001012015031001', 'Budi');
    const a = insertDocument(ctx.db);
    const b = insertDocument(ctx.db, { nip: '199001012015031001', typeCode: 'DRH', state: 'ready' });
    const c = insertDocument(ctx.db);
    expect(documents.list({ state: 'draft', limit: 10, offset: 0 }).items.map((d) => d.id)).toEqual([a, c]);
    expect(documents.list({ nip: '199001012015031001', limit: 10, offset: 0 })).toMatchObject({ total: 1, items: [{ id: b, nama: 'Budi' }] });
  });

  it('records every opening of a document', async () => {
    const id = insertDocument(ctx.db, { nip: '199001012015031001' });
    await documents.content(id, actor);
    await documents.content(id, actor);
    expect(ctx.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'document.viewed' AND document_id = ? AND nip = '199001012015031001'").get(id)).toEqual({ n: 2 });
  });
});
