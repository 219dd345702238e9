// Reads what a scanner operator typed into a file name ("199001012015031001_SK_PNS.pdf")
// to pre-fill the labelling form: the employee's NIP and the document type. Only a guess:
// the clerk confirms it, so a miss costs a keystroke and a wrong hit must stay rare.

import type { CalendarDate } from './dates';
import type { DocumentType } from './doctypes';
import { checkAnyNip } from './nip';

export interface FileNameGuess {
  nip: string | null;
  typeCode: string | null;
}

const NIP_DIGITS = 18;

/** Runs of digit groups joined by one separator, as people write a NIP: `19900101 201503 1 001`. */
const DIGIT_GROUPS = /\d+(?:[ .\-_\u00a0]\d+)*/g;

export function guessFromFileName(name: string, types: readonly DocumentType[], today: CalendarDate): FileNameGuess {
  const stem = stripExtension(baseName(name));
  return { nip: guessNip(stem, today), typeCode: guessType(stem, types) };
}

function baseName(name: string): string {
  return name.split(/[\\/]/).pop() ?? name;
}

function stripExtension(name: string): string {
  return name.replace(/\.[a-z0-9]{1,5}$/i, '');
}

function guessNip(stem: string, today: CalendarDate): string | null {
  for (const match of stem.matchAll(DIGIT_GROUPS)) {
    const groups = match[0].split(/[^\d]/);
    // Only whole groups count: an 18-digit window cut out of a longer number is not a NIP.
    for (let start = 0; start < groups.length; start++) {
      let digits = '';
      for (let end = start; end < groups.length && digits.length < NIP_DIGITS; end++) digits += groups[end];
      if (digits.length !== NIP_DIGITS) continue;
      const check = checkAnyNip(digits, today);
      if (check.ok) return check.nip;
    }
  }
  return null;
}

/**
 * Lowercase words separated by single spaces, with letters and digits split apart, so
 * `SK_PNS-2019`, `sk.pns 2019` and `SKPNS2019`'s alias `skpns` all compare as words.
 */
export function normalizeWords(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/([a-z])(\d)/g, '$1 $2')
    .replace(/(\d)([a-z])/g, '$1 $2')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function guessType(stem: string, types: readonly DocumentType[]): string | null {
  const words = ` ${normalizeWords(stem)} `;
  let best: { code: string; length: number; position: number } | null = null;
  for (const type of types) {
    for (const alias of type.aliases) {
      const needle = normalizeWords(alias);
      if (needle === '') continue;
      const position = words.indexOf(` ${needle} `);
      if (position < 0) continue;
      // The longest alias is the most specific ("sk pns" over "pns"); on a tie, the one
      // written first in the name.
      if (!best || needle.length > best.length || (needle.length === best.length && position < best.position)) {
        best = { code: type.code, length: needle.length, position };
      }
    }
  }
  return best?.code ?? null;
}
