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
  it('makes every word a prefix term and a typed NIP one term', () => {
    expect(ftsQuery('budi san')).toBe('"budi"* "san"*');
    expect(ftsQuery('19900101 201503 1 001')).toBe('"199001012015031001"*');
    expect(ftsQuery('800/123/BKD/2020')).toBe('"800"* "123"* "bkd"* "2020"*');
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

  it('plans every query without a full-table sort: FTS rank order, filters outside MATCH', () => {
    const plans = [
      { text: 'budi', typeCode: 'SK_PNS', state: 'ready' as const, unitKerja: 'Bidang Mutasi' },
      { text: '199001012015031001' },
      { text: '' },
      { text: '', typeCode: 'SK_PNS' },
    ].map((input) => {
      const { sql, params } = buildSearch({ ...input, ...page });
      return (ctx.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params, 50, 0) as { detail: string }[]).map((row) => row.detail).join('\n');
    });
    for (const plan of plans) expect(plan).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
    // FTS5 is the outer loop, handles MATCH ('M') and consumes ORDER BY rank (idxNum bit 32).
    const fts = /^SCAN f VIRTUAL TABLE INDEX (\d+):M/.exec(plans[0]);
    expect(fts).not.toBeNull();
    expect(Number(fts![1]) & 32).toBe(32);
  });
});
