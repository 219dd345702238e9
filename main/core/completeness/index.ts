// Completeness of personnel files: per employee a checklist of held, missing and rejected
// archives and the skor arsip; per unit kerja and for the office the average score, the
// share Lengkap, the employees with the most gaps, and the work queue of folders to pull
// next. The rule set (common/completeness.ts) is compiled into one set-based SQL query: the
// documents are counted per NIP and rule in a single GROUP BY, joined to the employees, and
// scored in SQL, so 200,000 employees never loop through JS. The whole office's scores are
// stored (migration 008) and only the employees whose folder changed are scored again
// (bench/completeness.ts has the figures).

import type { CompletenessRule, CompletenessRules, CompletenessSummary, EmployeeCompleteness, QueueItem, UnitCompleteness } from '../../../common/completeness';
import type { ReferenceData } from '../../../common/doctypes';
import { AppError } from '../../../common/errors';
import type { Db } from '../../infra/db';
import type { Translate } from '../ports';

/** Documents in these states do not count as held: a draft is not labelled yet. */
const NOT_HELD = ['draft', 'rejected'];
const REJECTED = 'rejected';
/** How many employees the summary lists as having the most gaps. */
export const MOST_GAPS = 10;

export interface CompletenessDeps {
  db: Db;
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

/** SQL for how many documents the rule expects of employee `e`; NULL when it does not apply to the kind. */
function expectedSql(rule: CompletenessRule, rankChanges: Map<string, number>): string {
  const conditions = [`e.kind IN (${list(rule.kinds)})`];
  const when: string[] = [];
  if (rule.when?.hasJabatan) when.push(`coalesce(trim(e.jabatan), '') <> ''`);
  if (rule.when?.kedudukanHukum) when.push(`e.kedudukan_hukum IN (${list(rule.when.kedudukanHukum)})`);
  if (rule.when?.golonganIn) when.push(`e.golongan IN (${list(rule.when.golonganIn)})`);
  const positive = [...rankChanges].filter(([, n]) => n > 0);
  // An NI PPPK whose contract digits read 00 (a typo, or the first contract counted from zero) still has one contract.
  const count =
    rule.expected === 'one'
      ? '1'
      : rule.expected === 'pppkContracts'
        ? `max(1, CAST(substr(e.nip, 13, 2) AS INTEGER))`
        : positive.length === 0
          ? '0'
          : `CASE e.golongan ${positive.map(([code, n]) => `WHEN ${lit(code)} THEN ${n}`).join(' ')} ELSE 0 END`;
  const expected = when.length > 0 ? `CASE WHEN ${when.join(' AND ')} THEN ${count} ELSE 0 END` : count;
  return `CASE WHEN ${conditions.join(' AND ')} THEN ${expected} END`;
}

/**
 * The per-employee query: one row per employee with, for rule i, x{i} (expected, NULL if
 * the rule does not apply), h{i} (held), r{i} (rejected), and the score, the number missing
 * and the keys of the rules with gaps. `docFilter`/`employeeFilter` narrow both sides alike.
 */
export function perEmployeeSql(rules: CompletenessRules, reference: Pick<ReferenceData, 'golongan'>, filter: { documents: string; employees: string }): string {
  const rankChanges = rankChangesByGolongan(rules, reference);
  // Documents are counted per (nip, type) over the covering index documents_completeness
  // (migration 008), in NIP order; each type then lands in its rule's column. A flat
  // sum(type_code IN (...)) per rule and row costs three times as much (bench/completeness.ts).
  const ruleOfType = `CASE type_code ${rules.rules.flatMap((rule, i) => rule.types.map((type) => `WHEN ${lit(type)} THEN ${i}`)).join(' ')} END`;
  const counts = rules.rules.flatMap((_rule, i) => [`sum(CASE WHEN k = ${i} THEN held END) AS h${i}`, `sum(CASE WHEN k = ${i} THEN rejected END) AS r${i}`]);
  const columns = rules.rules.flatMap((rule, i) => [`${expectedSql(rule, rankChanges)} AS x${i}`, `coalesce(h.h${i}, 0) AS h${i}`, `coalesce(h.r${i}, 0) AS r${i}`]);
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
  WHERE ${filter.employees}
)
SELECT p.*,
  coalesce(round(100.0 * (${earned.join(' + ')}) / nullif(${possible.join(' + ')}, 0), 1), 100.0) AS score,
  ${missing.join(' + ')} AS missing,
  rtrim(${gaps.join(' || ')}) AS gaps
FROM p`;
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
  return JSON.stringify({ rules: rules.rules.map(({ key, types, kinds, expected, when, weight }) => ({ key, types, kinds, expected, when, weight })), entry: rules.entryGolongan.codes, golongan: reference.golongan.map((g) => g.code) });
}

export function createCompleteness(deps: CompletenessDeps) {
  const statements = new Map<string, Statement>();
  let compiledFor: CompletenessRules | null = null;

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
    return { from: `(${perEmployeeSql(deps.rules(), deps.reference(), filter)})`, params: [unitKerja, unitKerja], materialized: 'MATERIALIZED' };
  }

  function queue(input: { unitKerja?: string; limit: number; offset: number }): { items: QueueItem[]; total: number } {
    const source = scored(input.unitKerja);
    const statement = prepare(`queue:${input.unitKerja === undefined ? 'office' : 'unit'}`, () => `
SELECT *, count(*) OVER () AS total FROM ${source.from} WHERE missing > 0 ${ORDER_BY_GAIN} LIMIT ? OFFSET ?`);
    const rows = statement.all(...source.params, input.limit, input.offset) as (ScoredRow & { total: number })[];
    // Past the last page the window has no row to report the total on.
    const total = rows[0]?.total ?? (input.offset > 0 ? queue({ ...input, offset: 0, limit: 1 }).total : 0);
    return { items: rows.map(queueItemFrom), total };
  }

  return {
    employee(nip: string): EmployeeCompleteness {
      const statement = prepare('employee', (per) => per({ documents: 'nip = ?', employees: 'e.nip = ?' }));
      const row = statement.get(nip, nip) as ScoredRow | undefined;
      if (!row) throw new AppError('not_found', deps.translate('employees.not_found', { nip }));
      const items = deps.rules().rules.flatMap((rule, i) => {
        const expected = row[`x${i}`] as number | null;
        if (expected === null) return [];
        const held = row[`h${i}`] as number;
        const rejected = row[`r${i}`] as number;
        const status = expected === 0 ? 'not_required' : held >= expected ? 'held' : rejected > 0 ? 'rejected' : 'missing';
        return [{ key: rule.key, label: rule.label, types: rule.types, group: rule.group, weight: rule.weight, expected, held, rejected, status } as const];
      });
      return { nip: row.nip, score: row.score, lengkap: row.missing === 0, missing: row.missing, items };
    },

    summary(input: { unitKerja?: string }): CompletenessSummary {
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
    },

    queue,
  };
}

export type CompletenessService = ReturnType<typeof createCompleteness>;

export { COMPLETENESS_FILE, loadCompletenessRules } from './rules';
