import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCompletenessRules, wantedSheets, type CompletenessRules } from '../../../common/completeness';
import { referenceData, resourcesDir, testDb, translateId } from '../../../tests/helpers/profile';
import { createAuditLog } from '../audit';
import { parseCsv } from '../employees/table';
import { createHistory } from '../history';
import { readTable } from '../../infra/sheets';
import { fixedClock } from '../../../tests/helpers/profile';
import { createCompleteness, loadCompletenessRules, perEmployeeParams, perEmployeeSql, rankChangesByGolongan, type CompletenessService } from './index';

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
function doc(nip: string, type: string, state: 'draft' | 'ready' | 'rejected' = 'ready', label: { nomor?: string; tanggal?: string; tmt?: string } = {}): number {
  const sha = String(nextSha++).padStart(64, '0');
  const info = ctx.db
    .prepare(
      `INSERT INTO documents (sha256, source_sha256, original_name, size, source_size, page_count, source_kind, nip, type_code, state, nomor, tanggal, fields, created_at, updated_at)
       VALUES (?, ?, 'x.pdf', 1, 1, 1, 'pdf', ?, ?, ?, ?, ?, ?, '2026-11-24T00:00:00Z', '2026-11-24T00:00:00Z')`,
    )
    .run(sha, sha, nip, type, state, label.nomor ?? null, label.tanggal ?? null, JSON.stringify(label.tmt ? { tmt: label.tmt } : {}));
  return Number(info.lastInsertRowid);
}

function gaps(nip: string): Record<string, string> {
  return Object.fromEntries(completeness.employee(nip).items.map((item) => [item.key, `${item.status} ${item.held}/${item.expected}`]));
}

beforeEach(() => {
  ctx = testDb();
  completeness = createCompleteness({ db: ctx.db, clock: fixedClock, translate: translateId, rules: () => rules, reference: () => reference });
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
      SK_PINDAH_INSTANSI: 'not_required 0/0',
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
    // Possible 7.5+7.5+3.75+3.75+7.5+15+15+10+5 + 3+3+4 (kondisional) = 85; earned 85 - 7.5 (half of 15) - 15.
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
    const restarted = createCompleteness({ db: ctx.db, clock: fixedClock, translate: translateId, rules: () => rules, reference: () => reference });
    expect(restarted.summary({}).total.lengkap).toBe(1);
    expect(restarted.queue({ limit: 50, offset: 0 }).items.find((item) => item.nip === FRESH_PNS)!.gaps).toContain('SK_PEMBERHENTIAN');
    expect(ctx.db.prepare('SELECT count(*) AS n FROM completeness_dirty').get()).toEqual({ n: 0 });

    // Without D2NP in the rules every score moves, though no document changed.
    const fewer = { ...rules, rules: rules.rules.filter((rule) => rule.key !== 'D2NP') };
    const before = restarted.employee(FRESH_PNS).score;
    const withFewer = createCompleteness({ db: ctx.db, clock: fixedClock, translate: translateId, rules: () => fewer, reference: () => reference });
    const queued = withFewer.queue({ limit: 50, offset: 0 }).items.find((item) => item.nip === FRESH_PNS)!;
    expect(queued.gaps).not.toContain('D2NP');
    expect(queued.score).toBeGreaterThan(before);
  });
});

describe("a verifier's rejection", () => {
  it('is read through indexes: from the rejections for the whole office, from the documents of the NIPs otherwise', () => {
    const plan = (filter: { documents: string; employees: string }, params: unknown[]) =>
      (ctx.db.prepare(`EXPLAIN QUERY PLAN ${perEmployeeSql(rules, reference, filter)}`).all(...params) as { detail: string }[]).map((row) => row.detail);
    const office = plan({ documents: '1', employees: '1' }, []);
    expect(office).toContain('SEARCH rv USING COVERING INDEX document_review_state (state=?)');
    expect(office).toContain('SEARCH d USING INTEGER PRIMARY KEY (rowid=?)');
    for (const [filter, params] of [
      [{ documents: 'nip = ?', employees: 'e.nip = ?' }, perEmployeeParams(FRESH_PNS)],
      [{ documents: 'nip IN (SELECT nip FROM completeness_dirty)', employees: 'e.nip IN (SELECT nip FROM completeness_dirty)' }, []],
      [{ documents: 'nip IN (SELECT nip FROM employees WHERE unit_kerja = ?)', employees: 'e.unit_kerja = ?' }, perEmployeeParams('Bidang Arsip')],
    ] as const) {
      const steps = plan(filter, [...params]);
      expect(steps.filter((step) => / (rv|d) /.test(step))).toEqual([
        expect.stringMatching(/^SEARCH d USING COVERING INDEX documents_completeness \(nip=\?\)/),
        expect.stringMatching(/^SEARCH rv USING (COVERING INDEX document_review_state|INTEGER PRIMARY KEY)/),
      ]);
    }
    for (const step of office) expect(step).not.toMatch(/^SCAN (rv|d)\b/);
  });

  it('leaves the history record its document stood for open, so its separator sheet is printed', () => {
    const RANKED = '198801012012011007';
    employee(RANKED, 'pns', 'III/b', null, '01');
    ctx.db
      .prepare(
        "INSERT INTO employee_history (nip, kind, record_key, golongan, tmt, nomor_sk, imported_at, imported_by) VALUES (?, 'golongan', ?, ?, ?, ?, '2026-11-24T00:00:00Z', 't')",
      )
      .run(RANKED, 'a', 'III/a', '2015-04-01', '800/2015');
    ctx.db
      .prepare("INSERT INTO employee_history (nip, kind, record_key, golongan, tmt, nomor_sk, imported_at, imported_by) VALUES (?, 'golongan', ?, ?, ?, ?, '2026-11-24T00:00:00Z', 't')")
      .run(RANKED, 'b', 'III/b', '2019-04-01', '823/2019');
    const id = doc(RANKED, 'SK_PANGKAT', 'ready', { nomor: '823/2019' });
    const held = completeness.employee(RANKED).items.find((i) => i.key === 'SK_PANGKAT')!;
    expect(held).toMatchObject({ status: 'held', held: 1, rejected: 0, basis: 'history' });
    expect(held.records.map((record) => record.documentId)).toEqual([id]);
    ctx.db.prepare("UPDATE document_review SET state = 'rejected', reason = 'buram' WHERE document_id = ?").run(id);
    const rejected = completeness.employee(RANKED).items.find((i) => i.key === 'SK_PANGKAT')!;
    expect(rejected).toMatchObject({ status: 'rejected', held: 0, rejected: 1 });
    expect(rejected.records.map((record) => record.documentId)).toEqual([null]);
    expect(wantedSheets(rejected)).toEqual([{ typeCode: 'SK_PANGKAT', historyId: rejected.records[0].historyId }]);
  });
});

describe('rules driven by the employee history', () => {
  const RANKED = '198801012012011007'; // III/c: entry III/a, then III/b and III/c
  const POSITIONS = '198801012012011008'; // three positions, none in the employee record
  const EDUCATED = '198801012012011009'; // SLTA, S1 and S2
  const MOVED = '198801012012011010'; // transferred in from another instansi
  const ON_LEAVE = '198801012012011011'; // a CLTN in the history, back at work (kedudukan 01)
  const actor = { id: 'tester' };
  const historyFile = (kind: 'golongan' | 'jabatan' | 'pendidikan' | 'pindah_instansi' | 'cltn', lines: string[]) =>
    createHistory({ db: ctx.db, clock: fixedClock, translate: translateId, reference: () => reference, readTable, audit: createAuditLog({ db: ctx.db, clock: fixedClock }) }).importTable(parseCsv(lines.join('\n')), kind, actor, `${kind}.csv`);

  beforeEach(() => {
    employee(RANKED, 'pns', 'III/c', null, '01');
    employee(POSITIONS, 'pns', 'III/a', null, '01');
    employee(EDUCATED, 'pns', 'II/a', null, '01');
    employee(MOVED, 'pns', 'III/a', null, '01');
    employee(ON_LEAVE, 'pns', 'III/a', null, '01');
    historyFile('golongan', ['NIP;GOL;TMT GOLONGAN;NO SK', `${RANKED};III/a;01-01-2012;813/2012`, `${RANKED};III/b;01-04-2019;823/2019`, `${RANKED};III/c;01-10-2023;833/2023`]);
    historyFile('jabatan', ['NIP;JABATAN;TMT JABATAN', `${POSITIONS};Pengadministrasi;01-01-2012`, `${POSITIONS};Analis SDM;01-01-2016`, `${POSITIONS};Kepala Subbagian;01-01-2022`]);
    historyFile('pendidikan', ['NIP;TINGKAT PENDIDIKAN;JURUSAN;TAHUN LULUS;NOMOR IJAZAH', `${EDUCATED};SMA;IPA;2006;`, `${EDUCATED};S1;Ilmu Hukum;2010;UI/10/1`, `${EDUCATED};S2;Hukum Tata Negara;2018;UI/18/2`]);
    historyFile('pindah_instansi', ['NIP;INSTANSI ASAL;INSTANSI TUJUAN;TMT PINDAH;NOMOR SK', `${MOVED};Pemkab Bogor;Pemprov Jawa Barat;01-07-2021;800/PI/2021`]);
    historyFile('cltn', ['NIP;TMT CLTN;TANGGAL SELESAI;NOMOR SK', `${ON_LEAVE};01-01-2020;31-12-2021;CLTN/2019/4`]);
  });

  it('two rank changes with one SK held: one missing, and the checklist says which record the SK matches', () => {
    // Numbers are compared without spaces or case: clerks type them as the SK prints them.
    doc(RANKED, 'SK_PANGKAT', 'ready', { nomor: '823 /2019' });
    const item = completeness.employee(RANKED).items.find((i) => i.key === 'SK_PANGKAT')!;
    expect(item).toMatchObject({ status: 'missing', held: 1, expected: 2, basis: 'history' });
    expect(item.records).toEqual([
      { historyId: expect.any(Number), kind: 'golongan', label: 'III/b TMT 01-04-2019', nomorSk: '823/2019', matchedBy: 'nomor', documentId: expect.any(Number) },
      { historyId: expect.any(Number), kind: 'golongan', label: 'III/c TMT 01-10-2023', nomorSk: '833/2023', matchedBy: null, documentId: null },
    ]);
    // A second SK matched by its TMT fills the item; without history III/c is an entry rank and expects none.
    doc(RANKED, 'SK_PANGKAT', 'ready', { tmt: '2023-10-01' });
    const filled = completeness.employee(RANKED).items.find((i) => i.key === 'SK_PANGKAT')!;
    expect(filled).toMatchObject({ status: 'held', held: 2, expected: 2 });
    expect(filled.records.map((r) => r.matchedBy)).toEqual(['nomor', 'tmt']);
    expect(gaps(FRESH_PNS).SK_PANGKAT).toBe('not_required 0/0');
    expect(completeness.employee(FRESH_PNS).items.find((i) => i.key === 'SK_PANGKAT')!.basis).toBe('fallback');
  });

  it('three positions need three SK jabatan, though the employee record names no jabatan', () => {
    expect(gaps(POSITIONS).SK_JABATAN).toBe('missing 0/3');
    expect(completeness.employee(POSITIONS).items.find((i) => i.key === 'SK_JABATAN')!.records.map((r) => r.label)).toEqual([
      'Pengadministrasi TMT 01-01-2012',
      'Analis SDM TMT 01-01-2016',
      'Kepala Subbagian TMT 01-01-2022',
    ]);
  });

  it('S1 and S2 on record: an ijazah for each education, a transcript for each degree', () => {
    doc(EDUCATED, 'IJAZAH', 'ready', { nomor: 'UI/18/2' });
    // II/a would expect no transcript from the golongan; the history says two degrees.
    expect(gaps(EDUCATED)).toMatchObject({ IJAZAH: 'missing 1/3', TRANSKRIP: 'missing 0/2' });
    const ijazah = completeness.employee(EDUCATED).items.find((i) => i.key === 'IJAZAH')!;
    expect(ijazah.records.map((r) => [r.label, r.matchedBy])).toEqual([['SLTA IPA (2006)', null], ['S1 Ilmu Hukum (2010)', null], ['S2 Hukum Tata Negara (2018)', 'nomor']]);
  });

  it('a transfer expects its SK pindah instansi, in the kondisional weight', () => {
    for (const type of ['DRH', 'D2NP', 'SK_CPNS', 'SPMT', 'SK_PNS', 'IJAZAH', 'TRANSKRIP']) doc(MOVED, type);
    expect(gaps(MOVED).SK_PINDAH_INSTANSI).toBe('missing 0/1');
    // Possible 85 (see above); the transfer's 3 is all that is missing.
    expect(completeness.employee(MOVED)).toMatchObject({ score: Math.round((1000 * 82) / 85) / 10, missing: 1, lengkap: false });
    doc(MOVED, 'SK_PINDAH_INSTANSI');
    expect(completeness.employee(MOVED)).toMatchObject({ score: 100, lengkap: true });
  });

  it('a CLTN in the history expects its SK, whatever the kedudukan hukum says now', () => {
    expect(gaps(ON_LEAVE).SK_CLTN).toBe('missing 0/1');
    expect(completeness.employee(ON_LEAVE).items.find((i) => i.key === 'SK_CLTN')!.records[0].label).toBe('CLTN 01-01-2020 – 31-12-2021');
    expect(gaps(CLTN).SK_CLTN).toBe('missing 0/1'); // no records: the kedudukan hukum 02 fallback
  });

  it('history imported after the office was scored rescores the stored scores, and so does its removal', () => {
    for (const type of ['DRH', 'D2NP', 'SK_CPNS', 'SPMT', 'SK_PNS', 'IJAZAH']) doc(COMPLETE, type);
    expect(completeness.summary({}).total.lengkap).toBe(1);
    historyFile('pindah_instansi', ['NIP;INSTANSI ASAL;TMT PINDAH', `${COMPLETE};Pemkot Depok;01-02-2020`]);
    expect(completeness.summary({}).total.lengkap).toBe(0);
    expect(completeness.queue({ limit: 50, offset: 0 }).items.find((item) => item.nip === COMPLETE)!.gaps).toEqual(['SK_PINDAH_INSTANSI']);
    expect(ctx.db.prepare('SELECT count(*) AS n FROM completeness_dirty').get()).toEqual({ n: 0 });
    ctx.db.prepare('DELETE FROM employee_history WHERE nip = ?').run(COMPLETE);
    expect(completeness.summary({}).total.lengkap).toBe(1);
  });

  it('a rule set without the history counts gives other stored scores (the fingerprint covers it)', () => {
    const before = completeness.queue({ limit: 50, offset: 0 }).items.find((item) => item.nip === RANKED)!;
    expect(before.gaps).toContain('SK_PANGKAT');
    const noHistory = { ...rules, rules: rules.rules.map(({ history: _history, ...rule }) => rule) };
    const guessed = createCompleteness({ db: ctx.db, clock: fixedClock, translate: translateId, rules: () => noHistory, reference: () => reference });
    const after = guessed.queue({ limit: 50, offset: 0 }).items.find((item) => item.nip === RANKED)!;
    expect(after.gaps).not.toContain('SK_PANGKAT');
    expect(after.score).toBeGreaterThan(before.score);
  });

  it('a unit summary counts the history of that unit only', () => {
    ctx.db.prepare("UPDATE employees SET unit_kerja = 'Bidang Riwayat' WHERE nip IN (?, ?)").run(RANKED, MOVED);
    const unit = completeness.queue({ unitKerja: 'Bidang Riwayat', limit: 10, offset: 0 });
    expect(unit.items.map((item) => [item.nip, item.gaps.includes('SK_PANGKAT'), item.gaps.includes('SK_PINDAH_INSTANSI')]).sort()).toEqual([
      [RANKED, true, false],
      [MOVED, false, true],
    ].sort());
  });
});
