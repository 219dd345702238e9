// Completeness of fixture employees with different histories, through the shipped rule set
// (resources/completeness.json) and the contract: a PNS with promotions and a position, one
// on unpaid leave (CLTN), one retired and one Punah, and a PPPK on a second contract each
// get the gaps their history calls for, and nothing their history does not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChecklistItem } from '../../common/completeness';
import { insertDocument } from '../helpers/documents';
import { adminProfile, type AdminProfile } from '../helpers/admin-profile';

let world: AdminProfile;
const clock = { now: () => new Date('2026-11-24T02:00:00Z') };

/** IV/a since entry at III/c (S3): two rank SKs; a position; active. */
const PROMOTED = '197501012000031001';
/** II/a, no position, on CLTN (kedudukan hukum 02). */
const CLTN = '198503032010012002';
const PENSIUN = '195801012080031001';
const PUNAH = '194501011970031001';
/** NI PPPK: born 1990-01-01, first appointed 2021, second contract (02), male, serial 001. */
const PPPK = '199001012021021001';

function employee(nip: string, kind: 'pns' | 'pppk', golongan: string, jabatan: string | null, kedudukanHukum: string): void {
  world.profile.db
    .prepare(`INSERT INTO employees (nip, kind, nama, golongan, jabatan, unit_kerja, kedudukan_hukum, updated_at) VALUES (?, ?, ?, ?, ?, 'Bidang Arsip', ?, '2026-11-24T02:00:00.000Z')`)
    .run(nip, kind, `Pegawai ${nip.slice(-4)}`, golongan, jabatan, kedudukanHukum);
}

function held(nip: string, ...types: string[]): void {
  for (const typeCode of types) insertDocument(world.profile.db, { nip, typeCode, state: 'ready' });
}

async function checklist(nip: string): Promise<Map<string, ChecklistItem>> {
  const result = await world.ok('completeness.employee', { nip });
  return new Map(result.items.map((item) => [item.key, item]));
}

/** The items with something missing, as key: held/expected. */
function gaps(items: Map<string, ChecklistItem>): Record<string, string> {
  return Object.fromEntries([...items.values()].filter((item) => item.status === 'missing' || item.status === 'rejected').map((item) => [item.key, `${item.held}/${item.expected}`]));
}

beforeAll(async () => {
  world = await adminProfile('lemari-completeness-histories-', clock);
  employee(PROMOTED, 'pns', 'IV/a', 'Analis Kepegawaian Ahli Muda', '01');
  employee(CLTN, 'pns', 'II/a', null, '02');
  employee(PENSIUN, 'pns', 'III/a', null, '99');
  employee(PUNAH, 'pns', 'III/a', null, '67');
  employee(PPPK, 'pppk', 'IX', 'Guru Ahli Pertama', '01');
});

afterAll(() => world.close());

describe('completeness for employees with different histories', () => {
  it('asks a promoted PNS with a position for one SK per rank change and the SK jabatan, and nothing conditional', async () => {
    held(PROMOTED, 'DRH', 'D2NP', 'SK_CPNS', 'SPMT', 'SK_PNS', 'IJAZAH', 'SK_PANGKAT');
    const items = await checklist(PROMOTED);
    expect(gaps(items)).toEqual({ SK_PANGKAT: '1/2', SK_JABATAN: '0/1', TRANSKRIP: '0/1' });
    expect(items.get('SK_CLTN')?.status).toBe('not_required');
    expect(items.get('SK_PEMBERHENTIAN')?.status).toBe('not_required');
    // PPPK's own items are not a PNS's business.
    expect(items.has('SK_PPPK')).toBe(false);
    expect(items.has('PERJANJIAN_KERJA')).toBe(false);

    held(PROMOTED, 'SK_PANGKAT', 'SK_JABATAN', 'TRANSKRIP');
    const complete = await world.ok('completeness.employee', { nip: PROMOTED });
    expect(complete).toMatchObject({ score: 100, lengkap: true, missing: 0 });
  });

  it('asks an employee on CLTN for the SK CLTN, and one who left service or is Punah for the SK pemberhentian', async () => {
    const cltn = await checklist(CLTN);
    expect(cltn.get('SK_CLTN')).toMatchObject({ status: 'missing', expected: 1 });
    expect(cltn.get('SK_PEMBERHENTIAN')?.status).toBe('not_required');
    // Entry rank, no position, no degree: none of those is expected.
    expect(cltn.get('SK_PANGKAT')?.status).toBe('not_required');
    expect(cltn.get('SK_JABATAN')?.status).toBe('not_required');
    expect(cltn.get('TRANSKRIP')?.status).toBe('not_required');

    for (const nip of [PENSIUN, PUNAH]) {
      const items = await checklist(nip);
      expect(items.get('SK_PEMBERHENTIAN')).toMatchObject({ status: 'missing', expected: 1 });
      expect(items.get('SK_CLTN')?.status).toBe('not_required');
    }
    held(PENSIUN, 'SK_PEMBERHENTIAN');
    expect((await checklist(PENSIUN)).get('SK_PEMBERHENTIAN')?.status).toBe('held');
  });

  it('gives a PPPK its own set: the SK PPPK and one perjanjian kerja per contract the NI PPPK counts, no PNS decrees', async () => {
    const items = await checklist(PPPK);
    expect([...items.keys()].sort()).toEqual(['DRH', 'IJAZAH', 'PERJANJIAN_KERJA', 'SK_JABATAN', 'SK_PEMBERHENTIAN', 'SK_PPPK', 'SPMT', 'TRANSKRIP']);
    expect(items.get('PERJANJIAN_KERJA')).toMatchObject({ expected: 2, held: 0, status: 'missing' });

    held(PPPK, 'DRH', 'SPMT', 'SK_JABATAN', 'IJAZAH', 'TRANSKRIP', 'SK_PPPK', 'PERJANJIAN_KERJA');
    const one = await world.ok('completeness.employee', { nip: PPPK });
    expect(one.lengkap).toBe(false);
    expect(gaps(new Map(one.items.map((item) => [item.key, item])))).toEqual({ PERJANJIAN_KERJA: '1/2' });
    held(PPPK, 'PERJANJIAN_KERJA');
    expect(await world.ok('completeness.employee', { nip: PPPK })).toMatchObject({ score: 100, lengkap: true });
  });

  it('lets a clerk label a scan with the PPPK document types', async () => {
    const id = insertDocument(world.profile.db, { name: 'perjanjian-kerja-2025.pdf' });
    const labelled = await world.ok('documents.label', { id, nip: PPPK, typeCode: 'PERJANJIAN_KERJA', fields: { nomor: '800/PK/2025/014', tanggal: '2025-01-02', tmt: '2025-01-02' } });
    expect(labelled).toMatchObject({ typeCode: 'PERJANJIAN_KERJA', state: 'ready' });
  });
});
