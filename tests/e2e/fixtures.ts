// Test fixtures for the UI tests: `host` is a browser host (node out/main/web.js) of its
// own on a fresh temp data directory, started and parsed from the one line it prints, and
// stopped (SIGTERM) afterwards; unless a test says `bootstrap: false`, its first admin is
// created and enrolled through the host's HTTP API. `app` is the page opened at its URL and
// signed in through the login screens, as a clerk does every morning.
import { test as base, expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { AppPage } from './pages/app';
import { ADMIN, previousStepCode, totp } from './support';

export interface BrowserHost {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  /** The admin's authenticator secret (base32), once bootstrapped. */
  secret: string | null;
}

const ROOT = resolve(import.meta.dirname, '..', '..');
const ENTRY = join(ROOT, 'out', 'main', 'web.js');
const URL_LINE = /^Lemari: (http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]+)$/;

function waitForUrl(child: ChildProcess, stderr: string[]): Promise<{ origin: string; token: string }> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser host printed no URL in 15 s:\n${stderr.join('')}`)), 15_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = URL_LINE.exec(line);
      if (!match) return;
      clearTimeout(timer);
      resolvePromise({ origin: match[1], token: match[2] });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser host exited (${code}) before printing its URL:\n${stderr.join('')}`));
    });
  });
}

/** Calls main through the browser host's API with the Bearer token's session (test setup only, never what a test checks). */
export async function hostCall(origin: string, token: string, method: string, input: unknown): Promise<unknown> {
  const response = await fetch(`${origin}/api/call/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const result = (await response.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
  if (!result.ok) throw new Error(`${method}: ${result.error?.message}`);
  return result.value;
}

/** Creates the first admin and enrols the authenticator through the Bearer token's session. */
async function bootstrapAdmin(origin: string, token: string): Promise<string> {
  const post = (method: string, input: unknown) => hostCall(origin, token, method, input);
  const { enrolment } = (await post('auth.bootstrap', ADMIN)) as { enrolment: { secret: string } };
  // The previous step's code (inside the drift window): the current one stays unused for the sign-in.
  await post('auth.confirmEnrolment', { code: await previousStepCode(enrolment.secret) });
  return enrolment.secret;
}

export const test = base.extend<{ bootstrap: boolean; host: BrowserHost; app: AppPage }>({
  bootstrap: [true, { option: true }],
  host: async ({ bootstrap }, use) => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npx electron-vite build\` first`);
    const dataDir = await mkdtemp(join(tmpdir(), 'lemari-e2e-'));
    const stderr: string[] = [];
    // process.execPath: the Node running the tests (22, as better-sqlite3 needs).
    const child = spawn(process.execPath, [ENTRY, '--data-dir', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    let exit: number | null | 'timeout';
    try {
      const { origin, token } = await waitForUrl(child, stderr);
      const secret = bootstrap ? await bootstrapAdmin(origin, token) : null;
      await use({ url: `${origin}/#token=${token}`, origin, token, dataDir, secret });
    } finally {
      // SIGTERM must close the profile and exit 0 promptly (what an OS shutdown sends).
      const exited = new Promise<number | null>((done) => (child.exitCode === null ? child.once('exit', (code) => done(code)) : done(child.exitCode)));
      if (child.exitCode === null) child.kill('SIGTERM');
      exit = await Promise.race([exited, new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), 5000))]);
      if (exit === 'timeout') child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
    if (exit !== 0) throw new Error(`browser host did not shut down cleanly on SIGTERM (${exit}):\n${stderr.join('')}`);
  },
  app: async ({ page, host }, use) => {
    const app = new AppPage(page);
    await app.open(host.url);
    if (host.secret) await app.signIn(ADMIN.nip, ADMIN.password, totp(host.secret));
    await use(app);
  },
});

export { expect };
