// The completeness rule set (resources/completeness.json): which archives each employee must
// hold by status and history, and the weights of the "skor arsip". Rules are data so a
// clerk's office can correct them without a release; this module knows their shape, checks
// them against the reference data, and declares what the completeness calls answer.

import { z } from 'zod';
import { Localized, type ReferenceData } from './doctypes';
import { HistoryKind } from './history';

const Code = z.string().min(1).max(20);

export const CompletenessRule = z
  .object({
    /** Stable key of the checklist item (the work queue names gaps by it). */
    key: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
    label: Localized,
    /** A labelled document of any of these types counts toward the item. */
    types: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/)).min(1),
    kinds: z.array(z.enum(['pns', 'pppk'])).min(1),
    /**
     * How many documents the history calls for: one, one per rank change since entry, or (PPPK)
     * one per work contract, which the NI PPPK counts in its digits 13-14; none for a rule
     * that expects something only from history records.
     */
    expected: z.enum(['one', 'rankChanges', 'pppkContracts', 'none']),
    /**
     * Count the expected documents from the employee's history records of this kind (one
     * per record), when the employee has any; `expected` and `when` are then the fallback
     * for an employee without records of the kind.
     */
    history: z
      .object({
        kind: HistoryKind,
        /** Only records whose tingkat is one of these count (education: degrees for a transcript). */
        tingkatIn: z.array(Code).min(1).optional(),
        /** The earliest record is covered by another archive (the entry rank by the SK CPNS). */
        afterFirst: z.literal(true).optional(),
      })
      .strict()
      .optional(),
    /** The item is expected only when all of these hold; otherwise it counts in full. */
    when: z
      .object({
        hasJabatan: z.literal(true).optional(),
        kedudukanHukum: z.array(Code).min(1).optional(),
        golonganIn: z.array(Code).min(1).optional(),
      })
      .strict()
      .optional(),
    weight: z.number().positive().max(100),
    group: z.enum(['utama', 'kondisional']),
    /** Where the rule and its weight come from, or that it is a default to confirm. */
    source: z.string().min(1),
  })
  .strict();
export type CompletenessRule = z.infer<typeof CompletenessRule>;

export const CompletenessRules = z
  .object({
    version: z.string().min(1),
    formula: z.string().min(1),
    source: z.string().min(1),
    entryGolongan: z.object({ codes: z.array(Code).min(1), source: z.string().min(1) }).strict(),
    rules: z.array(CompletenessRule).min(1),
  })
  .strict();
export type CompletenessRules = z.infer<typeof CompletenessRules>;

/** Cross-checks a schema cannot make: unique keys, and every type and code known to the reference data. */
export function completenessRulesProblems(rules: CompletenessRules, reference: Pick<ReferenceData, 'documentTypes' | 'golongan' | 'kedudukanHukum'>): string[] {
  const problems: string[] = [];
  const types = new Set(reference.documentTypes.map((type) => type.code));
  const golongan = new Set(reference.golongan.map((g) => g.code));
  const pnsGolongan = new Set(reference.golongan.filter((g) => g.kind === 'pns').map((g) => g.code));
  const kedudukan = new Set(reference.kedudukanHukum.map((k) => k.code));
  const keys = new Set<string>();
  const ruleOfType = new Map<string, string>();
  for (const code of rules.entryGolongan.codes) if (!pnsGolongan.has(code)) problems.push(`entryGolongan: unknown PNS golongan ${code}`);
  for (const rule of rules.rules) {
    if (keys.has(rule.key)) problems.push(`duplicate rule key ${rule.key}`);
    keys.add(rule.key);
    for (const type of rule.types) {
      if (!types.has(type)) problems.push(`${rule.key}: unknown document type ${type}`);
      // A document counts toward one item only, or one scan would fill two gaps.
      const other = ruleOfType.get(type);
      if (other !== undefined) problems.push(`${rule.key}: document type ${type} already counts for ${other}`);
      ruleOfType.set(type, rule.key);
    }
    for (const code of rule.when?.golonganIn ?? []) if (!golongan.has(code)) problems.push(`${rule.key}: unknown golongan ${code}`);
    for (const code of rule.when?.kedudukanHukum ?? []) if (!kedudukan.has(code)) problems.push(`${rule.key}: unknown kedudukan hukum ${code}`);
  }
  return problems;
}

/** Parses the rule file's JSON; throws an Error whose message names the first problems. */
export function parseCompletenessRules(raw: unknown, reference: Pick<ReferenceData, 'documentTypes' | 'golongan' | 'kedudukanHukum'>): CompletenessRules {
  const parsed = CompletenessRules.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; '));
  const problems = completenessRulesProblems(parsed.data, reference);
  if (problems.length > 0) throw new Error(problems.slice(0, 5).join('; '));
  return parsed.data;
}

// What the completeness calls answer (common/contract.ts).

export const ChecklistStatus = z.enum(['held', 'missing', 'rejected', 'not_required']);
export type ChecklistStatus = z.infer<typeof ChecklistStatus>;

/** A history record behind a checklist item's expectation, and the held document that matches it. */
export const ChecklistRecord = z.object({
  /** The record's row in this workstation's history (employee_history.id). */
  historyId: z.number().int(),
  kind: HistoryKind,
  /** Short, e.g. "III/b TMT 01-04-2019" or the jabatan name. */
  label: z.string(),
  nomorSk: z.string().nullable(),
  /** How a held document of the rule's types matched: its nomor, or its TMT/tanggal; null when none did. */
  matchedBy: z.enum(['nomor', 'tmt']).nullable(),
  documentId: z.number().int().nullable(),
});
export type ChecklistRecord = z.infer<typeof ChecklistRecord>;

export const ChecklistItem = z.object({
  key: z.string(),
  label: Localized,
  types: z.array(z.string()),
  group: z.enum(['utama', 'kondisional']),
  weight: z.number(),
  expected: z.number().int(),
  held: z.number().int(),
  rejected: z.number().int(),
  status: ChecklistStatus,
  /** What the expectation came from: the rule alone, history records, or the rule's fallback for an employee without records. */
  basis: z.enum(['rule', 'history', 'fallback']),
  /** The history records counted (basis 'history'), oldest first. */
  records: z.array(ChecklistRecord),
});
export type ChecklistItem = z.infer<typeof ChecklistItem>;

export const EmployeeCompleteness = z.object({
  nip: z.string(),
  /** Skor arsip, 0-100, one decimal. */
  score: z.number(),
  lengkap: z.boolean(),
  /** Documents still missing over all items. */
  missing: z.number().int(),
  items: z.array(ChecklistItem),
});
export type EmployeeCompleteness = z.infer<typeof EmployeeCompleteness>;

/** A separator sheet an item calls for: the type to print, and the history record it stands for, if any. */
export interface WantedSheet {
  typeCode: string;
  historyId: number | null;
}

/**
 * The separator sheets a missing or rejected item calls for: one per history record no held
 * document matches when the item is counted from records (each sheet names its record),
 * otherwise one per document still to come, and at least one.
 */
export function wantedSheets(item: ChecklistItem): WantedSheet[] {
  if (item.status !== 'missing' && item.status !== 'rejected') return [];
  const typeCode = item.types[0];
  const open = item.basis === 'history' ? item.records.filter((record) => record.documentId === null) : [];
  if (open.length > 0) return open.map((record) => ({ typeCode, historyId: record.historyId }));
  return Array.from({ length: Math.max(1, item.expected - item.held) }, () => ({ typeCode, historyId: null }));
}

export const QueueItem = z.object({
  nip: z.string(),
  nama: z.string(),
  unitKerja: z.string().nullable(),
  score: z.number(),
  /** What the employee's score rises by when the folder is complete. */
  gain: z.number(),
  missing: z.number().int(),
  /** Keys of the rules with something missing. */
  gaps: z.array(z.string()),
});
export type QueueItem = z.infer<typeof QueueItem>;

export const UnitCompleteness = z.object({
  unitKerja: z.string().nullable(),
  employees: z.number().int(),
  averageScore: z.number(),
  lengkap: z.number().int(),
  /** Share of employees Lengkap, 0-1. */
  lengkapShare: z.number(),
});
export type UnitCompleteness = z.infer<typeof UnitCompleteness>;

export const CompletenessSummary = z.object({
  /** The whole office, or the unit asked for. */
  total: UnitCompleteness,
  units: z.array(UnitCompleteness),
  mostGaps: z.array(QueueItem),
});
export type CompletenessSummary = z.infer<typeof CompletenessSummary>;
