// The retention schedule (JRA, resources/retention.json) and the lifecycle it gives each
// document of a personnel file: active, inactive, then proposed Musnah or Statis. The
// schedule is data because Peraturan ANRI 22/2017's tables could not be confirmed: every
// value ships as a default with its source beside it, and an admin may override a type.
// This module knows the file's shape, the pure lifecycle rule, and what the retention
// calls answer; main/core/retention applies it to the database.

import { z } from 'zod';
import { anniversary, compareDates, formatIsoDate, parseIsoDate, type CalendarDate } from './dates';
import type { ReferenceData } from './doctypes';

const Code = z.string().min(1).max(20);
const TypeCode = z.string().regex(/^[A-Z][A-Z0-9_]*$/);
const Years = z.number().int().min(0).max(100);
/** Where a value comes from, or that it is a default to confirm. */
const Source = z.string().min(1);

export const DISPOSITIONS = ['musnah', 'permanen', 'berkas_perseorangan'] as const;
export const Disposition = z.enum(DISPOSITIONS);
export type Disposition = z.infer<typeof Disposition>;
/** What finally happens to a file: destroyed, or kept as a static archive and handed over. */
export const FinalDisposition = z.enum(['musnah', 'permanen']);
export type FinalDisposition = z.infer<typeof FinalDisposition>;

export const JraEntry = z.object({ typeCode: TypeCode, activeYears: Years, inactiveYears: Years, disposition: Disposition, source: Source }).strict();
export type JraEntry = z.infer<typeof JraEntry>;

export const JraSchedule = z
  .object({
    version: z.string().min(1),
    regulation: z.string().min(1),
    /** False while the regulation's own tables are unconfirmed: the UI says the values are defaults. */
    confirmed: z.boolean(),
    note: z.string().min(1),
    leaveCodes: z.object({ codes: z.array(Code).min(1), source: Source }).strict(),
    punahCode: z.object({ code: Code, source: Source }).strict(),
    personalFile: z.object({ inactiveYears: Years, disposition: FinalDisposition, source: Source }).strict(),
    fallback: JraEntry.omit({ typeCode: true }),
    entries: z.array(JraEntry),
  })
  .strict();
export type JraSchedule = z.infer<typeof JraSchedule>;

/** Cross-checks a schema cannot make: every type and status code known to the reference data, no type twice. */
export function jraProblems(schedule: JraSchedule, reference: Pick<ReferenceData, 'documentTypes' | 'kedudukanHukum'>): string[] {
  const problems: string[] = [];
  const types = new Set(reference.documentTypes.map((type) => type.code));
  const codes = new Set(reference.kedudukanHukum.map((k) => k.code));
  const seen = new Set<string>();
  for (const entry of schedule.entries) {
    if (!types.has(entry.typeCode)) problems.push(`entries: unknown document type ${entry.typeCode}`);
    if (seen.has(entry.typeCode)) problems.push(`entries: ${entry.typeCode} listed twice`);
    seen.add(entry.typeCode);
  }
  for (const code of [...schedule.leaveCodes.codes, schedule.punahCode.code]) if (!codes.has(code)) problems.push(`unknown kedudukan hukum ${code}`);
  if (!schedule.leaveCodes.codes.includes(schedule.punahCode.code)) problems.push(`leaveCodes must include the punah code ${schedule.punahCode.code}`);
  return problems;
}

export function parseJraSchedule(raw: unknown, reference: Pick<ReferenceData, 'documentTypes' | 'kedudukanHukum'>): JraSchedule {
  const schedule = JraSchedule.parse(raw);
  const problems = jraProblems(schedule, reference);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return schedule;
}

export const PHASES = ['aktif', 'inaktif', 'usul_musnah', 'usul_statis', 'ditahan', 'musnah', 'statis'] as const;
export const Phase = z.enum(PHASES);
export type Phase = z.infer<typeof Phase>;

/** A rule in force for a type: the shipped default, or the admin's override of it. */
export const JraRule = JraEntry.extend({ isDefault: z.boolean(), updatedBy: z.string().nullable(), updatedAt: z.string().nullable() });
export type JraRule = z.infer<typeof JraRule>;

export interface Lifecycle {
  phase: 'aktif' | 'inaktif' | 'usul_musnah' | 'usul_statis';
  /** When the document turns inactive and when it is due for its final disposition (ISO dates), once known. */
  inactiveOn: string | null;
  dueOn: string | null;
  final: FinalDisposition;
}

/**
 * Where a document stands on `today`. Its own clock starts when the employee left service
 * (active years, then inactive years, then its disposition). A document that joins the
 * personal file shares the file's fate instead: it waits for the employee to be Punah, is
 * inactive for the personal file's years, then goes the personal file's way.
 */
export function lifecycleOf(rule: Pick<JraEntry, 'activeYears' | 'inactiveYears' | 'disposition'>, personalFile: JraSchedule['personalFile'], dates: { leftOn: string | null; punahOn: string | null }, today: CalendarDate): Lifecycle {
  const followsFile = rule.disposition === 'berkas_perseorangan';
  const final: FinalDisposition = followsFile ? personalFile.disposition : (rule.disposition as FinalDisposition);
  const start = parseIsoDate((followsFile ? dates.punahOn : dates.leftOn) ?? '');
  if (!start) return { phase: 'aktif', inactiveOn: null, dueOn: null, final };
  const inactive = followsFile ? start : anniversary(start, rule.activeYears);
  const due = anniversary(inactive, followsFile ? personalFile.inactiveYears : rule.inactiveYears);
  const phase = compareDates(today, inactive) < 0 ? 'aktif' : compareDates(today, due) < 0 ? 'inaktif' : final === 'musnah' ? 'usul_musnah' : 'usul_statis';
  return { phase, inactiveOn: formatIsoDate(inactive), dueOn: formatIsoDate(due), final };
}

// ---- What the retention calls answer ----

export const RetentionFile = z.object({
  nip: z.string(),
  nama: z.string(),
  kedudukanHukum: z.string().nullable(),
  leftOn: z.string().nullable(),
  punahOn: z.string().nullable(),
  hold: z.object({ reason: z.string(), by: z.string(), at: z.string() }).nullable(),
  documents: z.number().int(),
  /** How many of the file's documents are in each phase. */
  phases: z.partialRecord(Phase, z.number().int()),
  nextDueOn: z.string().nullable(),
});
export type RetentionFile = z.infer<typeof RetentionFile>;

// 'ditolak': rejected or withdrawn before it was carried out; the row and its list stay (migration 017).
export const PROPOSAL_STATES = ['usul', 'direkomendasikan', 'disetujui', 'dimusnahkan', 'diserahkan', 'ditolak'] as const;
export const ProposalState = z.enum(PROPOSAL_STATES);
export type ProposalState = z.infer<typeof ProposalState>;

export const ProposalItem = z.object({
  documentId: z.number().int(),
  nip: z.string(),
  nama: z.string(),
  typeCode: z.string(),
  nomor: z.string().nullable(),
  tanggal: z.string().nullable(),
  dueOn: z.string(),
  sha256: z.string(),
  pages: z.number().int(),
});
export type ProposalItem = z.infer<typeof ProposalItem>;

const Step = z.object({ by: z.string(), at: z.string(), note: z.string() }).nullable();

export const Proposal = z.object({
  id: z.number().int(),
  kind: FinalDisposition,
  number: z.string(),
  state: ProposalState,
  createdBy: z.string(),
  createdAt: z.string(),
  recommended: Step,
  approved: Step,
  executed: Step,
  /** Who rejected the proposal and when; the note is the reason. */
  rejected: Step,
  itemCount: z.number().int(),
  /** The Berita Acara Pemusnahan or Daftar Arsip Statis, once executed. */
  reportId: z.number().int().nullable(),
});
export type Proposal = z.infer<typeof Proposal>;

export const ProposalDetail = Proposal.extend({ items: z.array(ProposalItem) });
export type ProposalDetail = z.infer<typeof ProposalDetail>;

export const RetentionReport = z.object({
  id: z.number().int(),
  kind: z.enum(['berita_acara_pemusnahan', 'daftar_arsip_statis', 'berita_acara_alih_media']),
  number: z.string(),
  fileName: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  proposalId: z.number().int().nullable(),
});
export type RetentionReport = z.infer<typeof RetentionReport>;

export const RetentionOverview = z.object({
  today: z.string(),
  confirmed: z.boolean(),
  regulation: z.string(),
  /** Documents per phase over the whole office. */
  phases: z.partialRecord(Phase, z.number().int()),
  /** Files with something past their active period, on hold, or disposed: the ones retention concerns. */
  files: z.array(RetentionFile),
  proposals: z.array(Proposal),
  reports: z.array(RetentionReport),
});
export type RetentionOverview = z.infer<typeof RetentionOverview>;
