// The block lists a new password is checked against: the breach-derived list shipped by
// the fxa-common-password-list package, plus Lemari's Indonesian additions in
// resources/passwords/ (see the README there for sources). The lists' text is read by
// each runtime (workstation, central server) and parsed here, so both refuse the same
// passwords.

import breached from 'fxa-common-password-list';

export interface PasswordBlockList {
  /** Whole passwords, compared after `fold`. */
  readonly passwords: ReadonlySet<string>;
  /** Base words, refused alone or with a short run of digits or symbols around them. */
  readonly words: ReadonlySet<string>;
}

/** The folder under resources/ and its two files: whole passwords, then base words. */
export const PASSWORDS_DIR = 'passwords';
export const BLOCK_LIST_FILES = { passwords: 'id-common.txt', words: 'id-words.txt' } as const;

/** The comparison form: NFKC, lower case, no whitespace (people type "kata sandi" both ways). */
export function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

/** One list file's entries: a line each, `#` comments and blank lines ignored. */
export function parseBlockListFile(text: string): Set<string> {
  return new Set(
    text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map(fold),
  );
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
