import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertDocument, insertEmployee } from '../../../tests/helpers/documents';
import { testDb } from '../../../tests/helpers/profile';
import { buildSearch, createSearch, ftsQuery, TOTAL_CAP } from './index';

let ctx: ReturnType<typeof testDb>;
beforeEach(() => {
  ctx = testDb();
});
afterEach(() => ctx.cleanup());

describe('ftsQuery', () => {
  it('makes the last word a prefix, a punctuated word one phrase and a typed NIP one term', () => {
    expect(ftsQuery('budi san')).toBe('"budi" "san"*');
    expect(ftsQuery('19900101 201503 1 001')).toBe('"199001012015031001"*');
    expect(ftsQuery('800/123/BKD/2020')).toBe('"800 123 bkd 2020"*');
    expect(ftsQuery('sk 800/12')).toBe('"sk" "800 12"*');
    expect(ftsQuery('  "; DROP')).toBe('"drop"*');
    expect(ftsQuery('   ')).toBeNull();
  });
});

describe('search', () => {
  const page = { limit: 50, offset: 0 };

  it('finds documents by employee name, NIP, document number, type and notes', () => {
    insertEmployee(ctx.db, '199001012015031001', 'Budi Santoso', 'Bidang Mutasi');
    const skPns = insertDocument(ctx.db, { nip: '199001012015031001', typeCode: 'SK_PNS', nomor: '800/123/BKD/2016', state: 'ready' });
    const ijazah = insertDocument(ctx.db, { nip: '199001012015031001', typeCode: 'IJAZAH', notes: 'ijazah asli dilegalisir' });
    insertDocument(ctx.db, { name: 'lain.pdf' });
    const search = createSearch({ db: ctx.db });
    const ids = (text: string, extra = {}) => search.query({ text, ...page, ...extra }).items.map((hit) => hit.id).sort();

    expect(ids('budi')).toEqual([skPns, ijazah]);
    expect(ids('1990010120')).toEqual([skPns, ijazah]);
    expect(ids('800/123')).toEqual([skPns]);
    expect(ids('sk pns')).toEqual([skPns]);
    expect(ids('legalisir')).toEqual([]);
    expect(ids('dilegal')).toEqual([ijazah]);
    expect(ids('budi', { typeCode: 'IJAZAH' })).toEqual([ijazah]);
    expect(ids('budi', { state: 'ready' })).toEqual([skPns]);
    expect(ids('budi', { unitKerja: 'Bidang Lain' })).toEqual([]);
    expect(search.query({ text: 'budi', ...page }).items.find((hit) => hit.id === skPns)).toMatchObject({ nama: 'Budi Santoso', unitKerja: 'Bidang Mutasi' });
  });

  it('follows an employee renamed after their documents were labelled', () => {
    const id = insertDocument(ctx.db, { nip: '199001012015031001', typeCode: 'DRH' });
    const search = createSearch({ db: ctx.db });
    expect(search.query({ text: 'budi', ...page }).items).toHaveLength(0);
    insertEmployee(ctx.db, '199001012015031001', 'Budi Santoso');
    expect(search.query({ text: 'budi', ...page }).items.map((hit) => hit.id)).toEqual([id]);
    ctx.db.prepare("UPDATE employees SET nama = 'Bambang' WHERE nip = '199001012015031001'").run();
    expect(search.query({ text: 'budi', ...page }).items).toHaveLength(0);
    expect(search.query({ text: 'bambang', ...page }).items).toHaveLength(1);
  });

  it('caps the count it reports', () => {
    ctx.db.transaction(() => {
      for (let i = 0; i < TOTAL_CAP + 5; i++) insertDocument(ctx.db, { notes: 'arsip' });
    })();
    const result = createSearch({ db: ctx.db }).query({ text: 'arsip', ...page });
    expect(result).toMatchObject({ total: TOTAL_CAP, totalCapped: true });
    expect(result.items).toHaveLength(50);
  });

  it('filters by exact type, state and unit, and follows labelling and an employee moving units', () => {
    insertEmployee(ctx.db, '199001012015031001', 'Budi Santoso', 'SD Negeri 1');
    insertEmployee(ctx.db, '199202022016032002', 'Budiarti', 'SD Negeri 12');
    const a = insertDocument(ctx.db, { nip: '199001012015031001', typeCode: 'SK_PNS' });
    const b = insertDocument(ctx.db, { nip: '199202022016032002', typeCode: 'SK_PNS_X' });
    const search = createSearch({ db: ctx.db });
    const ids = (input: object) => search.query({ text: '', ...page, ...input }).items.map((hit) => hit.id).sort();
    // Exact values: a unit or type that only starts the same is another one.
    expect(ids({ unitKerja: 'SD Negeri 1' })).toEqual([a]);
    expect(ids({ typeCode: 'SK_PNS' })).toEqual([a]);
    expect(ids({ text: 'budi', state: 'draft' })).toEqual([a, b]);
    ctx.db.prepare("UPDATE documents SET state = 'ready' WHERE id = ?").run(a);
    expect(ids({ text: 'budi', state: 'draft' })).toEqual([b]);
    ctx.db.prepare("UPDATE employees SET unit_kerja = 'SD Negeri 12' WHERE nip = '199001012015031001'").run();
    expect(ids({ unitKerja: 'SD Negeri 12' })).toEqual([a, b]);
  });

  it('plans every query as one FTS5 scan in rowid order, or an index walk: no sort, no filter joins', () => {
    const plans = [
      { text: 'budi', typeCode: 'SK_PNS', state: 'ready' as const, unitKerja: 'Bidang Mutasi' },
      { text: '199001012015031001' },
      { text: '', unitKerja: 'Bidang Mutasi' },
      { text: '' },
    ].map((input) => {
      const { sql, params } = buildSearch({ ...input, ...page });
      return (ctx.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params, 50, 0) as { detail: string }[]).map((row) => row.detail).join('\n');
    });
    for (const plan of plans) expect(plan).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
    // FTS5 is the outer loop, handles MATCH ('M') and consumes ORDER BY rowid DESC (idxNum bits 64 and 128).
    for (const plan of plans.slice(0, 3)) {
      const fts = /^SCAN f VIRTUAL TABLE INDEX (\d+):M/.exec(plan);
      expect(fts).not.toBeNull();
      expect(Number(fts![1]) & (64 | 128)).toBe(64 | 128);
    }
  });
});
