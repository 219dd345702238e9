// Recovery codes: ten single-use codes shown once at enrolment, for a lost phone.
// Each is 16 characters from a 32-letter alphabet without look-alikes (no 0/O, 1/I):
// 80 random bits. The same codes on the workstation and the central server; each side
// stores them hashed its own way (the random source and the hash are node's).

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 16;
const GROUP = 4;

export function newRecoveryCode(random: (n: number) => Uint8Array): string {
  // 256 is a multiple of 32, so byte & 31 picks every letter with the same chance.
  const letters = [...random(CODE_LENGTH)].map((byte) => ALPHABET[byte & 31]).join('');
  return letters.match(new RegExp(`.{${GROUP}}`, 'g'))!.join('-');
}

/** Upper case, without the dashes and spaces people type or omit; null if it cannot be a code. */
export function normalizeRecoveryCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  return code.length === CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}
