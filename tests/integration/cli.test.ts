// The `lemari` command end to end over a real profile directory.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/infra/db';
import { databaseKey, KeyFileSecretStore } from '../../main/infra/secrets';
import { fromBase32, totpCode } from '../../main/core/auth/totp';
import { makePdf } from '../helpers/pdf';
import { CLI_ADMIN, CliHarness } from '../helpers/cli';

const ADMIN_NIP = CLI_ADMIN.nip;
const PASSWORD = CLI_ADMIN.password;

let h: CliHarness;
const run = (args: string[], env: Record<string, string | undefined>) => h.run(args, env);
const currentCode = () => h.nextCode();
const cli = (...args: string[]) => h.run(args, h.login());

beforeEach(async () => {
  h = new CliHarness('lemari-cli-');
  const { boot, enrol } = await h.bootstrap();
  expect(boot.code).toBe(0);
  expect(boot.json().enrolment.uri).toMatch(/^otpauth:\/\/totp\/Lemari:198001012005011001\?/);
  expect(enrol.code).toBe(0);
  expect(enrol.json().recoveryCodes).toHaveLength(10);
});
afterEach(() => h.cleanup());

describe('lemari CLI', () => {
  it('imports employees and scans, lists, searches and verifies', async () => {
    const csv = join(h.work.dir, 'pegawai.csv');
    writeFileSync(csv, 'NIP;Nama;Unit Kerja\n199001012015031001;Budi Santoso;Bidang Mutasi\n123;Salah;X\n');
    const employees = await cli('employees', 'import', csv, '--json');
    expect(employees.code).toBe(1); // a rejected row
    expect(employees.json()).toMatchObject({ inserted: 1, rejected: [{ row: 3 }] });

    const scan = join(h.work.dir, '199001012015031001_SK_PNS.pdf');
    writeFileSync(scan, await makePdf(['SK PNS Budi']));
    const imported = await cli('import', scan, '--json');
    expect(imported.code).toBe(0);
    expect(imported.json()).toMatchObject({ imported: [{ name: '199001012015031001_SK_PNS.pdf', pageCount: 1, guess: { nip: '199001012015031001', typeCode: 'SK_PNS' } }], failed: [] });

    // At rest the document is sealed: no PDF header, no text of it on disk.
    const { readdirSync, readFileSync } = await import('node:fs');
    const shard = readdirSync(join(h.dataDir, 'blobs')).find((name) => /^[a-f0-9]{2}$/.test(name))!;
    const onDisk = readFileSync(join(h.dataDir, 'blobs', shard, readdirSync(join(h.dataDir, 'blobs', shard))[0]));
    expect(onDisk.subarray(0, 5).toString('latin1')).not.toBe('%PDF-');
    expect(onDisk.includes(Buffer.from('%%EOF'))).toBe(false);
    const listed = await cli('documents', 'list', '--json');
    expect(listed.json()).toMatchObject({ total: 1, items: [{ state: 'draft' }] });

    const found = await cli('search', 'budi', '--json');
    expect(found.json().items).toHaveLength(0); // not labelled yet: the name comes with the NIP label
    const byName = await cli('search', '199001012015031001_SK_PNS');
    expect(byName.stdout).toContain('199001012015031001_SK_PNS.pdf');

    const verified = await cli('verify', '--json');
    expect(verified.code).toBe(0);
    expect(verified.json()).toMatchObject({ ok: true, documents: 1, blobs: 1, problems: [] });
  });

  it('reports a failed file with a non-zero exit while importing the rest', async () => {
    const good = join(h.work.dir, 'baik.pdf');
    const empty = join(h.work.dir, 'kosong.pdf');
    writeFileSync(good, await makePdf());
    writeFileSync(empty, '');
    const result = await cli('import', good, empty);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('1 diimpor, 0 duplikat, 1 gagal');
    expect(result.stdout).toContain('kosong.pdf: Berkas kosong (0 byte)');
  });

  it('runs nothing without a valid login: wrong password, missing code, replayed code', async () => {
    const wrong = await run(['documents', 'list'], { LEMARI_USER: ADMIN_NIP, LEMARI_PASSWORD: 'salah sama sekali', LEMARI_OTP: currentCode() });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toBe('');
    const noCode = await run(['documents', 'list'], { LEMARI_USER: ADMIN_NIP, LEMARI_PASSWORD: PASSWORD });
    expect(noCode).toMatchObject({ code: 2 });
    expect(noCode.stderr).toContain('LEMARI_OTP');
    const code = currentCode();
    h.now -= 30_000; // the next run happens in the same half-minute as this code
    expect((await run(['documents', 'list'], { LEMARI_USER: ADMIN_NIP, LEMARI_PASSWORD: PASSWORD, LEMARI_OTP: code })).code).toBe(0);
    h.now -= 30_000;
    const replay = await run(['documents', 'list'], { LEMARI_USER: ADMIN_NIP, LEMARI_PASSWORD: PASSWORD, LEMARI_OTP: code });
    expect(replay.code).toBe(1);
  });

  it('lets the admin add a local account that must change its password', async () => {
    const added = await run(['users', 'add', '--nip', '199001012015031001', '--nama', 'Budi', '--role', 'clerk', '--json'], {
      LEMARI_USER: ADMIN_NIP, LEMARI_PASSWORD: PASSWORD, LEMARI_OTP: currentCode(), LEMARI_NEW_PASSWORD: 'sandi awal budi 123',
    });
    expect(added.code).toBe(0);
    expect(added.json()).toMatchObject({ role: 'clerk', mustChangePassword: true, mfaEnrolled: false });
    const listed = await cli('users', 'list', '--json');
    expect(listed.json().map((u: { nip: string }) => u.nip).sort()).toEqual(['198001012005011001', '199001012015031001']);
  });

  it('answers usage errors with exit 2 and the usage text on stderr', async () => {
    const result = await cli('documents', 'burn');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Penggunaan');
    expect(result.stdout).toBe('');
  });

  it('runs as a process: --json on stdout, exit 1 and the reason on stderr when verify finds damage', async () => {
    const scan = join(h.work.dir, 'a.pdf');
    writeFileSync(scan, await makePdf());
    expect((await cli('import', scan)).code).toBe(0);
    const { sha256 } = (await cli('documents', 'list', '--json')).json().items[0] ?? {};
    expect(sha256).toBeUndefined(); // summaries do not carry hashes; find the blob on disk instead
    const { readdirSync } = await import('node:fs');
    const shard = readdirSync(join(h.dataDir, 'blobs')).find((name) => /^[a-f0-9]{2}$/.test(name))!;
    const blob = readdirSync(join(h.dataDir, 'blobs', shard))[0];
    writeFileSync(join(h.dataDir, 'blobs', shard, blob), 'rusak');

    // A real process on the real clock: enrol a second admin's code at the real time.
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'main/cli/index.ts', 'verify', '--data-dir', h.dataDir, '--json'], {
      encoding: 'utf8',
      env: { ...process.env, LEMARI_USER: ADMIN_NIP, LEMARI_PASSWORD: PASSWORD, LEMARI_OTP: totpCode(fromBase32(h.secret), new Date()) },
    });
    expect(child.status).toBe(1);
    const report = JSON.parse(child.stdout);
    expect(report).toMatchObject({ ok: false, problems: [{ kind: 'blob_mismatch', documentId: 1 }] });
    expect(report.problems[0].message).toContain('Dokumen #1');
  });

  it('catches an audit row edited directly in SQLite and names it', async () => {
    const scan = join(h.work.dir, 'a.pdf');
    writeFileSync(scan, await makePdf());
    expect((await cli('import', scan)).code).toBe(0);
    expect((await cli('documents', 'list')).code).toBe(0);
    // The attacker here holds the profile's key too (the worst case): the chain still tells.
    const raw = openDatabase(join(h.dataDir, 'lemari.db'), { key: databaseKey(new KeyFileSecretStore(h.dataDir), h.dataDir) });
    raw.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'penyusup' WHERE action = 'document.imported'");
    const id = (raw.prepare("SELECT id FROM audit_log WHERE action = 'document.imported'").get() as { id: number }).id;
    raw.close();
    const result = await cli('verify');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`Log audit dirusak mulai entri #${id}: isi entri tidak cocok dengan hash-nya (entri diubah)`);
  });
});
