import { describe, expect, it } from 'vitest';
import { encodeSeparator, parseSeparator } from './format';
import { planSplit } from './split';

const BUDI = '199001012015031001';

describe('separator payload', () => {
  it('round-trips a label, with and without a history record', () => {
    expect(parseSeparator(encodeSeparator({ nip: BUDI, typeCode: 'SK_PANGKAT' }))).toEqual({ nip: BUDI, typeCode: 'SK_PANGKAT' });
    const withRef = encodeSeparator({ nip: BUDI, typeCode: 'SK_PANGKAT', historyRef: 'kp-2019-04' });
    expect(withRef).toMatch(/^LEMARI-SEP:1:199001012015031001:SK_PANGKAT:kp-2019-04:[0-9A-Z]{7}$/);
    expect(parseSeparator(withRef)).toEqual({ nip: BUDI, typeCode: 'SK_PANGKAT', historyRef: 'kp-2019-04' });
  });

  it('refuses a payload whose check does not match (a misread digit, an edited code) and foreign QR codes', () => {
    const good = encodeSeparator({ nip: BUDI, typeCode: 'DRH' });
    expect(parseSeparator(good.replace('199001012015031001', '199001012015031002'))).toBeNull();
    expect(parseSeparator(good.replace(':DRH:', ':SKP:'))).toBeNull();
    expect(parseSeparator('https://tte.kominfo.go.id/verifyPDF/abc')).toBeNull();
    expect(parseSeparator(good.replace('LEMARI-SEP:1', 'LEMARI-SEP:2'))).toBeNull();
  });

  it('will not print a label that could not be read back', () => {
    expect(() => encodeSeparator({ nip: '1990', typeCode: 'DRH' })).toThrow(/18 digits/);
    expect(() => encodeSeparator({ nip: BUDI, typeCode: 'DRH', historyRef: 'a:b' })).toThrow(/history ref/);
  });
});

describe('planSplit', () => {
  const a = { nip: BUDI, typeCode: 'DRH' };
  const b = { nip: BUDI, typeCode: 'SKP' };

  it('is null for a stack without sheets', () => {
    expect(planSplit([null, null, null])).toBeNull();
  });

  it('cuts at each sheet, drops the sheets, keeps leading pages unlabelled and skips empty sheets', () => {
    expect(planSplit([null, a, null, null, b, a, null, b])).toEqual([
      { label: null, pages: [0] },
      { label: a, pages: [2, 3] },
      { label: a, pages: [6] },
    ]);
  });
});
