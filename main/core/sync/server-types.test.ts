import { afterEach, describe, expect, it } from 'vitest';
import { referenceData, testDb } from '../../../tests/helpers/profile';
import { mergeServerTypes, referenceWithServerTypes } from './server-types';

const file = referenceData();
const custom = { code: 'SK_TUGAS', name: { id: 'SK Tugas', en: 'Duty decree' }, idRefDokumen: null, jenisRiwayat: null, category: 'pendukung', fields: [{ key: 'nomor', required: true }], maxBytes: 1000, aliases: [], custom: true, updatedAt: '2026-11-24T00:00:00Z' };

describe('server document types in the reference data', () => {
  it('adds the types the file does not know, without the server-only keys, and skips what it cannot use', () => {
    const merged = mergeServerTypes(file, [
      JSON.stringify(custom),
      '{not json',
      JSON.stringify({ ...custom, code: 'SK_WARNA', fields: [{ key: 'warna', required: true }] }),
      JSON.stringify({ ...custom, code: 'DRH', name: { id: 'DRH server', en: 'Server DRH' } }),
      JSON.stringify({ code: 'SETENGAH' }),
    ]);
    const { custom: _c, updatedAt: _u, ...expected } = custom;
    expect(merged.documentTypes.slice(file.documentTypes.length)).toEqual([expected]);
    expect(merged.documentTypes.find((type) => type.code === 'DRH')).toBe(file.documentTypes.find((type) => type.code === 'DRH'));
  });

  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

  it('answers the same object until a pull changes the stored definitions', () => {
    const ctx = testDb();
    cleanups.push(ctx.cleanup);
    const reference = referenceWithServerTypes(ctx.db, file);
    expect(reference()).toBe(file);
    ctx.db.prepare('INSERT INTO dms_document_types (code, definition, updated_at) VALUES (?, ?, ?)').run(custom.code, JSON.stringify(custom), custom.updatedAt);
    const merged = reference();
    expect(merged.documentTypes.map((type) => type.code)).toContain('SK_TUGAS');
    expect(reference()).toBe(merged);
    ctx.db.prepare('UPDATE dms_document_types SET definition = ? WHERE code = ?').run(JSON.stringify({ ...custom, name: { id: 'SK Penugasan', en: 'Assignment decree' } }), custom.code);
    expect(reference().documentTypes.find((type) => type.code === 'SK_TUGAS')?.name.id).toBe('SK Penugasan');
  });
});
