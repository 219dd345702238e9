// Label fields read from the OCR text of an SK: the NIP, nomor SK, tanggal SK and TMT a
// clerk would otherwise type. Pure, so it is tested on realistic text and reused by the
// bench. Everything found is only a proposal: the labelling form shows it and the clerk
// accepts it with one key; nothing is written to a document from here.

import { formatIsoDate, isRealDate, type CalendarDate } from '../../../common/dates';
import { checkAnyNip } from '../../../common/nip';

export interface OcrProposals {
  nip: string | null;
  nomor: string | null;
  /** ISO dates, as the labelling form stores them. */
  tanggal: string | null;
  tmt: string | null;
}

const MONTHS: Record<string, number> = {
  januari: 1, jan: 1,
  februari: 2, pebruari: 2, feb: 2, peb: 2,
  maret: 3, mar: 3,
  april: 4, apr: 4,
  mei: 5,
  juni: 6, jun: 6,
  juli: 7, jul: 7,
  agustus: 8, agust: 8, agt: 8, agu: 8, ags: 8,
  september: 9, sept: 9, sep: 9,
  oktober: 10, okt: 10,
  november: 11, nopember: 11, nov: 11, nop: 11,
  desember: 12, des: 12,
};

// "12 Maret 2016", "1 Nopember 2015", "01-04-2016", "01/04/2016", "01.04.2016". OCR often
// reads 1 as l or I in a day, so those are accepted where a digit is expected.
const DATE = String.raw`([0-9lI|]{1,2})\s*(?:([A-Za-z]{3,9})\.?\s*|[-/.]\s*([0-9]{1,2})\s*[-/.]\s*)([0-9]{4})`;

function digits(text: string): string {
  return text.replace(/[lI|]/g, '1');
}

function dateFrom(match: RegExpExecArray, at: number): string | null {
  const d = Number(digits(match[at]));
  // A month name OCR cut short or misread at its end ("Apri", "Septemher") still names its month.
  const name = match[at + 1]?.toLowerCase();
  const m = name ? (MONTHS[name] ?? MONTHS[name.slice(0, 3)]) : Number(match[at + 2]);
  const y = Number(match[at + 3]);
  if (!m || !isRealDate(y, m, d)) return null;
  return formatIsoDate({ y, m, d });
}

/** The first date behind one of the lead-ins, in the order given (most telling first). */
function findDate(flat: string, leadIns: string[]): string | null {
  for (const leadIn of leadIns) {
    const pattern = new RegExp(`${leadIn}\\s*:?\\s*${DATE}`, 'gi');
    for (let match = pattern.exec(flat); match; match = pattern.exec(flat)) {
      const groups = match.length - 4;
      const date = dateFrom(match, groups);
      if (date) return date;
    }
  }
  return null;
}

/**
 * An 18-digit NIP written with spaces or dots ("19850312 201001 1 004"), checked with the
 * same rules as a typed one. Numbers on a line that says NIP come first; a valid NIP
 * anywhere else is the fallback (a table of names).
 */
function findNip(text: string, today: CalendarDate): string | null {
  const lines = text.split(/\r?\n/);
  const ordered = [...lines.filter((line) => /\bNIP\b/i.test(line)), ...lines.filter((line) => !/\bNIP\b/i.test(line))];
  for (const line of ordered) {
    const labelled = /\bNIP\b/i.test(line);
    // On a NIP line, O and l are zeros and ones misread.
    const cleaned = labelled ? line.replace(/(?<=[\d\s.])[Oo](?=[\d\s.])/g, '0').replace(/(?<=[\d\s.])[lI|](?=[\d\s.])/g, '1') : line;
    for (const run of cleaned.match(/\d+(?:[ .]{1,2}\d+)*/g) ?? []) {
      const groups = run.split(/[ .]+/);
      for (let start = 0; start < groups.length; start++) {
        let candidate = '';
        for (let end = start; end < groups.length && candidate.length < 18; end++) candidate += groups[end];
        if (candidate.length !== 18) continue;
        const check = checkAnyNip(candidate, today);
        if (check.ok) return check.nip;
      }
    }
  }
  return null;
}

/** "Nomor: 800/123/BKD/2016", "NOMOR : 823.3/1234/BKD/2016", "No. 821.2/45/2019". */
function findNomor(flat: string): string | null {
  const pattern = /\bNO(?:MOR)?\s*[.:]?\s*:?\s*([0-9A-Za-z][0-9A-Za-z.-]*(?:\s?\/\s?[0-9A-Za-z.-]+)+)/gi;
  for (let match = pattern.exec(flat); match; match = pattern.exec(flat)) {
    const nomor = match[1].replace(/\s/g, '').replace(/[.-]+$/, '');
    // A number has digits; "Nomor/Tahun" in a heading does not.
    if (/\d/.test(nomor)) return nomor;
  }
  return null;
}

export function extractFields(text: string, today: CalendarDate): OcrProposals {
  // Dates and numbers break across lines in a scan: read them from one line of text.
  const flat = text.replace(/\s+/g, ' ');
  return {
    nip: findNip(text, today),
    nomor: findNomor(flat),
    tanggal: findDate(flat, [String.raw`ditetapkan\s+di\s+[^,]{0,60}?pada\s*tanggal`, String.raw`pada\s*tanggal`, String.raw`(?<!mulai\s)tanggal\s+sk`, String.raw`(?<!mulai\s)\btanggal`]),
    tmt: findDate(flat, [String.raw`terhitung\s+mulai\s+tanggal`, String.raw`terhitung\s+mulai`, String.raw`\bTMT\b\.?`]),
  };
}

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * How much of the expected text OCR read, by words: 1 - (word edit distance / expected
 * words), floored at 0. Case and punctuation do not count; a missed, extra or misread word
 * each costs one. The optimizer bench judges legibility by it.
 */
export function wordAccuracy(expected: string, got: string): number {
  const a = wordsOf(expected);
  const b = wordsOf(got);
  if (a.length === 0) return b.length === 0 ? 1 : 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return Math.max(0, 1 - previous[b.length] / a.length);
}
