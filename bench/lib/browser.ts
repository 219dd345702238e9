// Browser pieces of the cold-start and first-paint benchmarks: Debian's Chromium through
// playwright-core (the flags the e2e tests use), the browser host as a child process, and
// the static baseline server.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tests/helpers/chromium';
import { ROOT } from './common';

export const WEB_ENTRY = join(ROOT, 'out', 'main', 'web.js');
export const RENDERER_INDEX = join(ROOT, 'out', 'renderer', 'index.html');


export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** Why the browser host cannot be measured yet, or null when it is built. */
export function webHostMissing(build: boolean, log: (line: string) => void): string | null {
  if (!existsSync(join(ROOT, 'main', 'web', 'index.ts'))) return 'web host not built (main/web/index.ts does not exist yet)';
  if (build) {
    log('  building: npx electron-vite build');
    const result = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (result.status !== 0) return `web host not built: npx electron-vite build failed: ${result.stderr.slice(-500)}`;
  }
  if (!existsSync(WEB_ENTRY) || !existsSync(RENDERER_INDEX)) return 'web host not built (out/main/web.js or out/renderer/index.html missing; run `npx electron-vite build` or pass --build)';
  return null;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** A note when sources changed after the last build, so figures are not taken from an old build. */
export function staleBuildNote(): string | null {
  const built = statSync(WEB_ENTRY).mtimeMs;
  const sources = Math.max(...['main', 'renderer', 'common', 'preload'].map((dir) => newestMtime(join(ROOT, dir))));
  return sources > built ? 'Sources are newer than out/ (another engineer is editing): figures are for the last build; pass --build to rebuild first.' : null;
}

export interface Child {
  url: string;
  /** Milliseconds from spawn to the address line on stdout. */
  readyMs: number;
  stop(): Promise<void>;
}

/** Spawns a server process and waits for its address line; times from spawn. */
export function startServer(args: string[], pattern: RegExp, t0 = performance.now()): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = pattern.exec(out);
      if (match) resolve({ url: match[1], readyMs: performance.now() - t0, stop });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code} before printing its address: ${stderr}`)));
    setTimeout(() => reject(new Error(`no address line within 60 s: ${stderr}`)), 60_000).unref();
  });
}

export function startWebHost(dataDir: string, t0?: number): Promise<Child> {
  return startServer([WEB_ENTRY, '--data-dir', dataDir, '--port', '0'], /Lemari: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/, t0);
}

export function startStatic(dir: string, t0?: number): Promise<Child> {
  return startServer([join(ROOT, 'bench', 'lib', 'static-server.mjs'), '--dir', dir, '--port', '0'], /Static: (http:\/\/127\.0\.0\.1:\d+\/)/, t0);
}

/**
 * Waits for the first usable screen (the sign-in form, or the search box where there is no
 * login) and signs in with `code` when asked. Returns when that screen was usable and how
 * long the bench spent typing, which callers leave out of the app's time.
 */
export async function openAndSignIn(page: Page, url: string, credentials: { nip: string; password: string; code: string } | null): Promise<{ firstScreenAt: number; typingMs: number }> {
  await page.goto(url);
  await page.locator('[data-testid="auth-nip"], [data-testid="search-input"]').first().waitFor({ state: 'visible', timeout: 30_000 });
  const firstScreenAt = performance.now();
  let typingMs = 0;
  if (credentials && (await page.getByTestId('auth-nip').isVisible())) {
    let t = performance.now();
    await page.getByTestId('auth-nip').fill(credentials.nip);
    await page.getByTestId('auth-password').fill(credentials.password);
    typingMs += performance.now() - t;
    await page.getByTestId('auth-password').press('Enter');
    await page.getByTestId('auth-code-input').waitFor({ state: 'visible', timeout: 30_000 });
    t = performance.now();
    await page.getByTestId('auth-code-input').fill(credentials.code);
    typingMs += performance.now() - t;
    await page.getByTestId('auth-code-input').press('Enter');
  }
  return { firstScreenAt, typingMs };
}
