// The `lemari-server` administration commands, run in-process on both databases as an
// operator would: create an instansi and its first admin offline, the admin activates at
// a workstation with the printed code and authenticator, then the operator lists and
// revokes the workstation's device, which ends its session.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fromBase32, totpCode } from '../../../common/auth/totp';
import { startServer, type RunningServer } from '../../../server/app';
import { runCli } from '../../../server/cli';
import { loadConfig } from '../../../server/config';
import { createTestDatabase } from '../../helpers/postgres';
import type { TestDbKind } from '../../helpers/server';

const NIP = '198503152010012003';

function captured(): Writable & { text(): string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return Object.assign(stream, { text: () => text });
}

describe.each<TestDbKind>(['pglite', 'postgres'])('lemari-server admin commands on %s', (kind) => {
  let dir: string;
  let env: Record<string, string>;
  let clock = Date.now();

  async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const stdout = captured();
    const stderr = captured();
    const code = await runCli([...args, '--data-dir', dir], { stdout, stderr, env });
    return { code, out: stdout.text(), err: stderr.text() };
  }

  /** A node on the same data directory or database; the embedded database is closed between uses. */
  async function withServer<T>(fn: (server: RunningServer, post: (path: string, body: unknown, token?: string) => Promise<{ status: number; body: any }>) => Promise<T>): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any -- answers of many shapes
    const server = await startServer(loadConfig({ 'data-dir': dir, port: '0' }, env), { now: () => clock, logger: false });
    const post = async (path: string, body: unknown, token?: string) => {
      const res = await fetch(server.url + path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    try {
      return await fn(server, post);
    } finally {
      await server.close();
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lemari-server-cli-'));
    env = kind === 'postgres' ? { DATABASE_URL: await createTestDatabase(inject('postgresUrl')) } : {};
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sets up an instansi and its first admin, who activates, logs in, and is revoked', async () => {
    expect(await cli('instansi', 'create', 'A1', 'BKD', 'Kota', 'Contoh')).toMatchObject({ code: 0, out: 'Instansi A1 (BKD Kota Contoh) created.\n' });
    const made = await cli('admin', 'create', '--instansi', 'A1', '--nip', NIP, '--name', 'Siti Aminah', '--email', 'siti@contoh.go.id', '--json');
    expect(made.code).toBe(0);
    const admin = JSON.parse(made.out);
    expect(admin).toMatchObject({ instansiId: 'A1', nip: NIP, role: 'admin', status: 'pending', activationCode: expect.stringMatching(/^\d{4} \d{4}$/) });
    const uri = new URL(admin.otpauthUri);
    expect(decodeURIComponent(uri.pathname)).toBe(`/Lemari:${NIP}`);
    expect(uri.searchParams.get('issuer')).toBe('Lemari');
    const secret = fromBase32(admin.totpSecret);

    const deviceId = await withServer(async (_server, post) => {
      const confirmed = await post('/v1/auth/reset/confirm', { nip: NIP, code: admin.activationCode, newPassword: 'lemari arsip kota contoh' });
      expect(confirmed.body.next).toBe('enrol');
      // The authenticator the CLI printed is the one being activated.
      const activated = await post('/v1/auth/mfa/activate', { stepToken: confirmed.body.stepToken, code: totpCode(secret, new Date(clock)) });
      expect(activated.status).toBe(200);
      clock += 30_000;
      const step = await post('/v1/auth/login', { nip: NIP, password: 'lemari arsip kota contoh', deviceName: 'PC Admin BKD' });
      const session = await post('/v1/auth/login/totp', { stepToken: step.body.stepToken, code: totpCode(secret, new Date(clock)) });
      expect(session.body.user).toMatchObject({ nip: NIP, role: 'admin', instansi: { id: 'A1', name: 'BKD Kota Contoh' } });
      return session.body.deviceId as string;
    });

    const listed = await cli('devices', 'list', '--instansi', 'A1', '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ id: deviceId, name: 'PC Admin BKD', registeredBy: { nip: NIP, name: 'Siti Aminah' }, revokedAt: null })]);
    expect((await cli('devices', 'list', '--instansi', 'A1')).out).toContain(`${deviceId}  PC Admin BKD  (${NIP} Siti Aminah; last seen`);

    const revoked = await cli('devices', 'revoke', deviceId);
    expect(revoked).toMatchObject({ code: 0, out: expect.stringContaining(`Device ${deviceId} (PC Admin BKD, instansi A1) revoked at`) });
    await withServer(async (_server, post) => {
      clock += 30_000;
      const step = await post('/v1/auth/login', { nip: NIP, password: 'lemari arsip kota contoh', deviceId });
      expect(step.body.error.code).toBe('session_revoked');
    });
    expect(JSON.parse((await cli('devices', 'list', '--instansi', 'A1', '--json')).out)[0].revokedAt).toEqual(expect.any(String));
  });

  it('lists the accounts of an instansi and disables and enables one', async () => {
    const listed = await cli('users', 'list', '--instansi', 'A1', '--json');
    expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ nip: NIP, role: 'admin', status: 'active' })]);
    expect((await cli('users', 'list', '--instansi', 'A1')).out).toBe(`${NIP}  Siti Aminah  admin  active  <siti@contoh.go.id>\n`);

    expect(await cli('users', 'disable', NIP)).toMatchObject({ code: 0, out: `Account ${NIP} (Siti Aminah) disabled; every session of it has ended.\n` });
    await withServer(async (_server, post) => {
      clock += 30_000;
      const step = await post('/v1/auth/login', { nip: NIP, password: 'lemari arsip kota contoh', deviceName: 'PC Lain' });
      expect(step.body.error.code).toBe('invalid_credentials');
    });
    expect(JSON.parse((await cli('users', 'enable', NIP, '--json')).out)).toMatchObject({ nip: NIP, status: 'active' });
    await withServer(async (_server, post) => {
      clock += 30_000;
      const step = await post('/v1/auth/login', { nip: NIP, password: 'lemari arsip kota contoh', deviceName: 'PC Lain' });
      expect(step.body.next).toBe('totp');
    });
    expect(await cli('users', 'disable', '199001012015011099')).toMatchObject({ code: 1, err: 'lemari-server: No such account.\n' });
  });

  it('refuses what an operator gets wrong, with the reason and a non-zero exit', async () => {
    expect(await cli('instansi', 'create', 'A1', 'Lagi')).toMatchObject({ code: 1, err: 'lemari-server: Instansi A1 exists already.\n' });
    expect(await cli('instansi', 'create', 'A/1', 'Salah')).toMatchObject({ code: 1, err: expect.stringContaining('1 to 16 letters and digits') });
    const badNip = await cli('admin', 'create', '--instansi', 'A1', '--nip', '123', '--name', 'X', '--email', 'x@contoh.go.id');
    expect(badNip).toMatchObject({ code: 1, err: expect.stringContaining('Not a valid NIP') });
    expect(await cli('admin', 'create', '--instansi', 'ZZ', '--nip', '199001012015011001', '--name', 'X', '--email', 'x@contoh.go.id')).toMatchObject({ code: 1, err: 'lemari-server: No instansi ZZ.\n' });
    expect(await cli('admin', 'create', '--instansi', 'A1', '--nip', NIP, '--name', 'X', '--email', 'x@contoh.go.id')).toMatchObject({ code: 1, err: expect.stringContaining('exists already') });
    expect(await cli('admin', 'create', '--instansi', 'A1')).toMatchObject({ code: 2, err: expect.stringContaining('--nip is required') });
    expect(await cli('devices', 'revoke', '6f1c1d52-8f43-4c59-9d0e-5f3c2b1a0e9d')).toMatchObject({ code: 1, err: 'lemari-server: No such device in this instansi.\n' });
    expect(await cli('devices', 'frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('unknown command "devices frobnicate"') });
  });
});
