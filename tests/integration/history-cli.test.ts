// `lemari employees import-history` over a real profile directory: the kind told from the
// columns or given with --kind, refused rows named with exit 1, a re-import updating.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliHarness } from '../helpers/cli';

const BUDI = '199001012015031001';
let h: CliHarness;
const cli = (...args: string[]) => h.run(args, h.login());

beforeAll(async () => {
  h = new CliHarness('lemari-history-cli-');
  expect((await h.bootstrap()).enrol.code).toBe(0);
  const csv = join(h.work.dir, 'pegawai.csv');
  writeFileSync(csv, `NIP;Nama;Golongan\n${BUDI};Budi Santoso;III/b\n`);
  expect((await cli('employees', 'import', csv, '--json')).code).toBe(0);
});

afterAll(() => h.cleanup());

describe('lemari employees import-history', () => {
  it('imports a rank history, names a refused row, and updates on re-import', async () => {
    const file = join(h.work.dir, 'rw-golongan.csv');
    writeFileSync(file, `NIP;GOL;TMT GOLONGAN;NO SK\n${BUDI};III/a;01-03-2015;813/2015\n${BUDI};III/b;01-04-2019;823/2019\n${BUDI};III/q;01-04-2021;\n`);
    const first = await cli('employees', 'import-history', file, '--json');
    expect(first.code).toBe(1);
    expect(first.json()).toMatchObject({ kind: 'golongan', inserted: 2, rejected: [{ row: 4, message: 'Baris 4: kode golongan "III/q" tidak dikenal' }] });

    writeFileSync(file, `NIP;GOL;TMT;NO SK\n${BUDI};III/a;01-03-2015;813/2015\n${BUDI};III/b;01-04-2019;823/KP/2019\n`);
    const again = await cli('employees', 'import-history', file, '--kind', 'golongan');
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('golongan: 0 baru, 1 diperbarui, 1 tetap, 0 ditolak\n');
  });

  it('refuses an unknown --kind before reading the file', async () => {
    const result = await cli('employees', 'import-history', join(h.work.dir, 'rw-golongan.csv'), '--kind', 'hukdis');
    expect(result.code).toBe(1);
    expect(result.stderr).not.toBe('');
  });
});
