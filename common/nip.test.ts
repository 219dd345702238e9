import { describe, expect, it } from 'vitest';
import { checkAnyNip, checkNip, checkPnsNip, checkPppkNip, normalizeNip, parseNipList } from './nip';

const today = { y: 2026, m: 11, d: 24 };

describe('PNS NIP', () => {
  it('accepts a well-formed NIP and splits it into parts', () => {
    const check = checkPnsNip('199001012015031001', today);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.parts).toMatchObject({ kind: 'pns', birth: { y: 1990, m: 1, d: 1 }, appointment: { y: 2015, m: 3 }, gender: 1, serial: '001' });
  });

  it('strips the spaces and dots people type', () => {
    expect(normalizeNip('19900101 201503 1 001')).toBe('199001012015031001');
    expect(checkPnsNip('19900101.201503.2.001', today).ok).toBe(true);
  });

  it('names the length when digits are missing', () => {
    expect(checkPnsNip('19900101201503100', today)).toMatchObject({ ok: false, problem: { reason: 'length', length: 17 } });
  });

  it('refuses letters', () => {
    expect(checkPnsNip('19900101201503100A', today)).toMatchObject({ ok: false, problem: { reason: 'not_digits' } });
  });

  it('accepts 29 February in a leap year and refuses it otherwise', () => {
    expect(checkPnsNip('199202292015031001', today).ok).toBe(true);
    expect(checkPnsNip('199102292015031001', today)).toMatchObject({ ok: false, problem: { reason: 'birth_date', value: '19910229' } });
    // 1900 is not a leap year; 2000 is.
    expect(checkPnsNip('190002291925031001', today)).toMatchObject({ ok: false, problem: { reason: 'birth_date' } });
    expect(checkPnsNip('200002292020031001', today).ok).toBe(true);
  });

  it('refuses month 13 in the birth date and in the TMT', () => {
    expect(checkPnsNip('199013012015031001', today)).toMatchObject({ ok: false, problem: { reason: 'birth_date' } });
    expect(checkPnsNip('199001012015131001', today)).toMatchObject({ ok: false, problem: { reason: 'tmt_month', value: '201513' } });
    expect(checkPnsNip('199001012015001001', today)).toMatchObject({ ok: false, problem: { reason: 'tmt_month' } });
  });

  it('refuses a TMT before the 18th birthday', () => {
    // Born 15 May 2000: 18 on 15 May 2018. TMT May 2018 (1 May) is too early; June is fine.
    expect(checkPnsNip('200005152018051001', today)).toMatchObject({ ok: false, problem: { reason: 'tmt_before_18' } });
    expect(checkPnsNip('200005152018061001', today).ok).toBe(true);
    // Born 1 May 2000: TMT 1 May 2018 is the birthday itself.
    expect(checkPnsNip('200005012018051001', today).ok).toBe(true);
  });

  it('treats a 29 February birthday as reached on 1 March in common years', () => {
    expect(checkPnsNip('200002292018021001', today)).toMatchObject({ ok: false, problem: { reason: 'tmt_before_18' } });
    expect(checkPnsNip('200002292018031001', today).ok).toBe(true);
  });

  it('refuses a TMT in the future but accepts the current month', () => {
    expect(checkPnsNip('199001012026121001', today)).toMatchObject({ ok: false, problem: { reason: 'tmt_future' } });
    expect(checkPnsNip('199001012026111001', today).ok).toBe(true);
  });

  it('refuses a gender digit other than 1 or 2', () => {
    expect(checkPnsNip('199001012015033001', today)).toMatchObject({ ok: false, problem: { reason: 'gender', value: '3' } });
    expect(checkPnsNip('199001012015030001', today)).toMatchObject({ ok: false, problem: { reason: 'gender', value: '0' } });
  });

  it('refuses serial 000', () => {
    expect(checkPnsNip('199001012015031000', today)).toMatchObject({ ok: false, problem: { reason: 'serial' } });
  });
});

describe('NI PPPK', () => {
  it('accepts birth date, year of appointment, contract count, gender and serial', () => {
    const check = checkPppkNip('198503122021012001', today);
    expect(check).toMatchObject({ ok: true, parts: { kind: 'pppk', appointment: { y: 2021 }, contracts: 1, gender: 2 } });
  });

  it('refuses contract count 00', () => {
    expect(checkPppkNip('198503122021002001', today)).toMatchObject({ ok: false, problem: { reason: 'contract_count' } });
  });

  it('refuses a year of appointment before the 18th birthday year or in the future', () => {
    expect(checkPppkNip('200503122022012001', today)).toMatchObject({ ok: false, problem: { reason: 'appointment_before_18' } });
    expect(checkPppkNip('198503122027012001', today)).toMatchObject({ ok: false, problem: { reason: 'appointment_future' } });
  });

  it('is checked by its own rules when the kind is known', () => {
    // As a PNS NIP this reads TMT 2021-01 with gender '2'... it happens to be valid too;
    // a PPPK number whose digits 13-14 are not a month is only valid as PPPK.
    expect(checkNip('198503122021152001', 'pns', today).ok).toBe(false);
    expect(checkNip('198503122021152001', 'pppk', today).ok).toBe(true);
    expect(checkAnyNip('198503122021152001', today)).toMatchObject({ ok: true, parts: { kind: 'pppk' } });
  });
});

describe('parseNipList', () => {
  it('reads NIPs one a line, comma or semicolon separated, printed with spaces or several to a line', () => {
    expect(parseNipList('19900101 201503 1 001\n199202292015032002, 199505052020121001;\n\n')).toEqual(['199001012015031001', '199202292015032002', '199505052020121001']);
    expect(parseNipList('199001012015031001 199202292015032002')).toEqual(['199001012015031001', '199202292015032002']);
    expect(parseNipList('199001012015031001\n19900101.201503.1.001')).toEqual(['199001012015031001']);
    // Not a NIP: passed on whole, for the contract to refuse by name.
    expect(parseNipList('12345 678')).toEqual(['12345678']);
    expect(parseNipList('  ')).toEqual([]);
  });
});
