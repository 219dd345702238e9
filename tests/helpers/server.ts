// A real central server for integration tests: the same app `lemari-server` runs, on a
// loopback port 0, over PGlite in memory or a fresh database in the run's PostgreSQL, with
// blobs, uploads and mail in a temp directory. Plus fixtures that seed an instansi, users
// and devices straight into the database and sign their access tokens.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { fromBase32, toBase32, totpCode, TOTP_SECRET_BYTES } from '../../common/auth/totp';
import { startServer, type RunningServer } from '../../server/app';
import { passwords } from '../../server/auth/password';
import { sealPurpose } from '../../server/auth/sealing';
import type { Role } from '../../server/auth/tokens';
import { loadConfig, type ServerConfig } from '../../server/config';
import { openDb } from '../../server/db';
import { createTestDatabase } from './postgres';

export type TestDbKind = 'pglite' | 'postgres';

export interface TestServer extends RunningServer {
  dir: string;
  config: ServerConfig;
  /** Seeds an instansi (id, name). */
  instansi(id: string, name?: string): Promise<void>;
  /** Seeds an active user with a device; returns its ids and an access token. */
  user(p: { instansiId: string; nip: string; role?: Role; name?: string; email?: string }): Promise<SeededUser>;
  /** fetch against the server with JSON in and out. */
  call(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read answers of many shapes;
  /** Seeds an active account with a real password and TOTP secret, and no device: log in through the API. */
  account(p: { instansiId: string; nip: string; role?: Role; name?: string; email?: string; password?: string }): Promise<TestAccount>;
}

export interface TestAccount {
  userId: number;
  nip: string;
  password: string;
  /** Base32, as an authenticator app stores it. */
  totpSecret: string;
  /** The app's code at `atMs` (default: the server's clock now). */
  code(atMs?: number): string;
}

export interface SeededUser {
  userId: number;
  deviceId: string;
  token: string;
  auth: { authorization: string };
}

export async function startTestServer(kind: TestDbKind = 'pglite', overrides: Partial<ServerConfig> & { env?: Record<string, string>; now?: () => number } = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'lemari-server-'));
  const { env = {}, now, ...rest } = overrides;
  const databaseUrl = kind === 'postgres' ? await createTestDatabase(inject('postgresUrl')) : undefined;
  const config: ServerConfig = { ...loadConfig({ 'data-dir': dir, port: '0' }, { ...env, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) }), ...rest };
  const db = kind === 'pglite' ? await openDb({ dataDir: 'memory://' }) : undefined;
  const server = await startServer(config, { db, now, logger: false });
  const call: TestServer['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    }
    const res = await fetch(server.url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  return {
    ...server,
    dir,
    config,
    call,
    async close() {
      await server.close();
      if (db) await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
    async instansi(id, name = `Instansi ${id}`) {
      await server.deps.db.query('insert into instansi (id, name) values ($1, $2)', [id, name]);
    },
    async user({ instansiId, nip, role = 'clerk', name = `Pegawai ${nip}`, email }) {
      const { rows } = await server.deps.db.query<{ id: number }>(
        "insert into users (instansi_id, nip, name, email, role, status) values ($1, $2, $3, $4, $5, 'active') returning id",
        [instansiId, nip, name, email ?? null, role],
      );
      const deviceId = randomUUID();
      await server.deps.db.query('insert into devices (id, instansi_id, name, registered_by) values ($1, $2, $3, $4)', [deviceId, instansiId, `PC ${nip}`, rows[0].id]);
      const { token } = server.deps.signer.issueAccess({ userId: rows[0].id, instansiId, deviceId }, config.accessTokenSeconds);
      return { userId: rows[0].id, deviceId, token, auth: { authorization: `Bearer ${token}` } };
    },
    async account({ instansiId, nip, role = 'clerk', name = `Pegawai ${nip}`, email, password = 'kuda lari di sawah hijau' }) {
      const totpSecret = toBase32(randomBytes(TOTP_SECRET_BYTES));
      const { rows } = await server.deps.db.query<{ id: number }>(
        "insert into users (instansi_id, nip, name, email, role, status, password_hash, totp_secret) values ($1, $2, $3, $4, $5, 'active', $6, $7) returning id",
        [instansiId, nip, name, email ?? null, role, await passwords.hash(password), server.deps.sealer.seal(sealPurpose.totp(nip), totpSecret)],
      );
      const code = (atMs = server.deps.now()) => totpCode(fromBase32(totpSecret), new Date(atMs));
      return { userId: rows[0].id, nip, password, totpSecret, code };
    },
  };
}
