// NIP (PNS) and NI PPPK rules, as the glossary gives them. Pure functions over a
// clock-free "today", so tests can pin the date.

import { anniversary, compareDates, isRealDate, type CalendarDate } from './dates';

export type EmployeeKind = 'pns' | 'pppk';

export type NipProblem =
  | { reason: 'length'; length: number }
  | { reason: 'not_digits' }
  | { reason: 'birth_date'; value: string }
  | { reason: 'tmt_month'; value: string }
  | { reason: 'tmt_future'; value: string }
  | { reason: 'tmt_before_18'; value: string }
  | { reason: 'appointment_year'; value: string }
  | { reason: 'appointment_before_18'; value: string }
  | { reason: 'appointment_future'; value: string }
  | { reason: 'contract_count'; value: string }
  | { reason: 'gender'; value: string }
  | { reason: 'serial'; value: string };

export interface NipParts {
  kind: EmployeeKind;
  birth: CalendarDate;
  /** PNS: TMT CPNS month; PPPK: year of first appointment with month 1. */
  appointment: { y: number; m: number };
  gender: 1 | 2;
  serial: string;
  /** PPPK only: the number of work contracts. */
  contracts?: number;
}

export type NipCheck = { ok: true; nip: string; parts: NipParts } | { ok: false; nip: string; problem: NipProblem };

/** Removes what people type between digit groups: spaces, dots, dashes. */
export function normalizeNip(input: string): string {
  return input.replace(/[\s.\-\u00a0]/g, '');
}

/**
 * A list of NIPs as a clerk types or pastes it: one a line or separated by commas or
 * semicolons, each as printed on an SK ("19900101 201503 1 001") or plain; several plain
 * NIPs on one line separated by spaces are taken apart too. Distinct, in order, unchecked.
 */
export function parseNipList(text: string): string[] {
  const nips = text.split(/[\n,;]+/).flatMap((line) => {
    const words = line.trim().split(/\s+/).filter(Boolean);
    return words.length > 1 && words.every((word) => /^\d{18}$/.test(normalizeNip(word))) ? words.map(normalizeNip) : [normalizeNip(line)];
  });
  return [...new Set(nips.filter(Boolean))];
}

function num(text: string): number {
  return Number.parseInt(text, 10);
}

function checkShape(nip: string): NipProblem | null {
  if (!/^\d+$/.test(nip)) return { reason: 'not_digits' };
  if (nip.length !== 18) return { reason: 'length', length: nip.length };
  return null;
}

function checkBirth(nip: string): CalendarDate | NipProblem {
  const y = num(nip.slice(0, 4));
  const m = num(nip.slice(4, 6));
  const d = num(nip.slice(6, 8));
  if (!isRealDate(y, m, d)) return { reason: 'birth_date', value: nip.slice(0, 8) };
  return { y, m, d };
}

function checkGender(digit: string): 1 | 2 | NipProblem {
  if (digit === '1') return 1;
  if (digit === '2') return 2;
  return { reason: 'gender', value: digit };
}

function isProblem(value: unknown): value is NipProblem {
  return typeof value === 'object' && value !== null && 'reason' in value;
}

/** Checks a PNS NIP: birth date (8), TMT CPNS (6), gender (1), serial (3). */
export function checkPnsNip(input: string, today: CalendarDate): NipCheck {
  const nip = normalizeNip(input);
  const shape = checkShape(nip);
  if (shape) return { ok: false, nip, problem: shape };
  const birth = checkBirth(nip);
  if (isProblem(birth)) return { ok: false, nip, problem: birth };
  const tmtText = nip.slice(8, 14);
  const tmt = { y: num(tmtText.slice(0, 4)), m: num(tmtText.slice(4, 6)) };
  if (!isRealDate(tmt.y, tmt.m, 1)) return { ok: false, nip, problem: { reason: 'tmt_month', value: tmtText } };
  if (compareDates({ ...tmt, d: 1 }, { y: today.y, m: today.m, d: 1 }) > 0) {
    return { ok: false, nip, problem: { reason: 'tmt_future', value: tmtText } };
  }
  // TMT CPNS is the first day of its month; the person must be 18 on that day.
  if (compareDates({ ...tmt, d: 1 }, anniversary(birth, 18)) < 0) {
    return { ok: false, nip, problem: { reason: 'tmt_before_18', value: tmtText } };
  }
  const gender = checkGender(nip[14]);
  if (isProblem(gender)) return { ok: false, nip, problem: gender };
  const serial = nip.slice(15);
  if (serial === '000') return { ok: false, nip, problem: { reason: 'serial', value: serial } };
  return { ok: true, nip, parts: { kind: 'pns', birth, appointment: tmt, gender, serial } };
}

/** Checks an NI PPPK: birth date (8), year of first appointment (4), contracts (2), gender (1), serial (3). */
export function checkPppkNip(input: string, today: CalendarDate): NipCheck {
  const nip = normalizeNip(input);
  const shape = checkShape(nip);
  if (shape) return { ok: false, nip, problem: shape };
  const birth = checkBirth(nip);
  if (isProblem(birth)) return { ok: false, nip, problem: birth };
  const yearText = nip.slice(8, 12);
  const year = num(yearText);
  if (year < 1900) return { ok: false, nip, problem: { reason: 'appointment_year', value: yearText } };
  if (year > today.y) return { ok: false, nip, problem: { reason: 'appointment_future', value: yearText } };
  // Only the year is known: the person must turn 18 no later than that year.
  if (year < birth.y + 18) return { ok: false, nip, problem: { reason: 'appointment_before_18', value: yearText } };
  const contractsText = nip.slice(12, 14);
  const contracts = num(contractsText);
  if (contracts < 1) return { ok: false, nip, problem: { reason: 'contract_count', value: contractsText } };
  const gender = checkGender(nip[14]);
  if (isProblem(gender)) return { ok: false, nip, problem: gender };
  const serial = nip.slice(15);
  if (serial === '000') return { ok: false, nip, problem: { reason: 'serial', value: serial } };
  return { ok: true, nip, parts: { kind: 'pppk', birth, appointment: { y: year, m: 1 }, gender, serial, contracts } };
}

export function checkNip(input: string, kind: EmployeeKind, today: CalendarDate): NipCheck {
  return kind === 'pppk' ? checkPppkNip(input, today) : checkPnsNip(input, today);
}

/**
 * For a number whose kind is not known (a label typed by a clerk, a file name): PNS first,
 * then PPPK. The two forms overlap in shape, so where the kind is known, use checkNip.
 */
export function checkAnyNip(input: string, today: CalendarDate): NipCheck {
  const pns = checkPnsNip(input, today);
  if (pns.ok) return pns;
  const pppk = checkPppkNip(input, today);
  return pppk.ok ? pppk : pns;
}
