// A real PostgreSQL for the integration suite: Debian's server binaries (installed by
// scripts/test.sh), a throwaway cluster in a temp directory on a loopback port, started
// once per vitest run (globalSetup) and stopped after. Each test file makes its own
// database in it with `createTestDatabase`.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export interface TestCluster {
  url: string;
  stop(): Promise<void>;
}

/** initdb + postgres on 127.0.0.1; as root the cluster runs as the `postgres` user. */
export async function startCluster(): Promise<TestCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (scripts/test.sh installs Debian\'s postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'lemari-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (file: string, args: string[]) => (asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args]) as [string, string[]];
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  execFileSync(...run(join(bin, 'initdb'), ['-D', data, '-U', 'lemari', '--auth=trust', '-E', 'UTF8', '--no-sync']), { stdio: 'pipe' });
  writeFileSync(join(data, 'postgresql.auto.conf'), 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\n', { flag: 'a' });
  const port = await freePort();
  const child: ChildProcess = spawn(...run(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir]), { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk) => (log += chunk));
  const url = `postgres://lemari@127.0.0.1:${port}/postgres`;
  for (let attempt = 0; ; attempt++) {
    try {
      const client = new pg.Client(url);
      await client.connect();
      await client.end();
      break;
    } catch (error) {
      if (attempt > 100 || child.exitCode !== null) throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log}`, { cause: error });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    async stop() {
      // SIGINT is PostgreSQL's fast shutdown. Signal the postmaster itself: runuser, when
      // it stands between, does not pass signals on.
      const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.kill(pid, 'SIGINT');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh, empty database in the run's cluster; its URL. */
export async function createTestDatabase(clusterUrl: string, prefix = 't'): Promise<string> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client(clusterUrl);
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  return clusterUrl.replace(/\/postgres$/, `/${name}`);
}
