// The server's secrets at rest (server/auth/sealing.ts), on a whole server: an enrolled
// account's TOTP secret and the server's own keys are in the database only sealed; what an
// older version left plain is sealed at the next start and logins go on; a start with
// another key file is refused with a message that says what to do.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromBase32, toBase32, totpCode } from '../../../common/auth/totp';
import { startServer } from '../../../server/app';
import { passwords } from '../../../server/auth/password';
import { loadConfig } from '../../../server/config';
import { openDb, type Db } from '../../../server/db';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const NIP = '198503152010012003';
const PASSWORD = 'kuda lari di sawah hijau';

/** The servers' clock: each login a TOTP step after the last, so no code is a replay. */
let clock = Date.now();
const now = () => clock;

async function login(url: string, secret: string): Promise<number> {
  clock += 30_000;
  const post = (path: string, body: unknown) => fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const step = (await (await post('/v1/auth/login', { nip: NIP, password: PASSWORD, deviceName: 'PC' })).json()) as { stepToken: string };
  return (await post('/v1/auth/login/totp', { stepToken: step.stepToken, code: totpCode(fromBase32(secret), new Date(clock)) })).status;
}

describe('secrets at rest on the server', () => {
  it('seals what an older version stored plain at start; logins go on; another key file is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lemari-sealing-'));
    dirs.push(dir);
    const db: Db = await openDb({ dataDir: 'memory://' });
    const config = loadConfig({ 'data-dir': dir, port: '0' }, {});
    let server = await startServer(config, { db, logger: false, now });
    // What a version before sealing left: a plain TOTP secret and a plain signing key.
    const secret = toBase32(randomBytes(20));
    const plainKey = randomBytes(32).toString('base64');
    await db.query("insert into instansi (id, name) values ('S1', 'Sealing')");
    await db.query("insert into users (instansi_id, nip, name, role, status, password_hash, totp_secret) values ('S1', $1, 'Pegawai', 'clerk', 'active', $2, $3)", [
      NIP,
      await passwords.hash(PASSWORD),
      secret,
    ]);
    await db.query("update server_keys set secret = $1 where name = 'access-token'", [plainKey]);
    await server.close();

    server = await startServer(config, { db, logger: false, now });
    const { rows: users } = await db.query<{ totp_secret: string }>('select totp_secret from users where nip = $1', [NIP]);
    expect(users[0].totp_secret.startsWith('lmk1:')).toBe(true);
    expect(users[0].totp_secret).not.toContain(secret);
    const { rows: keys } = await db.query<{ name: string; secret: string }>('select name, secret from server_keys order by name');
    expect(keys.map((key) => key.name)).toEqual(expect.arrayContaining(['access-token', 'key-check']));
    for (const key of keys) expect(key.secret.startsWith('lmk1:'), key.name).toBe(true);
    expect(keys[0].secret).not.toContain(plainKey);
    expect(await login(server.url, secret)).toBe(200);
    await server.close();

    writeFileSync(join(dir, 'other.key'), randomBytes(32).toString('base64'));
    await expect(startServer(loadConfig({ 'data-dir': dir, port: '0' }, { LEMARI_SECRET_KEY_FILE: join(dir, 'other.key') }), { db, logger: false, now })).rejects.toThrow(
      /not the key this database's secrets were sealed with/,
    );
    // The original key still opens everything.
    server = await startServer(config, { db, logger: false, now });
    expect(await login(server.url, secret)).toBe(200);
    await server.close();
    await db.close();
  });
});
