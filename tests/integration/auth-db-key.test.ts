// Encryption at rest of the profile database with the key from main/infra/secrets: the
// file on disk has no SQLite header and no personal data in clear, and opens only with
// the key the profile's secret store unseals.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../main/core/audit';
import { createAuth } from '../../main/core/auth';
import { openDatabase } from '../../main/infra/db';
import { KeyFileSecretStore, databaseKey } from '../../main/infra/secrets';
import { fixedClock, tempDir, translateId } from '../helpers/profile';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

const NIP = '199001012015011001';
const NAMA = 'Siti Rahayu Kusumawardani';

function profileBytes(dir: string): Buffer {
  return Buffer.concat(readdirSync(dir).filter((name) => name.startsWith('lemari.db')).map((name) => readFileSync(join(dir, name))));
}

async function fillProfile(dir: string, key: string | undefined): Promise<void> {
  const db = openDatabase(join(dir, 'lemari.db'), { key });
  const secrets = new KeyFileSecretStore(dir);
  const auth = createAuth({ db, clock: fixedClock, translate: translateId, secrets, audit: createAuditLog({ db, clock: fixedClock }) });
  await auth.bootstrapAdmin({ nip: NIP, nama: NAMA, password: 'lemari kayu jati tua' });
  db.prepare("INSERT INTO employees (nip, kind, nama, updated_at) VALUES (?, 'pns', ?, ?)").run(NIP, NAMA, fixedClock.now().toISOString());
  db.close();
}

describe('profile database key', () => {
  it('encrypts the whole file: no SQLite header, no NIP or name in clear, unreadable without the key', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const key = databaseKey(new KeyFileSecretStore(dir), dir);
    await fillProfile(dir, key);

    const bytes = profileBytes(dir);
    expect(bytes.length).toBeGreaterThan(4096);
    expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    expect(bytes.includes(Buffer.from(NIP))).toBe(false);
    expect(bytes.includes(Buffer.from('Kusumawardani'))).toBe(false);
    expect(bytes.includes(Buffer.from('$argon2id$'))).toBe(false);

    expect(() => openDatabase(join(dir, 'lemari.db'))).toThrow(/not a database/);
    expect(() => openDatabase(join(dir, 'lemari.db'), { key: `x'${'0'.repeat(64)}'` })).toThrow(/not a database/);
    // The next start unseals the same key and reads everything back.
    const again = openDatabase(join(dir, 'lemari.db'), { key: databaseKey(new KeyFileSecretStore(dir), dir) });
    expect(again.prepare('SELECT nip, nama, role FROM users').get()).toEqual({ nip: NIP, nama: NAMA, role: 'admin' });
    again.close();
  });

  it('is what makes the difference: the same profile without a key shows both in clear', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    await fillProfile(dir, undefined);
    const bytes = profileBytes(dir);
    expect(bytes.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect(bytes.includes(Buffer.from(NIP))).toBe(true);
  });
});

describe('the benchmark-only plain profile', () => {
  it('is never requested by a shell: Electron, the browser host and the CLI always encrypt', () => {
    const root = join(import.meta.dirname, '../../main');
    const shellFiles = ['electron', 'web', 'cli'].flatMap((shell) =>
      (readdirSync(join(root, shell), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => join(root, shell, f)),
    );
    expect(shellFiles.length).toBeGreaterThan(5);
    const offenders = shellFiles.filter((file) => readFileSync(file, 'utf8').includes('unsafePlainAtRestForBenchmark'));
    expect(offenders).toEqual([]);
  });
});
