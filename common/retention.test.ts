import { describe, expect, it } from 'vitest';
import { lifecycleOf, parseJraSchedule } from './retention';

const personalFile = { inactiveYears: 1, disposition: 'musnah' as const, source: 'test' };
const day = (y: number, m: number, d: number) => ({ y, m, d });

describe('lifecycleOf', () => {
  const skp = { activeYears: 2, inactiveYears: 3, disposition: 'musnah' as const };
  const skPns = { activeYears: 1, inactiveYears: 2, disposition: 'berkas_perseorangan' as const };

  it('keeps a document active until its employee leaves service', () => {
    expect(lifecycleOf(skp, personalFile, { leftOn: null, punahOn: null }, day(2040, 1, 1))).toMatchObject({ phase: 'aktif', dueOn: null });
  });

  it('runs a document\u2019s own clock from the leave date: active, inactive, then proposed on the due day', () => {
    const dates = { leftOn: '2026-01-02', punahOn: null };
    expect(lifecycleOf(skp, personalFile, dates, day(2028, 1, 1))).toMatchObject({ phase: 'aktif', inactiveOn: '2028-01-02', dueOn: '2031-01-02' });
    expect(lifecycleOf(skp, personalFile, dates, day(2028, 1, 2)).phase).toBe('inaktif');
    expect(lifecycleOf(skp, personalFile, dates, day(2031, 1, 1)).phase).toBe('inaktif');
    expect(lifecycleOf(skp, personalFile, dates, day(2031, 1, 2)).phase).toBe('usul_musnah');
    expect(lifecycleOf({ ...skp, disposition: 'permanen' }, personalFile, dates, day(2031, 1, 2)).phase).toBe('usul_statis');
  });

  it('makes a document that joins the personal file wait for Punah, then one inactive year, then the file\u2019s fate', () => {
    expect(lifecycleOf(skPns, personalFile, { leftOn: '2026-01-02', punahOn: null }, day(2060, 1, 1)).phase).toBe('aktif');
    const dates = { leftOn: '2026-01-02', punahOn: '2027-03-01' };
    expect(lifecycleOf(skPns, personalFile, dates, day(2028, 2, 29))).toMatchObject({ phase: 'inaktif', dueOn: '2028-03-01', final: 'musnah' });
    expect(lifecycleOf(skPns, { ...personalFile, disposition: 'permanen' }, dates, day(2028, 3, 1)).phase).toBe('usul_statis');
  });
});

describe('parseJraSchedule', () => {
  const reference = { documentTypes: [{ code: 'SKP' }], kedudukanHukum: [{ code: '67' }, { code: '99' }] } as never;
  const base = {
    version: '1',
    regulation: 'Peraturan ANRI 22/2017',
    confirmed: false,
    note: 'defaults',
    leaveCodes: { codes: ['67', '99'], source: 's' },
    punahCode: { code: '67', source: 's' },
    personalFile,
    fallback: { activeYears: 1, inactiveYears: 2, disposition: 'berkas_perseorangan', source: 's' },
    entries: [{ typeCode: 'SKP', activeYears: 2, inactiveYears: 3, disposition: 'musnah', source: 's' }],
  };

  it('accepts the shape and refuses unknown types, codes and a value without its source', () => {
    expect(parseJraSchedule(base, reference).entries).toHaveLength(1);
    expect(() => parseJraSchedule({ ...base, entries: [{ ...base.entries[0], typeCode: 'SK_X' }] }, reference)).toThrow(/SK_X/);
    expect(() => parseJraSchedule({ ...base, leaveCodes: { codes: ['99'], source: 's' } }, reference)).toThrow(/punah/);
    expect(() => parseJraSchedule({ ...base, entries: [{ ...base.entries[0], source: '' }] }, reference)).toThrow();
  });
});
