// Completeness of personnel files: per employee a checklist of held, missing and rejected
// archives and the skor arsip; per unit kerja and for the office the average score, the
// share Lengkap, the employees with the most gaps, and the work queue of folders to pull
// next. The rule set (common/completeness.ts) is compiled into one set-based SQL query: the
// documents are counted per NIP and rule in a single GROUP BY, joined to the employees, and
// scored in SQL, so 200,000 employees never loop through JS. Rules may count from the
// employee's history records (migration 016), counted per NIP in one more GROUP BY. The
// whole office's scores are stored (migration 008) and only the employees whose folder,
// record or history changed are scored again (bench/completeness.ts has the figures).
// The daily progress chart (migrations 013 and 018) keeps, per local day, the last figures
// of the office and of every unit kerja computed that day; the first computation of a day
// (or the app's scheduler tick: dailySnapshot) records them all, so no day goes without.

import type { ChecklistRecord, CompletenessRule, CompletenessRules, CompletenessSummary, EmployeeCompleteness, QueueItem, UnitCompleteness } from '../../../common/completeness';
import type { ReferenceData } from '../../../common/doctypes';
import { AppError } from '../../../common/errors';
import type { HistoryRecord } from '../../../common/history';
import type { Db } from '../../infra/db';
import { localDate } from '../../infra/reports/dates';
import { historyOf } from '../history';
import type { Clock, Translate } from '../ports';

/** Documents in these states do not count as held: a draft is not labelled yet. */
const NOT_HELD = ['draft', 'rejected'];
const REJECTED = 'rejected';
/**
 * A document a verifier sent back (document_review, migration 011) counts as rejected for
 * its item, not held, until the clerk relabels it (the review goes back to pending) or a
 * verifier approves it. `documents` is the documents table's name or alias in the query.
 */
const reviewRejected = (documents: string) => `EXISTS (SELECT 1 FROM document_review rv WHERE rv.document_id = ${documents}.id AND rv.state = 'rejected')`;
/** How many employees the summary lists as having the most gaps. */
export const MOST_GAPS = 10;

export interface CompletenessDeps {
  db: Db;
  /** Whose local date names the day of a progress snapshot. */
  clock: Clock;
  translate: Translate;
  rules: () => CompletenessRules;
  reference: () => ReferenceData;
}

function lit(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function list(values: readonly string[]): string {
  return values.map(lit).join(', ');
}

/**
 * The fewest rank SKs a PNS at each golongan must hold: steps from the highest entry rank
 * at or below it. Golongan are in the reference data's order (I/a up to IV/e).
 */
export function rankChangesByGolongan(rules: CompletenessRules, reference: Pick<ReferenceData, 'golongan'>): Map<string, number> {
  const ranks = reference.golongan.filter((g) => g.kind === 'pns').map((g) => g.code);
  const entries = new Set(rules.entryGolongan.codes);
  const counts = new Map<string, number>();
  let entry = -1;
  ranks.forEach((code, index) => {
    if (entries.has(code)) entry = index;
    counts.set(code, entry < 0 ? 0 : index - entry);
  });
  return counts;
}

/**
 * SQL for how many documents the rule expects of employee `e`; NULL when it does not apply
 * to the kind. A history rule counts the records r.n{i} when the employee has records of
 * its kind (r.k{i}), else falls back to the rule's own expectation.
 */
function expectedSql(rule: CompletenessRule, i: number, rankChanges: Map<string, number>): string {
  const conditions = [`e.kind IN (${list(rule.kinds)})`];
  const when: string[] = [];
  if (rule.when?.hasJabatan) when.push(`coalesce(trim(e.jabatan), '') <> ''`);
  if (rule.when?.kedudukanHukum) when.push(`e.kedudukan_hukum IN (${list(rule.when.kedudukanHukum)})`);
  if (rule.when?.golonganIn) when.push(`e.golongan IN (${list(rule.when.golonganIn)})`);
  const positive = [...rankChanges].filter(([, n]) => n > 0);
  // An NI PPPK whose contract digits read 00 (a typo, or the first contract counted from zero) still has one contract.
  const count =
    rule.expected === 'none'
      ? '0'
      : rule.expected === 'one'
      ? '1'
      : rule.expected === 'pppkContracts'
        ? `max(1, CAST(substr(e.nip, 13, 2) AS INTEGER))`
        : positive.length === 0
          ? '0'
          : `CASE e.golongan ${positive.map(([code, n]) => `WHEN ${lit(code)} THEN ${n}`).join(' ')} ELSE 0 END`;
  const fallback = when.length > 0 ? `CASE WHEN ${when.join(' AND ')} THEN ${count} ELSE 0 END` : count;
  const expected = rule.history ? `CASE WHEN coalesce(r.k${i}, 0) > 0 THEN max(r.n${i}${rule.history.afterFirst ? ' - 1' : ''}, 0) ELSE ${fallback} END` : fallback;
  return `CASE WHEN ${conditions.join(' AND ')} THEN ${expected} END`;
}

/**
 * The per-employee query: one row per employee with, for rule i, x{i} (expected, NULL if
 * the rule does not apply), h{i} (held), r{i} (rejected: the document's state, or a
 * verifier's rejection), and the score, the number missing and the keys of the rules with
 * gaps. `filter.documents` (over a `nip` column) narrows the documents, the history records
 * and the verifier-rejected documents alike, `filter.employees` the employees: a filter's
 * parameters are passed four times (perEmployeeParams): documents, history, reviews, employees.
 */
export function perEmployeeSql(rules: CompletenessRules, reference: Pick<ReferenceData, 'golongan'>, filter: { documents: string; employees: string }): string {
  const rankChanges = rankChangesByGolongan(rules, reference);
  // Documents are counted per (nip, type) over the covering index documents_completeness
  // (migration 008), in NIP order; each type then lands in its rule's column. A flat
  // sum(type_code IN (...)) per rule and row costs three times as much (bench/completeness.ts).
  const ruleOfType = `CASE type_code ${rules.rules.flatMap((rule, i) => rule.types.map((type) => `WHEN ${lit(type)} THEN ${i}`)).join(' ')} END`;
  const counts = rules.rules.flatMap((_rule, i) => [`sum(CASE WHEN k = ${i} THEN held END) AS h${i}`, `sum(CASE WHEN k = ${i} THEN rejected END) AS r${i}`]);
  // History records are counted per NIP in one GROUP BY over the covering index
  // employee_history_completeness (migration 016): k{i} records of the rule's kind, n{i} of
  // them that count (a degree, for the transcript).
  const historyCounts = rules.rules.flatMap((rule, i) => {
    if (!rule.history) return [];
    const ofKind = `kind = ${lit(rule.history.kind)}`;
    const counted = rule.history.tingkatIn ? `${ofKind} AND tingkat IN (${list(rule.history.tingkatIn)})` : ofKind;
    return [`sum(${ofKind}) AS k${i}`, `sum(${counted}) AS n${i}`];
  });
  // A verifier-rejected document was counted held by the GROUP BY above (its state is
  // 'ready'); v{i} moves it to rejected. Counted apart so the big GROUP BY keeps reading only
  // the covering index. For the whole office the rejected few are read from
  // document_review_state and their documents looked up; for a narrowed set (a NIP, the dirty
  // ones, a unit) their documents are read by NIP and each one's review looked up. CROSS JOIN
  // fixes that order: left to itself the planner reads every rejection for a handful of NIPs.
  const reviewJoin =
    filter.documents === '1'
      ? 'document_review rv CROSS JOIN documents d ON d.id = rv.document_id'
      : 'documents d CROSS JOIN document_review rv ON rv.document_id = d.id';
  const reviewCounts = rules.rules.map((_rule, i) => `sum(CASE WHEN k = ${i} THEN n END) AS v${i}`);
  const columns = rules.rules.flatMap((rule, i) => [
    `${expectedSql(rule, i, rankChanges)} AS x${i}`,
    `coalesce(h.h${i}, 0) - coalesce(v.v${i}, 0) AS h${i}`,
    `coalesce(h.r${i}, 0) + coalesce(v.v${i}, 0) AS r${i}`,
  ]);
  const earned = rules.rules.map((rule, i) => `CASE WHEN x${i} IS NULL THEN 0 WHEN x${i} = 0 THEN ${rule.weight} ELSE ${rule.weight} * min(h${i}, x${i}) * 1.0 / x${i} END`);
  const possible = rules.rules.map((rule, i) => `CASE WHEN x${i} IS NULL THEN 0 ELSE ${rule.weight} END`);
  const missing = rules.rules.map((_rule, i) => `max(coalesce(x${i}, 0) - h${i}, 0)`);
  const gaps = rules.rules.map((rule, i) => `CASE WHEN coalesce(x${i}, 0) > h${i} THEN ${lit(`${rule.key} `)} ELSE '' END`);
  // p is MATERIALIZED: flattened, every use of x{i} below would evaluate its CASE again.
  return `
WITH p AS MATERIALIZED (
  SELECT e.nip, e.nama, e.unit_kerja, ${columns.join(', ')}
  FROM employees e
  LEFT JOIN (
    SELECT nip, ${counts.join(', ')}
    FROM (
      SELECT nip, ${ruleOfType} AS k, sum(state NOT IN (${list(NOT_HELD)})) AS held, sum(state = ${lit(REJECTED)}) AS rejected
      FROM documents
      WHERE nip IS NOT NULL AND ${filter.documents}
      GROUP BY nip, type_code
    )
    WHERE k IS NOT NULL
    GROUP BY nip
  ) h ON h.nip = e.nip
  LEFT JOIN (
    SELECT nip, ${['count(*) AS records', ...historyCounts].join(', ')}
    FROM employee_history
    WHERE ${filter.documents}
    GROUP BY nip
  ) r ON r.nip = e.nip
  LEFT JOIN (
    SELECT nip, ${reviewCounts.join(', ')}
    FROM (
      SELECT nip, ${ruleOfType} AS k, count(*) AS n
      FROM ${reviewJoin}
      WHERE rv.state = 'rejected' AND nip IS NOT NULL AND d.state NOT IN (${list(NOT_HELD)}) AND ${filter.documents}
      GROUP BY nip, type_code
    )
    WHERE k IS NOT NULL
    GROUP BY nip
  ) v ON v.nip = e.nip
  WHERE ${filter.employees}
)
SELECT p.*,
  coalesce(round(100.0 * (${earned.join(' + ')}) / nullif(${possible.join(' + ')}, 0), 1), 100.0) AS score,
  ${missing.join(' + ')} AS missing,
  rtrim(${gaps.join(' || ')}) AS gaps
FROM p`;
}

/** The parameters of a filter's one `?` as perEmployeeSql uses them: documents, history, reviews, employees. */
export function perEmployeeParams<T>(value: T): [T, T, T, T] {
  return [value, value, value, value];
}

interface HeldDocument {
  id: number;
  type_code: string;
  nomor: string | null;
  tanggal: string | null;
  tmt: string | null;
}

/** The documents of a NIP that count as held (not a draft, not rejected by a verifier), with what a history record is matched on. */
const HELD_DOCUMENTS_SQL = `SELECT id, type_code, nomor, tanggal, json_extract(fields, '$.tmt') AS tmt FROM documents
WHERE nip = ? AND type_code IS NOT NULL AND state NOT IN (${list(NOT_HELD)}) AND NOT ${reviewRejected('documents')} ORDER BY id`;

/** The records a history rule counts, oldest first: its tingkat only, the entry record dropped. */
function countedRecords(rule: CompletenessRule, records: HistoryRecord[]): HistoryRecord[] {
  const tingkat = rule.history?.tingkatIn;
  const counted = tingkat ? records.filter((record) => record.tingkat !== null && tingkat.includes(record.tingkat)) : records;
  return rule.history?.afterFirst ? counted.slice(1) : counted;
}

function dmy(iso: string | null): string {
  return iso === null ? '?' : `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}`;
}

/** A short label of a record for the checklist: what the clerk finds on the SK. */
export function recordLabel(record: HistoryRecord): string {
  switch (record.kind) {
    case 'golongan':
      return `${record.golongan ?? '?'} TMT ${dmy(record.tmt)}`;
    case 'jabatan':
      return `${record.jabatan ?? '?'} TMT ${dmy(record.tmt)}`;
    case 'pendidikan':
      return [record.tingkat, record.jurusan, record.tahunLulus === null ? null : `(${record.tahunLulus})`].filter(Boolean).join(' ');
    case 'pindah_instansi':
      return `${record.instansiAsal ?? '?'} → ${record.instansiTujuan ?? '?'} TMT ${dmy(record.tmt)}`;
    case 'cltn':
      return `CLTN ${dmy(record.tmt)} – ${record.selesai === null ? '…' : dmy(record.selesai)}`;
  }
}

function sameNomor(a: string | null, b: string | null): boolean {
  const compact = (value: string) => value.toUpperCase().replace(/\s+/g, '');
  return a !== null && b !== null && a.trim() !== '' && compact(a) === compact(b);
}

/**
 * Which held document stands for each record: first by SK (or ijazah) number, then by TMT
 * or date; each document stands for one record only. Records left unmatched are still
 * counted against the held documents as a whole (the item's held/expected).
 */
function matchRecords(records: HistoryRecord[], documents: HeldDocument[]): ChecklistRecord[] {
  const used = new Set<number>();
  const nomorOf = (record: HistoryRecord) => (record.kind === 'pendidikan' ? record.nomorIjazah : record.nomorSk);
  const matches = new Map<HistoryRecord, { by: 'nomor' | 'tmt'; id: number }>();
  for (const record of records) {
    const doc = documents.find((d) => !used.has(d.id) && sameNomor(d.nomor, nomorOf(record)));
    if (doc) {
      used.add(doc.id);
      matches.set(record, { by: 'nomor', id: doc.id });
    }
  }
  for (const record of records) {
    if (matches.has(record) || record.tmt === null) continue;
    const doc = documents.find((d) => !used.has(d.id) && (d.tmt === record.tmt || d.tanggal === record.tmt));
    if (doc) {
      used.add(doc.id);
      matches.set(record, { by: 'tmt', id: doc.id });
    }
  }
  return records.map((record) => {
    const match = matches.get(record);
    return { historyId: record.id, kind: record.kind, label: recordLabel(record), nomorSk: nomorOf(record), matchedBy: match?.by ?? null, documentId: match?.id ?? null };
  });
}

interface ScoredRow {
  nip: string;
  nama: string;
  unit_kerja: string | null;
  score: number;
  missing: number;
  gaps: string;
  [column: string]: string | number | null;
}

interface UnitRow {
  unit_kerja: string | null;
  employees: number;
  score_sum: number;
  lengkap: number;
}

function queueItemFrom(row: ScoredRow): QueueItem {
  return {
    nip: row.nip,
    nama: row.nama,
    unitKerja: row.unit_kerja,
    score: row.score,
    gain: Math.round((100 - row.score) * 10) / 10,
    missing: row.missing,
    gaps: row.gaps === '' ? [] : row.gaps.split(' '),
  };
}

function unitFrom(unitKerja: string | null, employees: number, scoreSum: number, lengkap: number): UnitCompleteness {
  return {
    unitKerja,
    employees,
    averageScore: employees === 0 ? 0 : Math.round((scoreSum / employees) * 10) / 10,
    lengkap,
    lengkapShare: employees === 0 ? 0 : lengkap / employees,
  };
}

interface Statement {
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): unknown;
}

const ORDER_BY_GAIN = 'ORDER BY score ASC, missing DESC, nip ASC';
const SCORE_COLUMNS = 'nip, nama, unit_kerja, score, missing, gaps';
/** Past this share of employees changed, rescoring everyone is cheaper than one by one. */
const FULL_RESCORE_SHARE = 0.2;

/** A fingerprint of the rule set and reference data the stored scores were made with. */
function rulesFingerprint(rules: CompletenessRules, reference: Pick<ReferenceData, 'golongan'>): string {
  return JSON.stringify({ rules: rules.rules.map(({ key, types, kinds, expected, history, when, weight }) => ({ key, types, kinds, expected, history, when, weight })), entry: rules.entryGolongan.codes, golongan: reference.golongan.map((g) => g.code) });
}

export function createCompleteness(deps: CompletenessDeps) {
  const statements = new Map<string, Statement>();
  let compiledFor: CompletenessRules | null = null;
  const heldDocuments = deps.db.prepare(HELD_DOCUMENTS_SQL) as Statement;

  /** Forgets the compiled statements when the rule set was replaced. */
  function currentRules(): CompletenessRules {
    const rules = deps.rules();
    if (compiledFor !== rules) {
      statements.clear();
      compiledFor = rules;
    }
    return rules;
  }

  function prepare(name: string, build: (perEmployee: (filter: { documents: string; employees: string }) => string) => string): Statement {
    const rules = currentRules();
    let statement = statements.get(name);
    if (!statement) {
      statement = deps.db.prepare(build((filter) => perEmployeeSql(rules, deps.reference(), filter))) as Statement;
      statements.set(name, statement);
    }
    return statement;
  }

  /**
   * Brings completeness_scores (migration 008) up to date: everyone when the rule set
   * changed or most employees did, else only the employees the triggers listed as dirty.
   */
  function refreshScores(): void {
    const rules = currentRules();
    const fingerprint = rulesFingerprint(rules, deps.reference());
    const db = deps.db;
    const stored = db.prepare('SELECT rules FROM completeness_state WHERE id = 1').get() as { rules: string } | undefined;
    const dirty = (db.prepare('SELECT count(*) AS n FROM completeness_dirty').get() as { n: number }).n;
    if (stored?.rules === fingerprint && dirty === 0) return;
    db.transaction(() => {
      const employees = (db.prepare('SELECT count(*) AS n FROM employees').get() as { n: number }).n;
      if (stored?.rules !== fingerprint || dirty > employees * FULL_RESCORE_SHARE) {
        db.exec('DELETE FROM completeness_scores');
        prepare('fill:all', (per) => `INSERT INTO completeness_scores (${SCORE_COLUMNS}) SELECT ${SCORE_COLUMNS} FROM (${per({ documents: '1', employees: '1' })})`).run();
        db.prepare('INSERT INTO completeness_state (id, rules) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET rules = excluded.rules').run(fingerprint);
      } else {
        db.exec('DELETE FROM completeness_scores WHERE nip IN (SELECT nip FROM completeness_dirty)');
        const filter = { documents: 'nip IN (SELECT nip FROM completeness_dirty)', employees: 'e.nip IN (SELECT nip FROM completeness_dirty)' };
        prepare('fill:dirty', (per) => `INSERT INTO completeness_scores (${SCORE_COLUMNS}) SELECT ${SCORE_COLUMNS} FROM (${per(filter)})`).run();
      }
      db.exec('DELETE FROM completeness_dirty');
    })();
  }

  function officeRows(): { from: string; params: unknown[]; materialized: '' } {
    refreshScores();
    return { from: 'completeness_scores', params: [], materialized: '' };
  }

  /** The scored employees of a unit (one pass over its folders), or of the whole office. */
  function scored(unitKerja: string | undefined): { from: string; params: unknown[]; materialized: '' | 'MATERIALIZED' } {
    if (unitKerja === undefined) return officeRows();
    const filter = { documents: 'nip IN (SELECT nip FROM employees WHERE unit_kerja = ?)', employees: 'e.unit_kerja = ?' };
    return { from: `(${perEmployeeSql(deps.rules(), deps.reference(), filter)})`, params: perEmployeeParams(unitKerja), materialized: 'MATERIALIZED' };
  }

  function queue(input: { unitKerja?: string; limit: number; offset: number }): { items: QueueItem[]; total: number } {
    dailySnapshot();
    return queuePage(input);
  }

  function queuePage(input: { unitKerja?: string; limit: number; offset: number }): { items: QueueItem[]; total: number } {
    const source = scored(input.unitKerja);
    const statement = prepare(`queue:${input.unitKerja === undefined ? 'office' : 'unit'}`, () => `
SELECT *, count(*) OVER () AS total FROM ${source.from} WHERE missing > 0 ${ORDER_BY_GAIN} LIMIT ? OFFSET ?`);
    const rows = statement.all(...source.params, input.limit, input.offset) as (ScoredRow & { total: number })[];
    // Past the last page the window has no row to report the total on.
    const total = rows[0]?.total ?? (input.offset > 0 ? queuePage({ ...input, offset: 0, limit: 1 }).total : 0);
    return { items: rows.map(queueItemFrom), total };
  }

  function summarize(input: { unitKerja?: string }): CompletenessSummary {
    const source = scored(input.unitKerja);
    // A unit's rows are MATERIALIZED: read twice (units, most gaps), they must cost one pass.
    const statement = prepare(`summary:${input.unitKerja === undefined ? 'office' : 'unit'}`, () => `
WITH scored AS ${source.materialized} (SELECT * FROM ${source.from})
SELECT 'unit' AS part, unit_kerja, count(*) AS employees, sum(score) AS score_sum, sum(missing = 0) AS lengkap, NULL AS row
FROM scored GROUP BY unit_kerja
UNION ALL
SELECT 'gaps', NULL, NULL, NULL, NULL, json_object('nip', nip, 'nama', nama, 'unit_kerja', unit_kerja, 'score', score, 'missing', missing, 'gaps', gaps)
FROM (SELECT * FROM scored WHERE missing > 0 ORDER BY missing DESC, score ASC, nip ASC LIMIT ${MOST_GAPS})`);
    const rows = statement.all(...source.params) as (UnitRow & { part: 'unit' | 'gaps'; row: string | null })[];
    const unitRows = rows.filter((row) => row.part === 'unit');
    const units = unitRows.map((row) => unitFrom(row.unit_kerja, row.employees, row.score_sum, row.lengkap));
    units.sort((a, b) => a.averageScore - b.averageScore || (a.unitKerja ?? '').localeCompare(b.unitKerja ?? ''));
    const sum = (pick: (row: UnitRow) => number) => unitRows.reduce((total, row) => total + pick(row), 0);
    return {
      total: unitFrom(input.unitKerja ?? null, sum((row) => row.employees), sum((row) => row.score_sum), sum((row) => row.lengkap)),
      units,
      mostGaps: rows.filter((row) => row.part === 'gaps').map((row) => queueItemFrom(JSON.parse(row.row!) as ScoredRow)),
    };
  }

  /** The local day whose snapshot is known to be stored; saves a read on every call. */
  let snapshotDay: string | null = null;
  // Prepared once: an office summary rewrites the office's row and every unit's (600 and more).
  const upsertOfficeDay = deps.db.prepare(
    `INSERT INTO completeness_daily (day, employees, average_score, lengkap, recorded_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (day) DO UPDATE SET employees = excluded.employees, average_score = excluded.average_score, lengkap = excluded.lengkap, recorded_at = excluded.recorded_at`,
  );
  const upsertUnitDay = deps.db.prepare(
    `INSERT INTO completeness_daily_units (day, unit_kerja, employees, average_score, lengkap, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (unit_kerja, day) DO UPDATE SET employees = excluded.employees, average_score = excluded.average_score, lengkap = excluded.lengkap, recorded_at = excluded.recorded_at`,
  );

  /**
   * Records today's figures for the progress chart, so the day's point is the last figures
   * computed that day: an office summary rewrites the office's and every unit's, a unit's
   * summary that unit's. Any other computation (the work queue, the chart, the scheduler's
   * tick: nothing fresh in hand) takes the office and every unit once a day, when nothing
   * of today is stored yet, so a day nobody opened the view still has its point.
   */
  function dailySnapshot(fresh: { office?: CompletenessSummary; unit?: UnitCompleteness } = {}): void {
    const now = deps.clock.now();
    const day = localDate(now);
    const at = now.toISOString();
    const db = deps.db;
    const writeOffice = (office: UnitCompleteness) => upsertOfficeDay.run(day, office.employees, office.averageScore, office.lengkap, at);
    const writeUnit = (unit: UnitCompleteness) => {
      if (unit.unitKerja !== null) upsertUnitDay.run(day, unit.unitKerja, unit.employees, unit.averageScore, unit.lengkap, at);
    };
    const writeAll = db.transaction((summary: CompletenessSummary) => {
      writeOffice(summary.total);
      summary.units.forEach(writeUnit);
    });
    if (fresh.office) writeAll(fresh.office);
    else if (snapshotDay !== day && !db.prepare('SELECT 1 FROM completeness_daily WHERE day = ?').get(day)) writeAll(summarize({}));
    snapshotDay = day;
    if (fresh.unit) writeUnit(fresh.unit);
  }

  return {
    employee(nip: string): EmployeeCompleteness {
      const statement = prepare('employee', (per) => per({ documents: 'nip = ?', employees: 'e.nip = ?' }));
      const row = statement.get(...perEmployeeParams(nip)) as ScoredRow | undefined;
      if (!row) throw new AppError('not_found', deps.translate('employees.not_found', { nip }));
      const history = historyOf(deps.db, nip);
      const documents = heldDocuments.all(nip) as HeldDocument[];
      const items = deps.rules().rules.flatMap((rule, i) => {
        const expected = row[`x${i}`] as number | null;
        if (expected === null) return [];
        const held = row[`h${i}`] as number;
        const rejected = row[`r${i}`] as number;
        const status = expected === 0 ? 'not_required' : held >= expected ? 'held' : rejected > 0 ? 'rejected' : 'missing';
        const ofKind = rule.history ? history.filter((record) => record.kind === rule.history!.kind) : [];
        const basis = !rule.history ? 'rule' : ofKind.length > 0 ? 'history' : 'fallback';
        const records = basis === 'history' ? matchRecords(countedRecords(rule, ofKind), documents.filter((doc) => rule.types.includes(doc.type_code))) : [];
        return [{ key: rule.key, label: rule.label, types: rule.types, group: rule.group, weight: rule.weight, expected, held, rejected, status, basis, records } as const];
      });
      return { nip: row.nip, score: row.score, lengkap: row.missing === 0, missing: row.missing, items };
    },

    summary(input: { unitKerja?: string }): CompletenessSummary {
      const result = summarize(input);
      dailySnapshot(input.unitKerja === undefined ? { office: result } : { unit: result.total });
      return result;
    },

    queue,
    dailySnapshot,
  };
}

export type CompletenessService = ReturnType<typeof createCompleteness>;

export { COMPLETENESS_FILE, loadCompletenessRules } from './rules';
