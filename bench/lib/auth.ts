// Signing in for the benchmarks: profiles need a logged-in session (password + TOTP) for
// every call that touches documents. The bench bootstraps its own first admin, the way the
// e2e fixture and `lemari users bootstrap` do, and computes authenticator codes (RFC 6238).
// Lemari refuses a code whose 30-second step is not after the last one accepted, so
// repeated logins take fresh steps: CodeSource waits for one before the clock starts.

import { createHmac } from 'node:crypto';

/** A valid NIP (common/nip.ts) and a passphrase off every breach list. */
export const BENCH_ADMIN = { nip: '198001012005011001', nama: 'Admin Bench', password: 'lemari bench rak arsip jati' };

const STEP_MS = 30_000;

function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(Number.parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

export function totpAt(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Hands out codes of strictly increasing steps, each usable for at least the next 30 s. */
export class CodeSource {
  private last = -Infinity;

  constructor(private readonly secret: string) {}

  /** Marks a step as spent outside this source (enrolment confirmed with it). */
  spent(step: number): void {
    this.last = Math.max(this.last, step);
  }

  async next(): Promise<string> {
    // The current step or the next one: still inside the one-step drift when it is typed.
    let now = Math.floor(Date.now() / STEP_MS);
    const step = Math.max(this.last + 1, now);
    while (step > now + 1) {
      await new Promise((resolve) => setTimeout(resolve, (now + 1) * STEP_MS - Date.now() + 50));
      now = Math.floor(Date.now() / STEP_MS);
    }
    this.last = step;
    return totpAt(this.secret, step);
  }
}

type Call = (method: string, input: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;

/** Creates the first admin and confirms the enrolment; returns the authenticator's source of codes. */
export async function bootstrapAdmin(call: Call): Promise<CodeSource> {
  const boot = await call('auth.bootstrap', { nip: BENCH_ADMIN.nip, nama: BENCH_ADMIN.nama, password: BENCH_ADMIN.password });
  if (!boot.ok) throw new Error(`auth.bootstrap: ${boot.error?.message}`);
  const secret = (boot.value as { enrolment: { secret: string } }).enrolment.secret;
  const codes = new CodeSource(secret);
  const confirmed = await call('auth.confirmEnrolment', { code: await codes.next() });
  if (!confirmed.ok) throw new Error(`auth.confirmEnrolment: ${confirmed.error?.message}`);
  return codes;
}

/** Signs a fresh session in through the contract (beginLogin, completeLogin). */
export async function signIn(call: Call, codes: CodeSource): Promise<void> {
  const begun = await call('auth.beginLogin', { nip: BENCH_ADMIN.nip, password: BENCH_ADMIN.password });
  if (!begun.ok) throw new Error(`auth.beginLogin: ${begun.error?.message}`);
  const value = begun.value as { next: 'code'; ticket: string } | { next: 'done' };
  if (value.next === 'done') return;
  const done = await call('auth.completeLogin', { ticket: value.ticket, code: await codes.next() });
  if (!done.ok) throw new Error(`auth.completeLogin: ${done.error?.message}`);
}
