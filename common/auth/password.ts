// Passwords: the policy a new password must meet (NIST SP 800-63B: 8 to 128 characters,
// no composition rules, not common, breached or tied to the person) and the argon2id
// settings, shared by the workstation and the central server so an account follows one
// rule wherever it is used. The argon2 binding is native, so each runtime passes its own
// in (`passwordHasher`). A password is never logged or returned; only its PHC hash string
// is stored.

import { baseWord, fold, isBreached, type PasswordBlockList } from './common-passwords';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export interface Argon2Params {
  /** KiB. */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * OWASP's floor for argon2id (19 MiB, 2 passes, 1 lane): about 30 ms on an office PC,
 * small enough that a login never waits and the 2-4 GB machines never swap.
 */
export const ARGON2_PARAMS: Argon2Params = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** argon2id in @node-rs/argon2's Algorithm enum (a const enum, which isolatedModules cannot inline). */
const ARGON2ID = 2;

export type PasswordProblem =
  | { reason: 'too_short'; min: number }
  | { reason: 'too_long'; max: number }
  | { reason: 'unchanged' }
  | { reason: 'personal' }
  | { reason: 'common' }
  | { reason: 'guessable' };

export interface PasswordContext {
  nip: string;
  nama: string;
  /** The password being replaced: the new one must differ. */
  previous?: string;
}

/** NFKC, so the same password typed through another keyboard layout or IME hashes the same. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/** Length in characters (code points), as a person counts them, not UTF-16 units. */
export function passwordLength(password: string): number {
  return [...normalizePassword(password)].length;
}

function nameParts(nama: string): string[] {
  const folded = fold(nama);
  const parts = nama
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter((part) => part.length >= 3);
  return [folded.replace(/[^\p{L}]/gu, ''), ...parts].filter((part) => part !== '');
}

function isPersonal(folded: string, context: PasswordContext): boolean {
  if (context.nip && folded.includes(context.nip)) return true;
  const birth = context.nip.slice(0, 8); // YYYYMMDD
  const digits = folded.replace(/[^\p{N}]/gu, '');
  if (/^\d{8}$/.test(birth) && digits === folded && (digits === birth || digits === birth.slice(6, 8) + birth.slice(4, 6) + birth.slice(0, 4))) return true;
  const base = baseWord(folded);
  return base !== '' && nameParts(context.nama).includes(base);
}

/** The first rule a new password breaks, or null when it may be used. */
export function passwordProblem(password: string, context: PasswordContext, blockList: PasswordBlockList): PasswordProblem | null {
  const length = passwordLength(password);
  if (length < PASSWORD_MIN) return { reason: 'too_short', min: PASSWORD_MIN };
  if (length > PASSWORD_MAX) return { reason: 'too_long', max: PASSWORD_MAX };
  if (context.previous !== undefined && normalizePassword(context.previous) === normalizePassword(password)) return { reason: 'unchanged' };
  const folded = fold(password);
  if (isPersonal(folded, context)) return { reason: 'personal' };
  if (isBreached(password) || blockList.passwords.has(folded)) return { reason: 'common' };
  const base = baseWord(folded);
  if (blockList.words.has(folded) || blockList.words.has(base)) return { reason: 'guessable' };
  return null;
}

/** The calls of an argon2 binding (@node-rs/argon2) that hashing needs. */
export interface Argon2Binding {
  hash(password: string, options: Argon2Params & { algorithm: number }): Promise<string>;
  verify(hashed: string, password: string): Promise<boolean>;
  parseOptions(hashed: string): Argon2Params & { algorithm: number };
}

export interface PasswordHasher {
  hash(password: string, params?: Argon2Params): Promise<string>;
  /** False for a wrong password and for a stored value that is not a valid argon2 hash. */
  verify(stored: string, password: string): Promise<boolean>;
  /** A hash made with weaker settings than today's is replaced at the next successful login. */
  needsRehash(stored: string, params?: Argon2Params): boolean;
}

/** argon2id hashing of the normalized password over the runtime's binding. */
export function passwordHasher(argon2: Argon2Binding): PasswordHasher {
  return {
    hash: (password, params = ARGON2_PARAMS) => argon2.hash(normalizePassword(password), { algorithm: ARGON2ID, ...params }),
    async verify(stored, password) {
      try {
        return await argon2.verify(stored, normalizePassword(password));
      } catch {
        return false;
      }
    },
    needsRehash(stored, params = ARGON2_PARAMS) {
      try {
        const used = argon2.parseOptions(stored);
        return used.algorithm !== ARGON2ID || used.memoryCost < params.memoryCost || used.timeCost < params.timeCost || used.parallelism !== params.parallelism;
      } catch {
        return true;
      }
    },
  };
}
