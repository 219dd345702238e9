import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCompletenessRules, type CompletenessRules } from '../../../common/completeness';
import { referenceData, resourcesDir, testDb, translateId } from '../../../tests/helpers/profile';
import { createCompleteness, loadCompletenessRules, rankChangesByGolongan, type CompletenessService } from './index';

let ctx: ReturnType<typeof testDb>;
let completeness: CompletenessService;
const reference = referenceData();
const rules = loadCompletenessRules(resourcesDir, '/nonexistent', reference, translateId);

// Fixture employees with different histories (NIPs only need to be 18 digits here).
const FRESH_PNS = '199001012015031001'; // III/a, no jabatan: the basic set, nothing per rank
const PROMOTED = '198001012005011002'; // IV/a: two rank SKs since the III/c entry, has a jabatan
const CLTN = '198501012010012003'; // on unpaid leave: SK CLTN expected
const RETIRED = '196001011985031004'; // pensiun: SK pemberhentian expected
const PPPK = '199501012023212005'; // PPPK IX with a jabatan: its own set
const COMPLETE = '199101012016031006';

function employee(nip: string, kind: 'pns' | 'pppk', golongan: string | null, jabatan: string | null, kedudukan: string, unit = 'Bidang Arsip') {
  ctx.db
    .prepare('INSERT INTO employees (nip, kind, nama, golongan, jabatan, unit_kerja, kedudukan_hukum, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(nip, kind, `Pegawai ${nip.slice(-3)}`, golongan, jabatan, unit, kedudukan, '2026-11-24T00:00:00Z');
}

let nextSha = 0;
function doc(nip: string, type: string, state: 'draft' | 'ready' | 'rejected' = 'ready'): number {
  const sha = String(nextSha++).padStart(64, '0');
  const info = ctx.db
    .prepare(
      `INSERT INTO documents (sha256, source_sha256, original_name, size, source_size, page_count, source_kind, nip, type_code, state, created_at, updated_at)
       VALUES (?, ?, 'x.pdf', 1, 1, 1, 'pdf', ?, ?, ?, '2026-11-24T00:00:00Z', '2026-11-24T00:00:00Z')`,
    )
    .run(sha, sha, nip, type, state);
  return Number(info.lastInsertRowid);
}

function gaps(nip: string): Record<string, string> {
  return Object.fromEntries(completeness.employee(nip).items.map((item) => [item.key, `${item.status} ${item.held}/${item.expected}`]));
}

beforeEach(() => {
  ctx = testDb();
  completeness = createCompleteness({ db: ctx.db, translate: translateId, rules: () => rules, reference: () => reference });
  employee(FRESH_PNS, 'pns', 'III/a', null, '01');
  employee(PROMOTED, 'pns', 'IV/a', 'Analis SDM Aparatur Ahli Madya', '01', 'Bidang Mutasi');
  employee(CLTN, 'pns', 'III/b', null, '02');
  employee(RETIRED, 'pns', 'II/b', 'Pengadministrasi Umum', '99');
  employee(PPPK, 'pppk', 'IX', 'Guru Ahli Pertama', '01');
  employee(COMPLETE, 'pns', 'II/a', null, '01', 'Bidang Mutasi');
});
afterEach(() => ctx.cleanup());

describe('rule set', () => {
  it('loads the shipped file and refuses an unknown type or a type counted twice, naming them', () => {
    expect(rules.rules.map((rule) => rule.key)).toEqual(expect.arrayContaining(['DRH', 'SK_CPNS', 'SK_PNS', 'SPMT', 'SK_PANGKAT']));
    for (const rule of rules.rules) expect(rule.source.length).toBeGreaterThan(10);
    const raw = JSON.parse(readFileSync(join(resourcesDir, 'completeness.json'), 'utf8')) as CompletenessRules;
    const typo = { ...raw, rules: [{ ...raw.rules[0], types: ['SK_PNZ'] }, ...raw.rules.slice(1)] };
    expect(() => parseCompletenessRules(typo, reference)).toThrow(/DRH: unknown document type SK_PNZ/);
    const twice = { ...raw, rules: [...raw.rules, { ...raw.rules[0], key: 'DRH_LAGI' }] };
    expect(() => parseCompletenessRules(twice, reference)).toThrow(/DRH_LAGI: document type DRH already counts for DRH/);
    expect(() => parseCompletenessRules({ ...raw, rules: [{ ...raw.rules[0], weight: -1 }] }, reference)).toThrow(/rules\.0\.weight/);
  });

  it('counts at least one rank SK per step from the highest entry rank at or below the golongan', () => {
    const steps = rankChangesByGolongan(rules, reference);
    expect([steps.get('I/a'), steps.get('II/b'), steps.get('III/a'), steps.get('III/d'), steps.get('IV/a'), steps.get('IV/e')]).toEqual([0, 1, 0, 1, 2, 6]);
  });
});

describe('employee checklist', () => {
  it('a PNS fresh in III/a needs the basic set and no rank SK; drafts do not count, ready documents do', () => {
    doc(FRESH_PNS, 'DRH');
    doc(FRESH_PNS, 'SK_CPNS', 'draft');
    expect(gaps(FRESH_PNS)).toEqual({
      DRH: 'held 1/1',
      D2NP: 'missing 0/1',
      SK_CPNS: 'missing 0/1',
      SPMT: 'missing 0/1',
      SK_PNS: 'missing 0/1',
      SK_PANGKAT: 'not_required 0/0',
      SK_JABATAN: 'not_required 0/0',
      IJAZAH: 'missing 0/1',
      TRANSKRIP: 'missing 0/1',
      SK_CLTN: 'not_required 0/0',
      SK_PEMBERHENTIAN: 'not_required 0/0',
    });
    const result = completeness.employee(FRESH_PNS);
    expect(result.missing).toBe(6);
    expect(result.lengkap).toBe(false);
  });

  it('a promoted PNS with a jabatan needs two rank SKs and an SK jabatan; one rank SK is half the rank weight', () => {
    for (const type of ['DRH', 'D2NP', 'SK_CPNS', 'SPMT', 'SK_PNS', 'IJAZAH', 'TRANSKRIP', 'SK_PANGKAT']) doc(PROMOTED, type);
    const result = completeness.employee(PROMOTED);
    expect(gaps(PROMOTED)).toMatchObject({ SK_PANGKAT: 'missing 1/2', SK_JABATAN: 'missing 0/1' });
    expect(result.missing).toBe(2);
    // Possible 7.5+7.5+3.75+3.75+7.5+15+15+10+5+5+5 = 85; earned 85 - 7.5 (half of 15) - 15.
    expect(result.score).toBeCloseTo(Math.round((1000 * (85 - 22.5)) / 85) / 10, 5);
  });

  it('history drives the conditional items: CLTN needs its SK, a retiree the SK pemberhentian', () => {
    expect(gaps(CLTN)).toMatchObject({ SK_CLTN: 'missing 0/1', SK_PEMBERHENTIAN: 'not_required 0/0', SK_PANGKAT: 'not_required 0/0' });
    expect(gaps(RETIRED)).toMatchObject({ SK_PEMBERHENTIAN: 'missing 0/1', SK_CLTN: 'not_required 0/0', SK_PANGKAT: 'missing 0/1', SK_JABATAN: 'missing 0/1', TRANSKRIP: 'not_required 0/0' });
  });

  it('a PPPK has its own set: no D2NP, SK CPNS, SK PNS or rank SKs', () => {
    expect(Object.keys(gaps(PPPK)).sort()).toEqual(['DRH', 'IJAZAH', 'PERJANJIAN_KERJA', 'SK_JABATAN', 'SK_PEMBERHENTIAN', 'SK_PPPK', 'SPMT', 'TRANSKRIP']);
  });

  it('a rejected document is shown as rejected, not held', () => {
    doc(FRESH_PNS, 'SK_PNS', 'rejected');
    expect(gaps(FRESH_PNS).SK_PNS).toBe('rejected 0/1');
  });

  it('a complete folder scores 100 and is Lengkap; an unknown NIP is not found', () => {
    for (const type of ['DRH', 'D2NP', 'SK_CPNS', 'SPMT', 'SK_PNS', 'IJAZAH']) doc(COMPLETE, type);
    expect(completeness.employee(COMPLETE)).toMatchObject({ score: 100, lengkap: true, missing: 0 });
    expect(() => completeness.employee('199901012020011099')).toThrow(/tidak ada di daftar/);
  });
});

describe('summary and work queue', () => {
  it('averages per unit and office, counts Lengkap, and orders the queue by what raises the score most', () => {
    for (const type of ['DRH', 'D2NP', 'SK_CPNS', 'SPMT', 'SK_PNS', 'IJAZAH']) doc(COMPLETE, type);
    for (const type of ['DRH', 'D2NP', 'SK_CPNS', 'SPMT', 'SK_PNS', 'IJAZAH', 'TRANSKRIP', 'SK_PANGKAT']) doc(PROMOTED, type);
    const scores = [FRESH_PNS, PROMOTED, CLTN, RETIRED, PPPK, COMPLETE].map((nip) => completeness.employee(nip).score);
    const office = completeness.summary({});
    expect(office.total.employees).toBe(6);
    expect(office.total.lengkap).toBe(1);
    expect(office.total.averageScore).toBeCloseTo(Math.round((10 * scores.reduce((a, b) => a + b, 0)) / 6) / 10, 5);
    const mutasi = office.units.find((unit) => unit.unitKerja === 'Bidang Mutasi')!;
    expect(mutasi).toMatchObject({ employees: 2, lengkap: 1, lengkapShare: 0.5 });
    expect(office.mostGaps[0].missing).toBeGreaterThanOrEqual(office.mostGaps.at(-1)!.missing);
    expect(office.mostGaps.map((item) => item.nip)).not.toContain(COMPLETE);

    const queue = completeness.queue({ limit: 3, offset: 0 });
    expect(queue.total).toBe(5);
    const gains = queue.items.map((item) => item.gain);
    expect(gains).toEqual([...gains].sort((a, b) => b - a));
    expect(queue.items[0].gaps.length).toBeGreaterThan(0);
    expect(completeness.queue({ limit: 3, offset: 3 }).items).toHaveLength(2);
    expect(completeness.queue({ limit: 3, offset: 9 })).toEqual({ items: [], total: 5 });

    const unit = completeness.summary({ unitKerja: 'Bidang Mutasi' });
    expect(unit.total).toMatchObject({ unitKerja: 'Bidang Mutasi', employees: 2, lengkap: 1 });
    expect(completeness.queue({ unitKerja: 'Bidang Mutasi', limit: 10, offset: 0 }).items.map((item) => item.nip)).toEqual([PROMOTED]);
  });

  it('sees a document labelled after the last summary (the office figures are not stale)', () => {
    const before = completeness.summary({}).total.averageScore;
    expect(completeness.queue({ limit: 50, offset: 0 }).total).toBe(6);
    const id = doc(COMPLETE, 'DRH', 'draft');
    expect(completeness.summary({}).total.averageScore).toBe(before);
    ctx.db.prepare("UPDATE documents SET state = 'ready' WHERE id = ?").run(id);
    expect(completeness.summary({}).total.averageScore).toBeGreaterThan(before);
  });

  it('keeps the office scores across a restart and rescores only what changed, or everyone when the rules change', () => {
    expect(completeness.summary({}).total.lengkap).toBe(0);
    for (const type of ['DRH', 'D2NP', 'SK_CPNS', 'SPMT', 'SK_PNS', 'IJAZAH']) doc(COMPLETE, type);
    // A changed employee record counts too: retired, FRESH_PNS now needs an SK pemberhentian.
    ctx.db.prepare("UPDATE employees SET kedudukan_hukum = '99' WHERE nip = ?").run(FRESH_PNS);
    const restarted = createCompleteness({ db: ctx.db, translate: translateId, rules: () => rules, reference: () => reference });
    expect(restarted.summary({}).total.lengkap).toBe(1);
    expect(restarted.queue({ limit: 50, offset: 0 }).items.find((item) => item.nip === FRESH_PNS)!.gaps).toContain('SK_PEMBERHENTIAN');
    expect(ctx.db.prepare('SELECT count(*) AS n FROM completeness_dirty').get()).toEqual({ n: 0 });

    // Without D2NP in the rules every score moves, though no document changed.
    const fewer = { ...rules, rules: rules.rules.filter((rule) => rule.key !== 'D2NP') };
    const before = restarted.employee(FRESH_PNS).score;
    const withFewer = createCompleteness({ db: ctx.db, translate: translateId, rules: () => fewer, reference: () => reference });
    const queued = withFewer.queue({ limit: 50, offset: 0 }).items.find((item) => item.nip === FRESH_PNS)!;
    expect(queued.gaps).not.toContain('D2NP');
    expect(queued.score).toBeGreaterThan(before);
  });
});
