// The `lemari` CLI in-process over a real profile directory, as a named admin: a profile
// bootstrapped and enrolled through the CLI itself, a clock that moves half a minute per
// run (each run needs its own TOTP step: a replayed code is refused), and the login
// variables a scheduler would set.
import { join } from 'node:path';
import { runCli } from '../../main/cli/run';
import { fromBase32, totpCode } from '../../main/core/auth/totp';
import { tempDir } from './profile';

export const CLI_ADMIN = { nip: '198001012005011001', nama: 'Admin BKD', password: 'arsip kepegawaian aman 2026' };

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any -- each command prints its own shape
}

export class CliHarness {
  readonly work: ReturnType<typeof tempDir>;
  readonly dataDir: string;
  /** The profile's clock, ms since the epoch; tests may move it. */
  now = Date.parse('2026-11-24T02:00:00Z');
  /** The admin's TOTP secret (base32), known after bootstrap(). */
  secret = '';
  readonly clock = { now: () => new Date(this.now) };

  constructor(prefix: string) {
    this.work = tempDir(prefix);
    this.dataDir = join(this.work.dir, 'profil');
  }

  /** Runs one command in its own half-minute. */
  async run(args: string[], env: Record<string, string | undefined>, extra: { interrupted?: Promise<void>; onOutput?: (text: string) => void } = {}): Promise<CliRun> {
    this.now += 30_000;
    let stdout = '';
    let stderr = '';
    const code = await runCli([...args, '--data-dir', this.dataDir], {
      stdout: (s) => {
        stdout += s;
        extra.onOutput?.(s);
      },
      stderr: (s) => {
        stderr += s;
        extra.onOutput?.(s);
      },
      env,
      isTty: false,
      clock: this.clock,
      interrupted: extra.interrupted,
    });
    return { code, stdout, stderr, json: () => JSON.parse(stdout) };
  }

  /** The code the authenticator will show during the next run. */
  nextCode(): string {
    return totpCode(fromBase32(this.secret), new Date(this.now + 30_000));
  }

  /** LEMARI_USER, LEMARI_PASSWORD and LEMARI_OTP for the next run, as the admin. */
  login(): Record<string, string> {
    return { LEMARI_USER: CLI_ADMIN.nip, LEMARI_PASSWORD: CLI_ADMIN.password, LEMARI_OTP: this.nextCode() };
  }

  /** `users bootstrap` then `users enrol` on the fresh profile; both runs are returned for checks. */
  async bootstrap(): Promise<{ boot: CliRun; enrol: CliRun }> {
    const boot = await this.run(['users', 'bootstrap', '--nip', CLI_ADMIN.nip, '--nama', CLI_ADMIN.nama, '--json'], { LEMARI_PASSWORD: CLI_ADMIN.password });
    if (boot.code === 0) this.secret = boot.json().enrolment.secret;
    const enrol = await this.run(['users', 'enrol', '--json'], this.login());
    return { boot, enrol };
  }

  cleanup(): void {
    this.work.cleanup();
  }
}
