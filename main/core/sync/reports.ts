// Stored sync run reports (migration 009): a run is written down when it starts, each
// document as it ends (in the transaction that ends it), and the run's end last; the
// counts are read from the items, so a run the process did not survive still reports what
// it did. Also the report as a ReportDoc (main/infra/reports renders it as CSV or PDF):
// the run's facts, then one row per document with its outcome and reason.
import type { SyncRunItem, SyncRunReport, SyncRunSummary, SyncTrigger } from '../../../common/contract';
import { statement, type Db } from '../../infra/db';
import type { ReportDoc } from '../../infra/reports/types';
import type { Translate } from '../ports';

type Phase = SyncRunSummary['phase'];

interface RunRow {
  id: string;
  actor: string;
  trigger: SyncTrigger;
  started_at: string;
  ended_at: string | null;
  phase: Phase;
  stopped: 'session_revoked' | null;
  total: number;
  bytes_total: number;
  bytes_sent: number;
  verified: number;
  rejected: number;
  conflict: number;
  waiting: number;
}

const SUMMARY = `
  SELECT r.id, r.actor, r.trigger, r.started_at, r.ended_at, r.phase, r.stopped, r.total, r.bytes_total, r.bytes_sent,
         count(i.document_id) FILTER (WHERE i.outcome = 'verified') AS verified,
         count(i.document_id) FILTER (WHERE i.outcome = 'rejected') AS rejected,
         count(i.document_id) FILTER (WHERE i.outcome = 'conflict') AS conflict,
         count(i.document_id) FILTER (WHERE i.outcome = 'waiting') AS waiting
  FROM sync_runs r LEFT JOIN sync_run_items i ON i.run_id = r.id`;

function summaryOf(row: RunRow): SyncRunSummary {
  return {
    runId: row.id,
    actor: row.actor,
    trigger: row.trigger,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    phase: row.phase,
    stopped: row.stopped,
    total: row.total,
    verified: row.verified,
    rejected: row.rejected,
    conflict: row.conflict,
    waiting: row.waiting,
    bytesTotal: row.bytes_total,
    bytesSent: row.bytes_sent,
  };
}

export function createRunLog(db: Db) {
  return {
    begin(run: { runId: string; userId: number; actor: string; trigger: SyncTrigger; at: string; total: number; bytesTotal: number }): void {
      db.prepare(
        `INSERT INTO sync_runs (id, user_id, actor, trigger, started_at, phase, total, bytes_total) VALUES (?, ?, ?, ?, ?, 'running', ?, ?)`,
      ).run(run.runId, run.userId, run.actor, run.trigger, run.at, run.total, run.bytesTotal);
    },

    /** A document's outcome in this run; a later outcome of the same document replaces it. */
    item(runId: string, item: SyncRunItem, bytesSent?: number): void {
      statement(
        db,
        `INSERT INTO sync_run_items (run_id, document_id, name, nip, outcome, code, reason, size, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id, document_id) DO UPDATE SET outcome = excluded.outcome, code = excluded.code, reason = excluded.reason, at = excluded.at`,
      ).run(runId, item.documentId, item.name, item.nip, item.outcome, item.code, item.reason, item.size, item.at);
      if (bytesSent !== undefined) statement(db, 'UPDATE sync_runs SET bytes_sent = ? WHERE id = ?').run(bytesSent, runId);
    },

    end(runId: string, end: { at: string; phase: Exclude<Phase, 'running'>; stopped: 'session_revoked' | null; bytesSent: number }): void {
      db.prepare('UPDATE sync_runs SET ended_at = ?, phase = ?, stopped = ?, bytes_sent = ? WHERE id = ?').run(end.at, end.phase, end.stopped, end.bytesSent, runId);
    },

    list(limit: number, offset: number): { items: SyncRunSummary[]; total: number } {
      const rows = db.prepare(`${SUMMARY} GROUP BY r.id ORDER BY r.started_at DESC, r.rowid DESC LIMIT ? OFFSET ?`).all(limit, offset) as RunRow[];
      const { n } = db.prepare('SELECT count(*) AS n FROM sync_runs').get() as { n: number };
      return { items: rows.map(summaryOf), total: n };
    },

    get(runId: string): SyncRunReport | null {
      const row = db.prepare(`${SUMMARY} WHERE r.id = ? GROUP BY r.id`).get(runId) as RunRow | undefined;
      if (!row) return null;
      const items = db
        .prepare('SELECT document_id, name, nip, outcome, code, reason, size, at FROM sync_run_items WHERE run_id = ? ORDER BY document_id')
        .all(runId) as { document_id: number; name: string; nip: string | null; outcome: SyncRunItem['outcome']; code: string | null; reason: string | null; size: number; at: string }[];
      return {
        ...summaryOf(row),
        items: items.map((i) => ({ documentId: i.document_id, name: i.name, nip: i.nip, outcome: i.outcome, code: i.code, reason: i.reason, size: i.size, at: i.at })),
      };
    },

    /** When the last run of this trigger started (the scheduler runs once a day). */
    lastStarted(trigger: SyncTrigger): string | null {
      const row = db.prepare('SELECT max(started_at) AS at FROM sync_runs WHERE trigger = ?').get(trigger) as { at: string | null };
      return row.at;
    },
  };
}

export type RunLog = ReturnType<typeof createRunLog>;

/** A stored run as a report: what went, what was refused and why, what is still waiting. */
export function runReportDoc(report: SyncRunReport, p: { agency: string; translate: Translate; generatedAt: Date }): ReportDoc {
  const { translate } = p;
  const facts: [string, string][] = [
    [translate('sync.report_run'), report.runId],
    [translate('sync.report_operator'), report.actor],
    [translate('sync.report_trigger'), translate(`sync.trigger_${report.trigger}`)],
    [translate('sync.report_started'), report.startedAt],
    [translate('sync.report_ended'), report.endedAt ?? '-'],
    [translate('sync.report_phase'), translate(`sync.phase_${report.phase}`)],
    [translate('sync.report_counts_label'), translate('sync.report_counts', { total: report.total, verified: report.verified, rejected: report.rejected, conflict: report.conflict, waiting: report.waiting })],
    [translate('sync.report_bytes'), translate('sync.report_bytes_value', { sent: report.bytesSent, total: report.bytesTotal })],
  ];
  if (report.stopped) facts.push([translate('sync.report_stopped'), translate('sync.session_revoked')]);
  return {
    agency: p.agency,
    title: translate('sync.report_title'),
    subtitle: report.runId,
    facts,
    tables: [
      {
        columns: ['no', 'document_id', 'name', 'nip', 'outcome', 'code', 'reason', 'size', 'at'].map((c) => translate(`sync.col_${c}` as Parameters<Translate>[0])),
        widths: [4, 6, 22, 16, 10, 10, 22, 8, 14],
        rows: report.items.map((item, index) => [
          index + 1,
          item.documentId,
          item.name,
          item.nip,
          translate(`sync.outcome_${item.outcome}`),
          item.code,
          item.reason,
          item.size,
          item.at,
        ]),
      },
    ],
    generatedAt: p.generatedAt,
    pageLabel: (page, pages) => translate('sync.report_page', { page, pages }),
  };
}
