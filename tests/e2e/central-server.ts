// A real central server for the UI tests that talk to one: `lemari-server` as a child
// process on port 0 over its embedded database, with an instansi and a pending admin made
// by its CLI, writing its mails into its data folder (where a test reads the activation
// code as the clerk reads their inbox). Also a script's own login to its HTTP API, for
// setting up what an admin would (the instansi's employees) without a second browser.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { test } from './fixtures';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SERVER_ARGS = ['--import', 'tsx', join(ROOT, 'server', 'main.ts')];
const LISTENING = /^lemari-server: listening on (http:\/\/\S+)$/;

/** The pending admin every central server of these tests starts with. */
export const SARI = { nip: '198503102010012004', name: 'Sari Wulandari', email: 'sari.wulandari@bkd.example.go.id' };

export interface CentralServer {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

async function serverCli(dir: string, args: string[]): Promise<void> {
  await promisify(execFile)(process.execPath, [...SERVER_ARGS, ...args, '--data-dir', dir], { cwd: ROOT });
}

/** An instansi and its pending admin, then `serve` (one process at a time opens the embedded database). */
export async function startCentralServer(): Promise<CentralServer> {
  const dir = await mkdtemp(join(tmpdir(), 'lemari-e2e-server-'));
  await serverCli(dir, ['instansi', 'create', 'A1', 'BKD Kota Contoh']);
  await serverCli(dir, ['admin', 'create', '--instansi', 'A1', '--nip', SARI.nip, '--name', SARI.name, '--email', SARI.email, '--json']);
  const child: ChildProcess = spawn(process.execPath, [...SERVER_ARGS, 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dir], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr: string[] = [];
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`lemari-server printed no address in 30 s:\n${stderr.join('\n')}`)), 30_000);
    createInterface({ input: child.stderr! }).on('line', (line) => {
      stderr.push(line);
      const match = LISTENING.exec(line);
      if (match) {
        clearTimeout(timer);
        done(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`lemari-server exited (${code}):\n${stderr.join('\n')}`));
    });
  });
  return {
    url,
    dir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The central server of a spec file: started before its first test (the CLI's setup, then
 * serve, may take a while on a loaded machine), stopped after its last. The object stands
 * for it from the start; its url is read inside a test.
 */
export function useCentralServer(): CentralServer {
  let started: CentralServer | undefined;
  const current = () => {
    if (!started) throw new Error('The central server starts before the first test; read it inside a test.');
    return started;
  };
  test.beforeAll(async () => {
    test.setTimeout(90_000);
    started = await startCentralServer();
  });
  test.afterAll(async () => {
    await started?.stop();
  });
  return {
    get url() {
      return current().url;
    },
    get dir() {
      return current().dir;
    },
    stop: () => current().stop(),
  };
}

/** The activation code in the newest mail to `email` in the server's mail folder. */
export async function mailedCode(server: CentralServer, email: string, seen: Set<string>): Promise<string> {
  const dir = join(server.dir, 'mail');
  for (let waited = 0; waited < 10_000; waited += 100) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.eml') && !seen.has(n))) {
      const raw = await readFile(join(dir, name), 'utf8');
      if (!raw.includes(`To: ${email}`)) continue;
      seen.add(name);
      // The code is in the text part (quoted-printable keeps digits and spaces as they are).
      const code = /\b(\d{4} \d{4})\b/.exec(raw.replace(/=\r?\n/g, ''))?.[1];
      if (code) return code;
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`no mail to ${email} in ${dir}`);
}

/** Calls the server's HTTP API; throws with the server's error message on a refusal. */
async function request<T>(server: CentralServer, method: string, path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as T & { error?: { code: string; message: string } };
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${answer.error?.code}: ${answer.error?.message}`);
  return answer;
}

/**
 * A login of its own as an activated account (as a second workstation would), with one of
 * the recovery codes shown at activation: TOTP codes of a step already used are refused,
 * and the UI has just used the current one. Answers the access token.
 */
export async function apiLogin(server: CentralServer, account: { nip: string; password: string; recoveryCode: string }): Promise<string> {
  const step = await request<{ next: string; stepToken: string }>(server, 'POST', '/v1/auth/login', {
    nip: account.nip,
    password: account.password,
    deviceName: 'e2e setup script',
  });
  const session = await request<{ accessToken: string }>(server, 'POST', '/v1/auth/login/totp', { stepToken: step.stepToken, recoveryCode: account.recoveryCode });
  return session.accessToken;
}

/** Upserts employees of the admin's instansi (reference.importEmployees). */
export async function importEmployees(server: CentralServer, token: string, employees: { nip: string; nama: string }[]): Promise<void> {
  await request(server, 'POST', '/v1/reference/employees', { employees }, token);
}
