// Employee history (riwayat, issue 7): the SIASN history records the workstation imports per
// NIP (rank, position, education, transfer between instansi, unpaid leave), which the
// completeness rules count expected documents from. Shapes only; main/core/history imports.

import { z } from 'zod';

/** The history kinds the workstation holds, with their SIASN jenis riwayat (DOMAIN.md). */
export const HISTORY_KINDS = ['golongan', 'jabatan', 'pendidikan', 'pindah_instansi', 'cltn'] as const;
export const HistoryKind = z.enum(HISTORY_KINDS);
export type HistoryKind = z.infer<typeof HistoryKind>;
export const JENIS_RIWAYAT: Record<HistoryKind, number> = { golongan: 5, pendidikan: 7, jabatan: 8, pindah_instansi: 18, cltn: 19 };

export const HistoryRecord = z.object({
  id: z.number().int(),
  nip: z.string(),
  kind: HistoryKind,
  /** SIASN's id_riwayat, when the export carried one. */
  idRiwayat: z.string().nullable(),
  golongan: z.string().nullable(),
  jenisKp: z.string().nullable(),
  jabatan: z.string().nullable(),
  unit: z.string().nullable(),
  tingkat: z.string().nullable(),
  jurusan: z.string().nullable(),
  tahunLulus: z.number().int().nullable(),
  nomorIjazah: z.string().nullable(),
  instansiAsal: z.string().nullable(),
  instansiTujuan: z.string().nullable(),
  /** TMT golongan / jabatan / pindah, or the first day of the CLTN; ISO date. */
  tmt: z.string().nullable(),
  /** Last day of the CLTN; ISO date. */
  selesai: z.string().nullable(),
  nomorSk: z.string().nullable(),
  tanggalSk: z.string().nullable(),
  importedAt: z.string(),
  importedBy: z.string(),
});
export type HistoryRecord = z.infer<typeof HistoryRecord>;

export const HistoryImportReport = z.object({
  kind: HistoryKind,
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.array(z.object({ row: z.number().int(), nip: z.string().nullable(), message: z.string() })),
});
export type HistoryImportReport = z.infer<typeof HistoryImportReport>;
