// `lemari retention` over a real profile directory: the phases and proposals, and the
// Daftar Arsip Usul Musnah drawn up from the terminal once a Punah employee's year is over.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliHarness } from '../helpers/cli';
import { makePdf } from '../helpers/pdf';

const BUDI = '196301011985031001';
let h: CliHarness;
const cli = (...args: string[]) => h.run(args, h.login());

beforeAll(async () => {
  h = new CliHarness('lemari-retention-cli-');
  expect((await h.bootstrap()).enrol.code).toBe(0);
  const csv = join(h.work.dir, 'pegawai.csv');
  // The employee list says Budi is Punah (67): the clocks start the day it is seen.
  writeFileSync(csv, `NIP;Nama;Unit Kerja;Kedudukan Hukum\n${BUDI};Budi Santoso;Bidang Mutasi;67\n`);
  expect((await cli('employees', 'import', csv, '--json')).code).toBe(0);
  const scan = join(h.work.dir, 'sk-pns-budi.pdf');
  writeFileSync(scan, await makePdf(['SK PNS Budi']));
  expect((await cli('import', scan, '--nip', BUDI, '--type', 'SK_PNS', '--json')).code).toBe(0);
});

afterAll(() => h.cleanup());

describe('lemari retention', () => {
  it('shows the phases, refuses to propose before the inactive year is over, then prints the proposed list', async () => {
    const first = await cli('retention', 'status', '--json');
    expect(first.code).toBe(0);
    expect(first.json()).toMatchObject({ confirmed: false, phases: { inaktif: 1 }, proposals: [] });
    const early = await cli('retention', 'propose', 'musnah');
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/jatuh tempo/);

    h.now += 400 * 24 * 3600 * 1000;
    const proposed = await cli('retention', 'propose', 'musnah');
    expect(proposed.code).toBe(0);
    expect(proposed.stdout).toMatch(/^DAUM\/001\/2027\tusul\t1\n/);
    expect(proposed.stdout).toContain(`${BUDI}\tBudi Santoso\tSK_PNS`);
    const after = await cli('retention', 'status');
    expect(after.stdout).toContain('usul_musnah\t1');
    expect(after.stdout).toContain('DAUM/001/2027\tusul\tmusnah\t1');
  });

  it('refuses an unknown kind with the usage', async () => {
    expect((await cli('retention', 'propose', 'hapus')).code).toBe(2);
  });
});
