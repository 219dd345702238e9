// The contract: every call the UI (and the CLI) may make of main, declared once with
// runtime-validated input and output schemas, plus the events main pushes. The Electron
// preload/IPC bridge, the browser host's HTTP routes and the CLI are all built from this
// table; no shell hand-writes a method name twice.

import { z } from 'zod';
import { CompletenessSummary, EmployeeCompleteness, QueueItem } from './completeness';
// Employee history (issue 7).
import { HistoryImportReport, HistoryKind, HistoryRecord } from './history';
import { ReferenceData } from './doctypes';
import { Disposition, FinalDisposition, JraRule, JraSchedule, ProposalDetail, RetentionFile, RetentionOverview, RetentionReport } from './retention';
import { LOCALES } from './i18n';
// Server accounts (main/core/accounts): the central server's account, as its API answers it.
import { Account as ServerAccount } from './dms/users';

const Id = z.number().int().positive();
const Nip = z.string().regex(/^\d{18}$/);
/** The most folders (NIPs) one Berita Acara Alih Media may name. */
export const ALIH_MEDIA_MAX_NIPS = 5000;
const Page = { limit: z.number().int().min(1).max(500).default(50), offset: z.number().int().min(0).default(0) };

/** A file the call should read: a path on the machine main runs on, or a browser upload. */
export const FileRef = z.union([
  z.object({ path: z.string().min(1) }).strict(),
  z.object({ stagedId: z.string().regex(/^[a-f0-9]{32}$/), name: z.string().min(1).max(255) }).strict(),
]);
export type FileRef = z.infer<typeof FileRef>;

/**
 * A generated file (a report as PDF, a table as XLSX or CSV) handed to the UI, which saves
 * it where the clerk chooses. Bytes travel as base64 so every shell carries them alike.
 */
export const ExportedFile = z.object({
  fileName: z.string(),
  contentType: z.enum(['application/pdf', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']),
  base64: z.string(),
});
export type ExportedFile = z.infer<typeof ExportedFile>;
export const EXPORT_FORMATS = ['pdf', 'xlsx', 'csv'] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const DOCUMENT_STATES = ['draft', 'ready'] as const;
export const DocumentState = z.enum(DOCUMENT_STATES);
export type DocumentState = z.infer<typeof DocumentState>;

/**
 * Verification (issue 7): pending until a verifier approves a labelled document or sends it
 * back with a reason; a new label makes it pending again. Sync waits for approved only while
 * the office requires approval (Settings.requireApproval).
 */
export const REVIEW_STATES = ['pending', 'approved', 'rejected'] as const;
export const ReviewState = z.enum(REVIEW_STATES);
export type ReviewState = z.infer<typeof ReviewState>;

export const Employee = z.object({
  nip: z.string(),
  kind: z.enum(['pns', 'pppk']),
  nama: z.string(),
  tempatLahir: z.string().nullable(),
  tanggalLahir: z.string().nullable(),
  golongan: z.string().nullable(),
  jabatan: z.string().nullable(),
  unitKerja: z.string().nullable(),
  kedudukanHukum: z.string().nullable(),
  updatedAt: z.string(),
});
export type Employee = z.infer<typeof Employee>;

export const DocumentSummary = z.object({
  id: Id,
  originalName: z.string(),
  size: z.number().int(),
  pageCount: z.number().int(),
  sourceKind: z.enum(['pdf', 'jpeg', 'png', 'tiff']),
  nip: z.string().nullable(),
  nama: z.string().nullable(),
  typeCode: z.string().nullable(),
  nomor: z.string().nullable(),
  tanggal: z.string().nullable(),
  state: DocumentState,
  createdAt: z.string(),
  updatedAt: z.string(),
  // Verification (issue 7): the verifier's decision on a labelled document (null: not labelled yet).
  review: ReviewState.nullable(),
  /** Why the verifier sent it back (only while rejected). */
  reviewReason: z.string().nullable(),
});
export type DocumentSummary = z.infer<typeof DocumentSummary>;

export const DocumentDetail = DocumentSummary.extend({
  sha256: z.string(),
  sourceSha256: z.string(),
  fields: z.record(z.string(), z.string()),
  notes: z.string(),
  /** What the import guessed from the file name, to pre-fill the labelling form. */
  guess: z.object({ nip: z.string().nullable(), typeCode: z.string().nullable() }),
  hasThumbnail: z.boolean(),
});
export type DocumentDetail = z.infer<typeof DocumentDetail>;

// OCR (issue 6, main/core/ocr): a document's reading in the background and the label
// fields proposed from its text; the clerk accepts each proposal, nothing is filled alone.
export const OcrStatus = z.object({
  status: z.enum(['none', 'pending', 'running', 'done', 'failed']),
  pagesDone: z.number().int(),
  pageCount: z.number().int(),
  /** Why the reading failed (a page timed out, the file could not be read). */
  error: z.string().nullable(),
  /** Read once the text is in (also from the pages read before a failure); dates ISO. */
  proposals: z.object({ nip: z.string().nullable(), nomor: z.string().nullable(), tanggal: z.string().nullable(), tmt: z.string().nullable() }).nullable(),
});
export type OcrStatus = z.infer<typeof OcrStatus>;

export const ImportFailureCode = z.enum([
  'empty',
  'too_large',
  'unreadable',
  'not_pdf',
  'unsupported',
  'corrupt',
  'truncated',
  'encrypted',
  'bad_image',
  'not_a_file',
  'staged_missing',
]);
export type ImportFailureCode = z.infer<typeof ImportFailureCode>;

export const ImportReport = z.object({
  imported: z.array(z.object({ name: z.string(), documentId: Id, pageCount: z.number().int(), guess: z.object({ nip: z.string().nullable(), typeCode: z.string().nullable() }) })),
  duplicates: z.array(z.object({ name: z.string(), existingId: Id, existingName: z.string(), message: z.string() })),
  failed: z.array(z.object({ name: z.string(), code: ImportFailureCode, message: z.string() })),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const EmployeeImportReport = z.object({
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.array(z.object({ row: z.number().int(), nip: z.string().nullable(), message: z.string() })),
});
export type EmployeeImportReport = z.infer<typeof EmployeeImportReport>;

export const SearchHit = DocumentSummary.extend({ unitKerja: z.string().nullable() });
export type SearchHit = z.infer<typeof SearchHit>;

/**
 * The central DMS server's base address (no /v1): http or https only, and no user name or
 * password in it, since every workstation of the profile reads this setting.
 */
export const ServerUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .refine((url) => !/^https?:\/\/[^/?#]*@/i.test(url), 'no credentials in the address');

/** A time of day, 00:00 to 23:59 (sync window). */
const HhMm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

export const Settings = z.object({
  locale: z.enum(LOCALES),
  /** Where online activation (and later sync) reaches the central server; null until set. */
  serverUrl: ServerUrl.nullable(),
  /** Minutes without a call before the session locks (0 = never). */
  idleLockMinutes: z.number().int().min(0).max(24 * 60),
  maxFileBytes: z.number().int().min(1024).max(2 * 1024 * 1024 * 1024),
  /** Folders where the scanner software saves, watched while the app runs (absolute paths). */
  hotFolders: z.array(z.string().min(1).max(1024)).max(20),
  /** How often a hot folder is listed (file events are unreliable on network shares). */
  hotFolderPollMs: z.number().int().min(100).max(10 * 60 * 1000),
  /** A file is taken only once its size and time stayed the same this long (the scanner has finished). */
  hotFolderStableMs: z.number().int().min(100).max(60 * 60 * 1000),
  /** What happens to a file once it is safely stored: moved to imported/DATE/ or deleted. */
  hotFolderAfterImport: z.enum(['move', 'delete']),
  // Sync (issue 5), set by an admin: office links are shared and slow, so sending is tuned per office.
  /** Documents uploading at once. */
  syncConcurrency: z.number().int().min(1).max(4),
  /** One cap for all uploads together, in kilobits per second (null: no cap). */
  syncBandwidthKbps: z.number().int().min(64).max(1_000_000).nullable(),
  /** An upload request with no answer for this long fails (retryable, code timeout). */
  syncFileTimeoutSec: z.number().int().min(10).max(3600),
  /** Tries per document in one run before it is left queued for the next run. */
  syncMaxAttempts: z.number().int().min(1).max(20),
  /** The office's end-of-day window (local time): one scheduled run a day inside it; null: no schedule. */
  syncWindow: z.object({ start: HhMm, end: HhMm }).strict().nullable(),
  /** Verification (issue 7): labelled documents wait for a verifier's approval before sync. */
  requireApproval: z.boolean(),
  /** Separator sheets (issue 6): multi-page scans are searched for sheets and split at them; off for offices that never print them. */
  separatorSheets: z.boolean(),
  /** The agency named on every generated report (null: the instansi of the server session, else a generic name). */
  agencyName: z.string().trim().min(1).max(200).nullable(),
  /** The city of the place-and-date line above a report's signatures ("Kota Contoh, 24 November 2026"). */
  agencyCity: z.string().trim().min(1).max(100).nullable(),
});
export type Settings = z.infer<typeof Settings>;

export const HotFolderStatus = z.object({
  running: z.boolean(),
  folders: z.array(
    z.object({
      path: z.string(),
      /** pending: not looked at yet; offline: cannot be listed (a share that went away), retried every poll. */
      state: z.enum(['pending', 'watching', 'offline']),
      error: z.string().nullable(),
      lastScanAt: z.string().nullable(),
    }),
  ),
  /** The last files taken, newest first. */
  recent: z.array(
    z.object({
      folder: z.string(),
      name: z.string(),
      at: z.string(),
      outcome: z.enum(['imported', 'duplicate']),
      documentId: Id,
      message: z.string().nullable(),
      /** Where the file went (null when deleted, or left in place because moving failed). */
      movedTo: z.string().nullable(),
    }),
  ),
  /** Files that stay in their folder with the reason; retried when they change or on request. */
  failures: z.array(z.object({ folder: z.string(), name: z.string(), path: z.string(), at: z.string(), code: z.string(), message: z.string() })),
});
export type HotFolderStatus = z.infer<typeof HotFolderStatus>;

export const VerifyReport = z.object({
  ok: z.boolean(),
  documents: z.number().int(),
  blobs: z.number().int(),
  /** Blob files no document points at (left by a crash between write and commit): harmless. */
  orphans: z.number().int(),
  auditEntries: z.number().int(),
  problems: z.array(z.object({ kind: z.enum(['integrity', 'blob_missing', 'blob_mismatch', 'audit_chain']), documentId: Id.nullable(), message: z.string() })),
});
export type VerifyReport = z.infer<typeof VerifyReport>;

/**
 * Where a document is on its way to the central server (issue 5), beside its labelling
 * state: queued -> uploading -> committed -> verified (the server's SHA-256 is the local
 * one), or rejected (the server's reason; fix and send again) or conflict.
 */
export const SYNC_STATES = ['queued', 'uploading', 'committed', 'verified', 'rejected', 'conflict'] as const;
export const SyncState = z.enum(SYNC_STATES);

/** A document that could not be sent: refused, in conflict, or failing for now (the run left it queued). */
export const SyncProblem = z.object({
  documentId: Id,
  name: z.string(),
  state: SyncState,
  /** The server's error code (or network, timeout, local). */
  code: z.string(),
  message: z.string(),
  attempts: z.number().int(),
  at: z.string(),
});
export type SyncProblem = z.infer<typeof SyncProblem>;

export const SyncReport = z.object({
  runId: z.string(),
  /** Documents the run found in the outbox. */
  total: z.number().int(),
  verified: z.number().int(),
  bytesSent: z.number().int(),
  problems: z.array(SyncProblem),
  /** Still in the outbox after the run (failing for now, or not reached). */
  remaining: z.number().int(),
  cancelled: z.boolean(),
  /** Why the run stopped early with the queue kept: the server session was revoked (log in online again). */
  stopped: z.enum(['session_revoked']).nullable(),
  /** How the run ended: done, paused (queue and upload offsets kept) or cancelled (unsent documents dequeued). */
  phase: z.enum(['done', 'paused', 'cancelled']),
  trigger: z.enum(['manual', 'schedule', 'link', 'cli']),
});
export type SyncReport = z.infer<typeof SyncReport>;

export const SYNC_TRIGGERS = ['manual', 'schedule', 'link', 'cli'] as const;
export type SyncTrigger = (typeof SYNC_TRIGGERS)[number];
export const SYNC_PHASES = ['running', 'paused', 'cancelled', 'done'] as const;

/** A stored run (migration 009): who, when, why it started, and its counts. */
export const SyncRunSummary = z.object({
  runId: z.string(),
  /** NIP of whoever started it (or the account the schedule ran as). */
  actor: z.string(),
  trigger: z.enum(SYNC_TRIGGERS),
  startedAt: z.string(),
  /** null: still running, or the process ended without finishing it. */
  endedAt: z.string().nullable(),
  phase: z.enum(SYNC_PHASES),
  stopped: z.enum(['session_revoked']).nullable(),
  total: z.number().int(),
  verified: z.number().int(),
  rejected: z.number().int(),
  conflict: z.number().int(),
  waiting: z.number().int(),
  bytesTotal: z.number().int(),
  bytesSent: z.number().int(),
});
export type SyncRunSummary = z.infer<typeof SyncRunSummary>;

/** One document a run touched and how it ended there; waiting: still queued (failing for now, or not reached). */
export const SyncRunItem = z.object({
  documentId: Id,
  name: z.string(),
  nip: z.string().nullable(),
  outcome: z.enum(['verified', 'rejected', 'conflict', 'waiting']),
  code: z.string().nullable(),
  reason: z.string().nullable(),
  size: z.number().int(),
  at: z.string(),
});
export type SyncRunItem = z.infer<typeof SyncRunItem>;
export const SyncRunReport = SyncRunSummary.extend({ items: z.array(SyncRunItem) });
export type SyncRunReport = z.infer<typeof SyncRunReport>;

export const SyncStatus = z.object({
  counts: z.record(SyncState, z.number().int()),
  /** Ready documents not queued yet. */
  readyNotQueued: z.number().int(),
  pending: z.number().int(),
  pendingBytes: z.number().int(),
  running: z.boolean(),
  /** A clerk paused the sync: nothing starts on its own until a run is started or resumed by hand (kept across restarts). */
  paused: z.boolean(),
  problems: z.array(SyncProblem),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

// Down-sync and conflicts (issue 5, main/core/sync/{downsync,conflicts}.ts).
export const PullReport = z.object({ employees: z.number().int(), documentTypes: z.number().int(), documents: z.number().int() });
export type PullReport = z.infer<typeof PullReport>;
/** A document of the server's index for one employee: "sudah di DMS". */
export const ServerDocument = z.object({
  serverId: z.string(),
  typeCode: z.string(),
  sha256: z.string(),
  version: z.number().int(),
  /** A local document holds the same bytes. */
  local: z.boolean(),
});
export type ServerDocument = z.infer<typeof ServerDocument>;
const ConflictSide = { nip: z.string().nullable(), typeCode: z.string().nullable(), fields: z.record(z.string(), z.string()), fileName: z.string(), sha256: z.string(), updatedAt: z.string() };
/** A document the server holds in a newer version than the one edited here: both sides, for the clerk to choose. */
export const SyncConflict = z.object({
  documentId: Id,
  message: z.string(),
  at: z.string(),
  local: z.object(ConflictSide),
  /** The server's current document (null when the server did not say, e.g. an idempotency key clash). */
  server: z.object({ ...ConflictSide, id: z.string(), version: z.number().int(), deleted: z.boolean() }).nullable(),
  bytesDiffer: z.boolean(),
});
export type SyncConflict = z.infer<typeof SyncConflict>;

// Verification (issue 7): a document awaiting (or back from) review, with who labelled it and when.
export const ReviewItem = DocumentSummary.extend({
  unitKerja: z.string().nullable(),
  /** The NIP of whoever saved the label last (from the audit log). */
  labelledBy: z.string().nullable(),
  labelledAt: z.string().nullable(),
});
export type ReviewItem = z.infer<typeof ReviewItem>;
export const REVIEW_REASON_MAX = 500;
const ReviewFilter = {
  unitKerja: z.string().max(200).optional(),
  /** NIP of the clerk who labelled. */
  clerk: z.string().max(40).optional(),
  /** Labelled at or after `from`, before `to` (the UI sends the clerk's local day boundaries). */
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
};

export const ROLES = ['clerk', 'verifier', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may call a method: anyone ('public': what the login screen needs), a user who has
 * passed the password but not yet enrolled or confirmed MFA ('enrolment'), or a fully
 * logged-in user holding one of the roles. main/api.ts enforces it for every call.
 */
export type Access = 'public' | 'enrolment' | readonly Role[];

const ANY_ROLE: readonly Role[] = ROLES;
const CAPTURE: readonly Role[] = ['clerk', 'admin'];
const OVERSIGHT: readonly Role[] = ['verifier', 'admin'];
const ADMIN: readonly Role[] = ['admin'];

function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, access: Access) {
  return { input, output, access };
}

const Password = z.string().min(1).max(1024); // main checks length and the breach list, in the user's language
// Not the strict Nip: a mistyped NIP must get the same answer as a wrong password.
const LoginNip = z.string().max(40);
const TotpCode = z.string().max(12);
const Ticket = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
const RoleSchema = z.enum(ROLES);

export const AuthUser = z.object({ id: Id, nip: z.string(), nama: z.string(), role: RoleSchema });
export const LoginResult = z.object({ user: AuthUser, mustChangePassword: z.boolean(), needsEnrolment: z.boolean() });
export type LoginResult = z.infer<typeof LoginResult>;
export const Enrolment = z.object({ uri: z.string().startsWith('otpauth://totp/'), secret: z.string().regex(/^[A-Z2-7]+$/), qrSvg: z.string().startsWith('<svg') });
export type Enrolment = z.infer<typeof Enrolment>;
const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()).length(10) });
/** An online activation in progress, held in main (it knows the new password until the end). */
const ActivationId = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
export const UserSummary = z.object({
  id: Id,
  nip: z.string(),
  nama: z.string(),
  email: z.string().nullable(),
  role: RoleSchema,
  disabled: z.boolean(),
  mfaEnrolled: z.boolean(),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type UserSummary = z.infer<typeof UserSummary>;
const UserId = z.object({ id: Id }).strict();

export const AuditRecord = z.object({
  id: Id,
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  documentId: Id.nullable(),
  nip: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditRecord = z.infer<typeof AuditRecord>;
const AuditFilter = z
  .object({
    actor: z.string().max(40).optional(),
    action: z.string().max(60).optional(),
    nip: z.string().max(40).optional(),
    from: z.string().max(40).optional(),
    to: z.string().max(40).optional(),
  })
  .strict();

/** Carrying out an approved disposal: who issues the Berita Acara, where, and a remark. */
const RetentionExecution = z
  .object({ id: Id, agency: z.string().trim().min(1).max(200), place: z.string().trim().min(1).max(100), note: z.string().trim().max(1000).default('') })
  .strict();

// Size budget and the optimizer (issue 6, main/core/optimize).
export const OptimizedPage = z.object({
  /** colour, gray or bilevel; null: copied as it was (not a plain scan, or it would not shrink). */
  kind: z.enum(['colour', 'gray', 'bilevel']).nullable(),
  dpi: z.number().int().nullable(),
  before: z.number().int(),
  after: z.number().int(),
  reencoded: z.boolean(),
});
export type OptimizedPage = z.infer<typeof OptimizedPage>;
export const OptimizeProposal = z.object({
  documentId: Id,
  before: z.number().int(),
  after: z.number().int(),
  pageCount: z.number().int(),
  maxBytes: z.number().int(),
  underBudget: z.boolean(),
  pages: z.array(OptimizedPage),
  createdAt: z.string(),
});
export type OptimizeProposal = z.infer<typeof OptimizeProposal>;
export const OptimizeStatus = z.object({
  documentId: Id,
  size: z.number().int(),
  maxBytes: z.number().int(),
  overBudget: z.boolean(),
  proposal: OptimizeProposal.nullable(),
  /** The content before the accepted optimization, kept until the server verified the new one. */
  original: z.object({ sha256: z.string(), size: z.number().int(), keptAt: z.string(), releasedAt: z.string().nullable() }).nullable(),
});
export type OptimizeStatus = z.infer<typeof OptimizeStatus>;
export const OptimizePreview = z.object({ page: z.number().int(), pageCount: z.number().int(), original: z.string(), optimized: z.string() });
export type OptimizePreview = z.infer<typeof OptimizePreview>;

export const contract = {
  'auth.status': method(
    z.object({}).strict(),
    z.object({ bootstrapped: z.boolean(), session: LoginResult.nullable(), locked: z.boolean(), serverUrl: z.string().nullable() }),
    'public',
  ),
  'auth.bootstrap': method(
    z.object({ nip: LoginNip, nama: z.string().min(1).max(200), password: Password, email: z.string().max(254).nullable().optional() }).strict(),
    z.object({ user: AuthUser, enrolment: Enrolment }),
    'public',
  ),
  'auth.beginLogin': method(
    z.object({ nip: LoginNip, password: Password }).strict(),
    z.discriminatedUnion('next', [z.object({ next: z.literal('code'), ticket: Ticket, expiresAt: z.string() }), z.object({ next: z.literal('done'), result: LoginResult })]),
    'public',
  ),
  'auth.completeLogin': method(z.object({ ticket: Ticket, code: TotpCode }).strict(), LoginResult, 'public'),
  'auth.completeLoginWithRecoveryCode': method(
    z.object({ ticket: Ticket, recoveryCode: z.string().max(40) }).strict(),
    LoginResult.extend({ recoveryCodesLeft: z.number().int().min(0) }),
    'public',
  ),
  'auth.logout': method(z.object({}).strict(), z.object({}), 'public'),
  /** Brings an idle-locked session back with the password (the handler checks there is one). */
  'auth.unlock': method(z.object({ password: Password }).strict(), LoginResult, 'public'),
  'auth.changePassword': method(z.object({ oldPassword: Password, newPassword: Password }).strict(), z.object({}), 'enrolment'),
  'auth.startEnrolment': method(z.object({}).strict(), Enrolment, 'enrolment'),
  'auth.confirmEnrolment': method(z.object({ code: TotpCode }).strict(), RecoveryCodes, 'enrolment'),
  'auth.regenerateRecoveryCodes': method(z.object({ code: TotpCode }).strict(), RecoveryCodes, ANY_ROLE),

  // Online activation of an account the central server holds (main/core/auth/activation.ts):
  // the e-mailed code and a new password, the authenticator, then a login with a fresh code
  // that also makes the local account, so later logins work offline. Public: nobody is
  // logged in yet. `serverUrl` is taken only while the profile has no account.
  'activation.requestCode': method(
    z.object({ serverUrl: z.string().max(2048).optional(), nip: LoginNip, email: z.string().max(254) }).strict(),
    z.object({ activationId: ActivationId, expiresAt: z.string(), serverUrl: z.string() }),
    'public',
  ),
  'activation.setPassword': method(
    z.object({ activationId: ActivationId, code: z.string().max(40), newPassword: Password }).strict(),
    z.discriminatedUnion('next', [z.object({ next: z.literal('enrol'), enrolment: Enrolment }), z.object({ next: z.literal('login') })]),
    'public',
  ),
  'activation.confirmMfa': method(z.object({ activationId: ActivationId, code: TotpCode }).strict(), RecoveryCodes, 'public'),
  'activation.login': method(z.object({ activationId: ActivationId, code: TotpCode }).strict(), LoginResult.extend({ replacedLocalAccount: z.boolean() }), 'public'),
  'activation.cancel': method(z.object({ activationId: ActivationId }).strict(), z.object({}), 'public'),

  'users.list': method(z.object({}).strict(), z.array(UserSummary), ADMIN),
  'users.create': method(
    z.object({ nip: LoginNip, nama: z.string().min(1).max(200), role: RoleSchema, password: Password, email: z.string().max(254).nullable().optional() }).strict(),
    UserSummary,
    ADMIN,
  ),
  'users.setRole': method(z.object({ id: Id, role: RoleSchema }).strict(), UserSummary, ADMIN),
  'users.disable': method(UserId, UserSummary, ADMIN),
  'users.enable': method(UserId, UserSummary, ADMIN),
  'users.unlock': method(UserId, UserSummary, ADMIN),
  'users.resetMfa': method(UserId, UserSummary, ADMIN),
  'users.resetPassword': method(z.object({ id: Id, password: Password }).strict(), UserSummary, ADMIN),
  // Server accounts (main/core/accounts): the instansi admin keeps the central server's accounts with their own server session;
  // the activation code of a new account is e-mailed to its holder by the server, never answered here.
  'serverAccounts.list': method(z.object({}).strict(), z.array(ServerAccount), ADMIN),
  'serverAccounts.create': method(
    z.object({ nip: Nip, name: z.string().trim().min(1).max(200), email: z.string().trim().min(1).max(254), role: RoleSchema }).strict(),
    z.object({ account: ServerAccount, activationCodeExpiresAt: z.string() }),
    ADMIN,
  ),
  'serverAccounts.update': method(
    z
      .object({ nip: Nip, role: RoleSchema.optional(), status: z.enum(['active', 'disabled']).optional() })
      .strict()
      .refine((input) => input.role !== undefined || input.status !== undefined, 'role or status'),
    ServerAccount,
    ADMIN,
  ),

  'audit.list': method(AuditFilter.extend({ ...Page }).strict(), z.object({ items: z.array(AuditRecord), total: z.number().int() }), OVERSIGHT),
  'audit.exportCsv': method(AuditFilter, z.object({ fileName: z.string(), csv: z.string(), rows: z.number().int() }), OVERSIGHT),
  'settings.setLocale': method(z.object({ locale: z.enum(LOCALES) }).strict(), Settings, 'public'),

  'app.info': method(
    z.object({}).strict(),
    z.object({ version: z.string(), dataDir: z.string(), host: z.enum(['electron', 'web', 'cli']), settings: Settings }),
    'public',
  ),
  'settings.update': method(Settings.partial().strict(), Settings, ADMIN),
  'reference.get': method(z.object({}).strict(), ReferenceData, ANY_ROLE),

  'employees.import': method(z.object({ file: FileRef }).strict(), EmployeeImportReport, ADMIN),
  'employees.search': method(
    z.object({ text: z.string().max(200).default(''), unitKerja: z.string().optional(), ...Page }).strict(),
    z.object({ items: z.array(Employee), total: z.number().int() }),
    ANY_ROLE,
  ),
  'employees.get': method(
    z.object({ nip: Nip }).strict(),
    z.object({ employee: Employee, documents: z.array(DocumentSummary) }),
    ANY_ROLE,
  ),
  'employees.units': method(z.object({}).strict(), z.array(z.string()), ANY_ROLE),
  // Employee history (issue 7, main/core/history): SIASN history exports per kind (detected
  // from the columns when no kind is given), and one employee's records.
  'employees.importHistory': method(z.object({ file: FileRef, kind: HistoryKind.optional() }).strict(), HistoryImportReport, ADMIN),
  'employees.history': method(z.object({ nip: Nip }).strict(), z.array(HistoryRecord), ANY_ROLE),

  'capture.import': method(
    // separatorSheets: search this batch for separator sheets whatever the setting says (an import of sheets printed elsewhere).
    z.object({ files: z.array(FileRef).min(1).max(10000), nip: Nip.optional(), typeCode: z.string().optional(), separatorSheets: z.boolean().optional() }).strict(),
    ImportReport,
    CAPTURE,
  ),

  // The hot folder (main/core/capture/hotfolder.ts): admins choose the folders, clerks see
  // what was taken and retry a failed file.
  'hotfolder.status': method(z.object({}).strict(), HotFolderStatus, CAPTURE),
  'hotfolder.add': method(z.object({ path: z.string().min(1).max(1024) }).strict(), HotFolderStatus, ADMIN),
  'hotfolder.remove': method(z.object({ path: z.string().min(1).max(1024) }).strict(), HotFolderStatus, ADMIN),
  'hotfolder.retry': method(z.object({ path: z.string().min(1).max(2048) }).strict(), HotFolderStatus, CAPTURE),

  // Separator sheets (main/core/separators): a PDF of sheets for an employee, one per document
  // to scan: for the types given, or for what the completeness checklist says is missing (all
  // of it, or the items named by rule key), each sheet of a history record carrying it.
  'separators.print': method(
    z
      .object({ nip: Nip, typeCodes: z.array(z.string().max(40)).min(1).max(200).optional(), items: z.array(z.string().max(40)).min(1).max(50).optional() })
      .strict()
      .refine((input) => input.typeCodes === undefined || input.items === undefined, { message: 'typeCodes or items, not both' }),
    ExportedFile,
    CAPTURE,
  ),

  'documents.get': method(z.object({ id: Id }).strict(), DocumentDetail, ANY_ROLE),
  'documents.list': method(
    z.object({ nip: Nip.optional(), state: DocumentState.optional(), typeCode: z.string().optional(), ...Page }).strict(),
    z.object({ items: z.array(DocumentSummary), total: z.number().int() }),
    ANY_ROLE,
  ),
  'documents.label': method(
    z
      .object({
        id: Id,
        nip: z.string().max(40),
        typeCode: z.string().max(40),
        fields: z.record(z.string().max(40), z.string().max(500)),
        notes: z.string().max(2000).default(''),
      })
      .strict(),
    DocumentDetail,
    CAPTURE,
  ),

  // Page tools (issue 6, main/core/pages): each edit makes new document bytes (pages copied, never
  // re-encoded); page numbers are 1-based. blank proposes pages to remove, inspect finds low-dpi scans.
  'pages.inspect': method(
    z.object({ id: Id }).strict(),
    z.object({ pages: z.array(z.object({ number: z.number().int(), dpi: z.number().nullable(), low: z.boolean() })), lowDpi: z.array(z.number().int()), minDpi: z.number() }),
    ANY_ROLE,
  ),
  'pages.blank': method(z.object({ id: Id }).strict(), z.object({ pages: z.array(z.number().int()) }), CAPTURE),
  'pages.rotate': method(
    z.object({ id: Id, pages: z.array(z.number().int().min(1)).min(1).max(10000), degrees: z.union([z.literal(90), z.literal(180), z.literal(270)]) }).strict(),
    DocumentDetail,
    CAPTURE,
  ),
  'pages.move': method(z.object({ id: Id, from: z.number().int().min(1), to: z.number().int().min(1) }).strict(), DocumentDetail, CAPTURE),
  'pages.delete': method(z.object({ id: Id, pages: z.array(z.number().int().min(1)).min(1).max(10000) }).strict(), DocumentDetail, CAPTURE),
  'pages.split': method(
    z.object({ id: Id, at: z.number().int().min(1), keepNip: z.boolean().default(true) }).strict(),
    z.object({ original: DocumentDetail, created: DocumentDetail }),
    CAPTURE,
  ),
  'pages.merge': method(z.object({ ids: z.array(Id).min(2).max(100) }).strict(), DocumentDetail, CAPTURE),

  'search.query': method(
    z
      .object({
        text: z.string().max(200),
        typeCode: z.string().optional(),
        state: DocumentState.optional(),
        unitKerja: z.string().optional(),
        ...Page,
      })
      .strict(),
    z.object({ items: z.array(SearchHit), total: z.number().int(), totalCapped: z.boolean() }),
    ANY_ROLE,
  ),

  'maintenance.verify': method(z.object({}).strict(), VerifyReport, ADMIN),

  // End-of-day sync (main/core/sync): queue ready documents, send them, see what could not go.
  'sync.queue': method(z.object({}).strict(), z.object({ queued: z.number().int() }), CAPTURE),
  'sync.status': method(z.object({}).strict(), SyncStatus, ANY_ROLE),
  'sync.run': method(z.object({}).strict(), SyncReport, CAPTURE),
  'sync.retry': method(z.object({ ids: z.array(Id).max(10000).optional() }).strict(), z.object({ requeued: z.number().int() }), CAPTURE),
  // Run control: pause keeps the queue and each upload's offset, resume is a new run that goes on
  // from there, cancel also takes what was not committed out of the outbox (back to ready).
  'sync.pause': method(z.object({}).strict(), z.object({ paused: z.boolean() }), CAPTURE),
  'sync.resume': method(z.object({}).strict(), SyncReport, CAPTURE),
  'sync.cancel': method(z.object({}).strict(), z.object({ dequeued: z.number().int() }), CAPTURE),
  // Stored run reports, newest first; exported as CSV or PDF for the office's files.
  'sync.reports': method(z.object({ ...Page }).strict(), z.object({ items: z.array(SyncRunSummary), total: z.number().int() }), ANY_ROLE),
  'sync.report': method(z.object({ runId: z.string().max(64) }).strict(), SyncRunReport, ANY_ROLE),
  'sync.exportReport': method(z.object({ runId: z.string().max(64), format: ExportFormat }).strict(), ExportedFile, ANY_ROLE),
  // Down-sync and conflicts (issue 5): pull the instansi's reference and the server's document index;
  // what the server already holds for an employee; documents in conflict and the clerk's choice.
  'sync.pull': method(z.object({}).strict(), PullReport, CAPTURE),
  'documents.onServer': method(z.object({ nip: Nip }).strict(), z.object({ items: z.array(ServerDocument) }), ANY_ROLE),
  'sync.conflicts': method(z.object({}).strict(), z.object({ items: z.array(SyncConflict) }), ANY_ROLE),
  'sync.resolveConflict': method(z.object({ documentId: Id, keep: z.enum(['local', 'server']) }).strict(), z.object({ state: SyncState }), CAPTURE),

  // Verification (main/core/review): verifiers list what awaits review and decide; clerks see
  // what was sent back to them. `enabled` is false (and nothing waits) while approval is off.
  'review.list': method(
    z.object({ ...ReviewFilter, ...Page }).strict(),
    z.object({ enabled: z.boolean(), items: z.array(ReviewItem), total: z.number().int(), clerks: z.array(z.string()) }),
    OVERSIGHT,
  ),
  // Each with the labelledAt the verifier saw: a label the clerk changed since then is not approved unseen.
  'review.approve': method(
    z.object({ items: z.array(z.object({ id: Id, labelledAt: z.string().max(40) }).strict()).min(1).max(500) }).strict(),
    z.object({ approved: z.number().int() }),
    OVERSIGHT,
  ),
  'review.reject': method(z.object({ id: Id, reason: z.string().trim().min(1).max(REVIEW_REASON_MAX) }).strict(), ReviewItem, OVERSIGHT),
  'review.rejected': method(z.object({ ...Page }).strict(), z.object({ items: z.array(ReviewItem), total: z.number().int() }), CAPTURE),

  // Completeness (main/core/completeness): aggregates over the office, read by any role.
  'completeness.employee': method(z.object({ nip: Nip }).strict(), EmployeeCompleteness, ANY_ROLE),
  'completeness.summary': method(z.object({ unitKerja: z.string().max(200).optional() }).strict(), CompletenessSummary, ANY_ROLE),
  'completeness.queue': method(
    z.object({ unitKerja: z.string().max(200).optional(), ...Page }).strict(),
    z.object({ items: z.array(QueueItem), total: z.number().int() }),
    ANY_ROLE,
  ),
  // Completeness exports and daily progress (issue 7, main/core/completeness/export.ts): the gap
  // list as XLSX/PDF/CSV, the picking list to pull folders by, and one snapshot a day of the office
  // and of each unit kerja (the progress of the unit asked for, else of the office).
  'completeness.exportGaps': method(z.object({ unitKerja: z.string().max(200).optional(), format: ExportFormat }).strict(), ExportedFile, ANY_ROLE),
  'completeness.pickingList': method(z.object({ unitKerja: z.string().max(200).optional(), order: z.enum(['unit', 'queue']).default('unit') }).strict(), ExportedFile, ANY_ROLE),
  'completeness.progress': method(
    z.object({ days: z.number().int().min(1).max(366).default(30), unitKerja: z.string().max(200).optional() }).strict(),
    z.object({
      days: z.array(z.object({ day: z.string(), employees: z.number().int(), averageScore: z.number(), lengkap: z.number().int(), lengkapShare: z.number() })),
    }),
    ANY_ROLE,
  ),

  // Retention (main/core/retention, issue 7): JRA, lifecycle, legal hold, disposal workflow, Berita Acara.
  // A verifier reviews and recommends; only an admin changes the schedule, holds, approves and destroys.
  'retention.overview': method(z.object({}).strict(), RetentionOverview, OVERSIGHT),
  'retention.schedule': method(
    z.object({}).strict(),
    z.object({ regulation: z.string(), confirmed: z.boolean(), note: z.string(), personalFile: JraSchedule.shape.personalFile, rules: z.array(JraRule) }),
    OVERSIGHT,
  ),
  'retention.setRule': method(
    z.object({ typeCode: z.string().max(40), activeYears: z.number().int().min(0).max(100), inactiveYears: z.number().int().min(0).max(100), disposition: Disposition }).strict(),
    JraRule,
    ADMIN,
  ),
  'retention.resetRule': method(z.object({ typeCode: z.string().max(40) }).strict(), JraRule, ADMIN),
  'retention.file': method(z.object({ nip: Nip }).strict(), RetentionFile, OVERSIGHT),
  'retention.recordStatus': method(z.object({ nip: Nip, kedudukanHukum: z.string().max(4), date: z.string().max(10) }).strict(), RetentionFile, ADMIN),
  'retention.setHold': method(z.object({ nip: Nip, reason: z.string().trim().min(1).max(500) }).strict(), RetentionFile, ADMIN),
  'retention.liftHold': method(z.object({ nip: Nip, reason: z.string().trim().min(1).max(500) }).strict(), RetentionFile, ADMIN),
  'retention.propose': method(z.object({ kind: FinalDisposition }).strict(), ProposalDetail, ADMIN),
  'retention.proposal': method(z.object({ id: Id }).strict(), ProposalDetail, OVERSIGHT),
  'retention.recommend': method(z.object({ id: Id, note: z.string().trim().min(1).max(1000) }).strict(), ProposalDetail, OVERSIGHT),
  'retention.approve': method(z.object({ id: Id, note: z.string().trim().max(1000).default('') }).strict(), ProposalDetail, ADMIN),
  // Retention edges (issue 7): an admin rejects or withdraws a proposal before it is carried out.
  'retention.reject': method(z.object({ id: Id, reason: z.string().trim().min(1).max(1000) }).strict(), z.object({ id: Id, number: z.string(), documents: z.number().int() }), ADMIN),
  'retention.destroy': method(RetentionExecution, z.object({ proposal: ProposalDetail, report: RetentionReport }), ADMIN),
  'retention.handOver': method(RetentionExecution, z.object({ proposal: ProposalDetail, report: RetentionReport }), ADMIN),
  'retention.report': method(z.object({ id: Id }).strict(), ExportedFile, OVERSIGHT),
  // The Daftar Arsip Usul Musnah (or statis) of a proposal as a signable PDF, or its table as XLSX or CSV.
  'retention.exportProposal': method(z.object({ id: Id, format: ExportFormat }).strict(), ExportedFile, OVERSIGHT),
  // The Berita Acara Alih Media of the folders digitized in a date range: every folder, or only
  // the batch's (nips, the employees whose folders were digitized together).
  'retention.alihMedia': method(
    z
      .object({
        from: z.string().max(10),
        to: z.string().max(10),
        agency: z.string().trim().min(1).max(200),
        place: z.string().trim().min(1).max(100),
        nips: z.array(Nip).min(1).max(ALIH_MEDIA_MAX_NIPS).optional(),
      })
      .strict(),
    z.object({ report: RetentionReport, file: ExportedFile }),
    ANY_ROLE,
  ),
  // OCR (issue 6): reading status and label proposals of one document.
  'ocr.status': method(z.object({ documentId: Id }).strict(), OcrStatus, ANY_ROLE),

  // Size budget and the optimizer (issue 6, main/core/optimize): whether a document is over its
  // type's budget, an optimized version to compare (page renders as JPEG data URLs) and accept.
  'optimize.status': method(z.object({ id: Id }).strict(), OptimizeStatus, ANY_ROLE),
  'optimize.propose': method(z.object({ id: Id }).strict(), OptimizeProposal, CAPTURE),
  'optimize.preview': method(z.object({ id: Id, page: z.number().int().min(1).max(10000).default(1) }).strict(), OptimizePreview, CAPTURE),
  'optimize.accept': method(z.object({ id: Id }).strict(), OptimizeStatus, CAPTURE),
  'optimize.discard': method(z.object({ id: Id }).strict(), OptimizeStatus, CAPTURE),
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;
export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(contract, name);
}

/** Events main pushes to every connected UI. */
export const events = {
  'capture.onDidProgress': z.object({
    batchId: z.string(),
    done: z.number().int(),
    total: z.number().int(),
    bytesDone: z.number(),
    bytesTotal: z.number(),
    current: z.string().nullable(),
  }),
  'documents.onDidChange': z.object({ ids: z.array(Id) }),
  'sync.onDidProgress': z.object({
    runId: z.string(),
    done: z.number().int(),
    total: z.number().int(),
    bytesDone: z.number(),
    bytesTotal: z.number(),
    current: z.string().nullable(),
    /** Bytes per second over the last few seconds. */
    speedBps: z.number(),
    /** null while the speed is unknown (just started, or nothing moving). */
    etaSeconds: z.number().nullable(),
    phase: z.enum(SYNC_PHASES),
  }),
  'hotfolder.onDidChange': HotFolderStatus,
  // The optimizer's progress (issue 6, main/core/optimize): document `id`, pages done so far.
  'optimize.onDidProgress': z.object({ id: Id, pagesDone: z.number().int(), pageCount: z.number().int() }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];
