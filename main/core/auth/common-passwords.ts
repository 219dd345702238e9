// The block lists a new password is checked against: the breach-derived list shipped by
// the fxa-common-password-list package, plus Lemari's Indonesian additions in
// resources/passwords/ (see the README there for sources).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import breached from 'fxa-common-password-list';

export interface PasswordBlockList {
  /** Whole passwords, compared after `fold`. */
  readonly passwords: ReadonlySet<string>;
  /** Base words, refused alone or with a short run of digits or symbols around them. */
  readonly words: ReadonlySet<string>;
}

export const PASSWORDS_DIR = 'passwords';

/** The comparison form: NFKC, lower case, no whitespace (people type "kata sandi" both ways). */
export function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

function readList(file: string): Set<string> {
  if (!existsSync(file)) return new Set();
  return new Set(
    readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map(fold),
  );
}

/** Loads resources/passwords/id-common.txt and id-words.txt (missing files give empty lists). */
export function loadPasswordBlockList(resourcesDir: string): PasswordBlockList {
  const dir = join(resourcesDir, PASSWORDS_DIR);
  return { passwords: readList(join(dir, 'id-common.txt')), words: readList(join(dir, 'id-words.txt')) };
}

export const EMPTY_BLOCK_LIST: PasswordBlockList = { passwords: new Set(), words: new Set() };

/** Digits, symbols and spaces people wrap around a word: "123", "2026!", "@", "_01". */
const AFFIX = /^[\p{N}\p{P}\p{S}]{0,6}(.*?)[\p{N}\p{P}\p{S}]{0,6}$/u;

/** The word inside a password once a short run of digits or symbols is taken off each end. */
export function baseWord(folded: string): string {
  return AFFIX.exec(folded)?.[1] ?? folded;
}

/** `password` as typed (NFKC'd); the package's list is lower case, with its spaces kept. */
export function isBreached(password: string): boolean {
  const lower = password.normalize('NFKC').toLowerCase();
  return breached.test(lower) || breached.test(fold(lower));
}
