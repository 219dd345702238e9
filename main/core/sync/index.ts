// End-of-day sync (issue 5): ready documents are queued into the outbox (in the same
// transaction as their state change), and a run drains the outbox in order. For each
// document: a file of at most one chunk (most scans) goes whole with its label, by
// documents.sendBatch together with the small documents next to it in the queue (up to
// SyncOptions.batchItems per request, each answered on its own), or alone by
// documents.send on a capped link or when a batch failed as a whole; a larger one is
// uploaded with tus, resuming from the server's offset, then committed. Each carries the
// idempotency key chosen when it was queued (a repeated send or commit answers the same
// document, never a second one); then the server's SHA-256, as that answer gave it (read
// back only when the answer was lost), must be the local one before the document is
// marked verified. A small document's local commits are taken in groups: 'uploading' with
// commit_sent_at before its request (marked ahead for the next few), verified after (with
// the next few). Network errors and 5xx back off with jitter and try again; a 4xx about
// the document marks it rejected with the server's reason and the run moves on; a
// document that keeps failing is left queued with its last error so the others still go.
// A revoked server session stops the run and keeps the queue. Every step is written down
// before the next, so a crash resumes where it was.
// Up to `syncConcurrency` requests go at once, their bytes paced by one shared bandwidth
// cap; a run can be paused (queue and offsets kept), resumed, or cancelled (what was not
// committed goes back to ready); every run's report is stored (reports.ts).

import { SYNC_STATES, type DocumentState, type Settings, type SyncReport, type SyncStatus, type SyncTrigger } from '../../../common/contract';
import { AppError } from '../../../common/errors';
import type { BlobStore } from '../../infra/blobs';
import { statement, type Db } from '../../infra/db';
import { DmsCallError, type DmsClient } from '../../infra/dms';
import { uploadIdOf, type BatchResult, type Payload, type TusUploads } from '../../infra/dms/tus';
import { writeTransaction, type AuditLog } from '../audit';
import type { Actor, Clock, EventSink, Translate } from '../ports';
import { createRunLog } from './reports';
import { ServerTokens, type ServerSessionStore } from './session';
import { chunkFor, kbpsToBytes, SpeedMeter, Throttle } from './throttle';
import { CommitGroup } from './commit-group';
import { verdictOf, type Phase } from './verdict';
// Hook (issue 5): down-sync, edits after sync and audit upload live in downsync.ts, conflicts.ts, audit-upload.ts.
import { installRunHooks } from './downsync';
import { relabelledSince, requeueEdited, type Edit } from './conflicts';
import { DOCUMENT_SEND, DOCUMENT_SEND_BATCH, type DmsDocument } from '../../../common/dms/documents';

export type SyncState = (typeof SYNC_STATES)[number];

type Problem = SyncReport['problems'][number];

/** What a run calls on the central server; the token getter is read at each request. */
export interface SyncServer {
  call: DmsClient['call'];
  tus: TusUploads;
}

/** Verified marks per commit, and how long the first of a group waits for the others (commit-group.ts). */
export const VERIFIED_GROUP = 32;
export const VERIFIED_MS = 200;
/** Small documents whose send marks one commit takes ahead of their requests (see `reserve` in run): a batch's worth. */
export const SEND_MARK_GROUP = DOCUMENT_SEND_BATCH.maxItems;
/** Most bytes in one documents.sendBatch (see `sendGroup` in run); its documents, SyncOptions.batchItems. */
export const SEND_BATCH_BYTES = 16 * 1024 * 1024;

export interface SyncOptions {
  /** Bytes per PATCH: what a dropped connection costs at most to send again. */
  chunkBytes: number;
  /** Tries per document in one run before it is left for the next run; when set (tests) it wins over the setting. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Most small documents per documents.sendBatch; 1 sends each alone by documents.send. */
  batchItems: number;
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = { chunkBytes: 4 * 1024 * 1024, maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000, batchItems: SEND_MARK_GROUP };

/** The admin's sync settings a run reads when it starts. */
export type SyncSettings = Pick<Settings, 'syncConcurrency' | 'syncBandwidthKbps' | 'syncMaxAttempts'>;

/** What a run hands its hooks: enough to talk to the server with the run's session. */
export interface RunContext {
  runId: string;
  userId: number;
  actor: Actor;
  trigger: SyncTrigger;
  server: SyncServer;
  /** A valid access token (one refresh serves every caller). */
  token(): Promise<string>;
  /** Hook (issue 5): the server refused the token; the next token() refreshes. */
  forget(): void;
  signal: AbortSignal;
}

/**
 * Steps other features add to every run (down-sync, audit upload): `beforeSend` runs after
 * the session is checked and before the first upload; `afterRun` after the last document
 * unless the run was stopped. A hook that throws fails the run like any other fault.
 */
export interface RunHooks {
  beforeSend: ((run: RunContext) => Promise<void>)[];
  afterRun: ((run: RunContext, report: SyncReport) => Promise<void>)[];
}

export interface RunOptions {
  signal?: AbortSignal;
  trigger?: SyncTrigger;
  /** Lanjutkan (sync.resume): goes on even from the CLI while a clerk's pause holds. */
  resume?: boolean;
}

type StopReason = 'pause' | 'cancel';
interface RunControl {
  abort: AbortController;
  reason: StopReason | null;
  /** Settles when the run has ended (never rejects). */
  done: Promise<unknown>;
}
type ProgressPhase = 'running' | 'paused' | 'cancelled' | 'done';

export interface SyncDeps {
  db: Db;
  blobs: BlobStore;
  clock: Clock;
  translate: Translate;
  events: EventSink;
  audit: AuditLog;
  /** The server a run talks to (null when the profile has no server address), sending `token()`. */
  server: (token: () => string | null) => SyncServer | null;
  sessions: ServerSessionStore;
  /** The profile's one ServerTokens per account (session.ts `sharedServerTokens`); without it the run keeps its own. */
  tokens?: (userId: number) => ServerTokens;
  /** A new idempotency key (a UUID). */
  uuid: () => string;
  /** In [0, 1): the jitter of a backoff. */
  random: () => number;
  /** Waits (a fake in tests); rejects when the signal aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The admin's settings, read when each run starts (defaults when absent). */
  settings?: () => SyncSettings;
  options?: Partial<SyncOptions>;
  /** Verification (issue 7): while true only documents a verifier approved are queued. */
  requireApproval?: () => boolean;
}

interface Item {
  outbox_id: number;
  document_id: number;
  state: SyncState;
  version: number;
  idempotency_key: string;
  sha256: string;
  size: number;
  upload_url: string | null;
  upload_offset: number;
  server_id: string | null;
  commit_sent_at: string | null;
  attempts: number;
  original_name: string;
  nip: string | null;
  type_code: string | null;
  fields: string;
}

/** A step that failed, and in which phase: the verdict on a code depends on it. */
class StepFailure extends Error {
  constructor(
    readonly error: unknown,
    readonly phase: Phase,
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

/** The document left the queue while its send was being prepared: nothing was sent. */
class Dequeued extends Error {}

/** The run ends here: the queue stays as it is. */
class StopRun extends Error {
  constructor(readonly code: 'session_revoked') {
    super(code);
  }
}

export function createSync(deps: SyncDeps) {
  const { db, translate } = deps;
  const tokens = new Map<number, ServerTokens>();
  const runLog = createRunLog(db);
  const hooks: RunHooks = { beforeSend: [], afterRun: [] };
  // Hook (issue 5, downsync.ts): pull before sending, audit after; `edits` sends a document the server holds as an update.
  const edits = installRunHooks(hooks, deps);
  /** The run going now, and how to stop it. */
  let current: RunControl | null = null;
  /**
   * Paused by the clerk: nothing starts on its own until a run is started by hand. Kept in
   * sync_hold (migration 019) and read from there each time, so a restart remembers it and
   * a `lemari sync --resume` in another process lifts it here too; a pause that only stops
   * the run (the app closing) is not the clerk's and holds nothing.
   */
  const readHold = db.prepare<[], { paused_at: string; paused_by: string }>('SELECT paused_at, paused_by FROM sync_hold WHERE id = 1');
  const clearHold = db.prepare('DELETE FROM sync_hold');
  const held = () => readHold.get() !== undefined;

  /** Settings as they are now; options given in code (tests) win. */
  function tuning() {
    const set = deps.settings?.();
    const given = Object.fromEntries(Object.entries(deps.options ?? {}).filter(([, value]) => value !== undefined)) as Partial<SyncOptions>;
    const merged = { ...DEFAULT_SYNC_OPTIONS, ...(set ? { maxAttempts: set.syncMaxAttempts } : {}), ...given };
    const bytesPerSecond = set?.syncBandwidthKbps ? kbpsToBytes(set.syncBandwidthKbps) : null;
    return { ...merged, chunkBytes: chunkFor(merged.chunkBytes, bytesPerSecond), bytesPerSecond, concurrency: set?.syncConcurrency ?? 1 };
  }
  const nowIso = () => deps.clock.now().toISOString();

  const selectItems = db.prepare(`
    SELECT o.id AS outbox_id, s.document_id, s.state, s.version, s.idempotency_key, s.sha256, s.size, s.upload_url, s.upload_offset,
           s.server_id, s.commit_sent_at, s.attempts, d.original_name, d.nip, d.type_code, d.fields
    FROM sync_outbox o JOIN document_sync s ON s.document_id = o.document_id JOIN documents d ON d.id = o.document_id
    ORDER BY o.id`);
  const selectItem = db.prepare(`
    SELECT o.id AS outbox_id, s.document_id, s.state, s.version, s.idempotency_key, s.sha256, s.size, s.upload_url, s.upload_offset,
           s.server_id, s.commit_sent_at, s.attempts, d.original_name, d.nip, d.type_code, d.fields
    FROM sync_outbox o JOIN document_sync s ON s.document_id = o.document_id JOIN documents d ON d.id = o.document_id
    WHERE o.document_id = ?`);

  function update(documentId: number, set: Record<string, unknown>): void {
    const columns = Object.keys(set);
    statement(db, `UPDATE document_sync SET ${columns.map((c) => `${c} = @${c}`).join(', ')}, updated_at = @updated_at WHERE document_id = @document_id`).run({
      ...set,
      updated_at: nowIso(),
      document_id: documentId,
    });
  }

  /** Puts a document (new, or refused before and fixed) in the outbox with a fresh key for its new version. */
  function enqueue(documentId: number, actor: Actor, nip: string | null): void {
    const doc = db.prepare('SELECT sha256, size FROM documents WHERE id = ?').get(documentId) as { sha256: string; size: number };
    const existing = db.prepare('SELECT version, sha256, upload_url, upload_offset FROM document_sync WHERE document_id = ?').get(documentId) as
      | { version: number; sha256: string; upload_url: string | null; upload_offset: number }
      | undefined;
    const now = nowIso();
    const key = deps.uuid();
    // The bytes did not change: an upload made for the last version still serves.
    const keepUpload = existing && existing.sha256 === doc.sha256;
    db.prepare(
      `INSERT INTO document_sync (document_id, state, version, idempotency_key, sha256, size, upload_url, upload_offset, queued_at, updated_at)
       VALUES (@id, 'queued', @version, @key, @sha256, @size, @url, @offset, @now, @now)
       ON CONFLICT (document_id) DO UPDATE SET state = 'queued', version = excluded.version, idempotency_key = excluded.idempotency_key,
         sha256 = excluded.sha256, size = excluded.size, upload_url = excluded.upload_url, upload_offset = excluded.upload_offset,
         server_id = NULL, server_version = NULL, commit_sent_at = NULL, error_code = NULL, error_message = NULL, attempts = 0, queued_at = excluded.queued_at, updated_at = excluded.updated_at`,
    ).run({
      id: documentId,
      version: (existing?.version ?? 0) + 1,
      key,
      sha256: doc.sha256,
      size: doc.size,
      url: keepUpload ? existing.upload_url : null,
      offset: keepUpload ? existing.upload_offset : 0,
      now,
    });
    db.prepare("INSERT INTO sync_outbox (document_id, kind, created_at) VALUES (?, 'commit', ?) ON CONFLICT (document_id) DO NOTHING").run(documentId, now);
    deps.audit.append({ actor: actor.id, action: 'document.queued', documentId, nip, detail: { version: (existing?.version ?? 0) + 1 } });
  }

  /** Ends a document's trip: verified, rejected or conflict; its outbox row goes in the same transaction. */
  function finish(
    item: Item,
    state: 'verified' | 'rejected' | 'conflict',
    set: Record<string, unknown>,
    actor: Actor,
    detail: Record<string, unknown>,
    runId: string,
    bytesSent: () => number,
    verifiedAs?: DmsDocument,
  ): void {
    writeTransaction(db, () => {
      // Hook (issue 5, conflicts.ts): a label changed while this send was in flight goes again, over the version this run sent.
      const relabelled = state === 'verified' && verifiedAs ? relabelledSince(db, item.document_id, verifiedAs) : null;
      update(item.document_id, { state, ...set, ...(relabelled ? { server_version: relabelled.sentVersion } : {}) });
      statement(db, 'DELETE FROM sync_outbox WHERE id = ?').run(item.outbox_id);
      if (relabelled) requeueEdited(db, deps.audit, item.document_id, actor, nowIso());
      const [code, reason] = [(set.error_code as string | null | undefined) ?? null, (set.error_message as string | null | undefined) ?? null];
      runLog.item(runId, { documentId: item.document_id, name: item.original_name, nip: item.nip, outcome: state, code, reason, size: item.size, at: nowIso() }, bytesSent());
      deps.audit.append({ actor: actor.id, action: state === 'verified' ? 'document.synced' : `document.sync_${state}`, documentId: item.document_id, nip: item.nip, detail });
    });
  }

  function problems(where: string, ...params: unknown[]): Problem[] {
    const rows = db
      .prepare(
        `SELECT s.document_id, d.original_name, s.state, s.error_code, s.error_message, s.attempts, s.updated_at
         FROM document_sync s JOIN documents d ON d.id = s.document_id WHERE ${where} ORDER BY s.document_id`,
      )
      .all(...params) as { document_id: number; original_name: string; state: SyncState; error_code: string | null; error_message: string | null; attempts: number; updated_at: string }[];
    return rows.map((row) => ({
      documentId: row.document_id,
      name: row.original_name,
      state: row.state,
      code: row.error_code ?? 'unknown',
      message: row.error_message ?? '',
      attempts: row.attempts,
      at: row.updated_at,
    }));
  }

  const unsent = "s.state IN ('rejected', 'conflict') OR (s.error_code IS NOT NULL AND s.state NOT IN ('verified'))";
  /** Verification (issue 7): with approval required, a document `d` may go only once a verifier approved it (main/core/review). */
  /**
   * What the verification lets go (a SQL condition on documents d): with approval on, what a
   * verifier approved; with it off, anything a verifier has not sent back, so a rejection
   * made while it was on still holds until the clerk relabels (completeness counts it as
   * rejected too).
   */
  const approvedOnly = () =>
    deps.requireApproval?.()
      ? "AND EXISTS (SELECT 1 FROM document_review r WHERE r.document_id = d.id AND r.state = 'approved')"
      : "AND NOT EXISTS (SELECT 1 FROM document_review r WHERE r.document_id = d.id AND r.state = 'rejected')";

  /** The run's documents still in the outbox go in its report as waiting, with their last error. */
  function recordWaiting(runId: string, items: Item[]): void {
    const ids = new Set(items.map((item) => item.document_id));
    const rows = selectItems.all() as Item[];
    const errors = db.prepare('SELECT error_code, error_message FROM document_sync WHERE document_id = ?');
    const at = nowIso();
    db.transaction(() => {
      for (const row of rows) {
        if (!ids.has(row.document_id)) continue;
        const error = errors.get(row.document_id) as { error_code: string | null; error_message: string | null };
        runLog.item(runId, { documentId: row.document_id, name: row.original_name, nip: row.nip, outcome: 'waiting', code: error.error_code, reason: error.error_message, size: row.size, at });
      }
    })();
  }

  async function run(userId: number, actor: Actor, trigger: SyncTrigger, stopSignal: AbortSignal, stopReason: () => StopReason | null): Promise<SyncReport> {
    const stored = deps.sessions.read(userId);
    if (!stored) throw new AppError('unauthenticated', translate('sync.no_server_session'));
    // The profile's shared tokens when given, so calls beside the run never refresh at the same time as it.
    const session = deps.tokens?.(userId) ?? tokens.get(userId) ?? new ServerTokens(userId, deps.sessions, deps.clock);
    tokens.set(userId, session);
    const reached = deps.server(() => session.current());
    if (!reached) throw new AppError('invalid_input', translate('activation.server_missing'));
    const server: SyncServer = reached;
    const refreshCall = (refreshToken: string, s?: AbortSignal) => server.call('auth.refresh', { body: { refreshToken } }, { signal: s });
    const tuned = tuning();
    // A revoked session or a fault in one worker stops the others too, without calling it a pause.
    const halt = new AbortController();
    const signal = AbortSignal.any([stopSignal, halt.signal]);
    // Several uploads may find the token stale at once: one refresh serves them all (the server spends each refresh token once).
    let refreshing: Promise<string> | null = null;
    const validToken = (): Promise<string> => {
      refreshing ??= session.valid(refreshCall, signal).finally(() => (refreshing = null));
      return refreshing;
    };

    const items = selectItems.all() as Item[];
    const runId = deps.uuid();
    const bytesTotal = items.reduce((sum, item) => sum + item.size, 0);
    const report: SyncReport = { runId, total: items.length, verified: 0, bytesSent: 0, problems: [], remaining: 0, cancelled: false, stopped: null, phase: 'done', trigger };
    const context: RunContext = { runId, userId, actor, trigger, server, token: validToken, forget: () => session.forget(), signal };
    const changed: number[] = [];
    runLog.begin({ runId, userId, actor: actor.id, trigger, at: nowIso(), total: items.length, bytesTotal });

    // Progress: whole documents settled, plus how far each one in flight got.
    const throttle = new Throttle(deps.clock, deps.sleep, tuned.bytesPerSecond, tuned.chunkBytes);
    const meter = new SpeedMeter(deps.clock);
    const inFlight = new Map<number, number>();
    let settledBytes = 0;
    let done = 0;
    const emit = (current: string | null, phase: ProgressPhase = 'running') => {
      let bytesDone = settledBytes;
      for (const bytes of inFlight.values()) bytesDone += bytes;
      meter.sample(bytesDone);
      const etaSeconds = phase === 'done' ? 0 : phase === 'running' ? meter.eta(bytesTotal - bytesDone) : null;
      deps.events.emit('sync.onDidProgress', { runId, done, total: items.length, bytesDone, bytesTotal, current, speedBps: meter.speed(), etaSeconds, phase });
    };
    emit(null);

    /**
     * Verified marks, committed in groups: a commit per scan (synchronous=FULL) blocked the
     * main thread both lanes share for a disk flush each. A mark that fails to commit stops
     * the run with its error; its scan goes again next run, answered by the document it made.
     */
    let markFault: unknown = null;
    const verifiedMarks = new CommitGroup(db, {
      size: VERIFIED_GROUP,
      ms: VERIFIED_MS,
      onError: (error) => {
        markFault ??= error;
        halt.abort();
      },
    });

    /**
     * Send marks taken ahead. A document's key may name a server document from the moment its
     * documents.send leaves, so 'uploading' with commit_sent_at must be durable before then; one
     * commit (synchronous=FULL) per scan blocked the main thread both lanes share. So the first
     * small document of a group marks itself and the next ones of the list (up to
     * SEND_MARK_GROUP) in one commit. A mark whose request never left is taken back when the run
     * ends (a cancel then dequeues the document as before); after a crash it stays, which only
     * means the next run sends that document with its key, as for any mark.
     */
    const reserved = new Map<number, { at: string; state: string }>();
    const position = new Map(items.map((item, index) => [item.document_id, index]));
    const fresh = (item: Item) =>
      (item.state === 'queued' || item.state === 'uploading') && item.commit_sent_at === null && item.upload_url === null && item.server_id === null && item.size <= Math.min(tuned.chunkBytes, DOCUMENT_SEND.maxBytes);
    const markSent = db.prepare(
      `UPDATE document_sync SET state = 'uploading', commit_sent_at = @at, updated_at = @at
        WHERE document_id = @id AND commit_sent_at IS NULL AND upload_url IS NULL AND server_id IS NULL AND state IN ('queued', 'uploading')`,
    );
    const unmarkSent = db.prepare(
      `UPDATE document_sync SET state = @state, commit_sent_at = NULL, updated_at = @now
        WHERE document_id = @id AND commit_sent_at = @at AND server_id IS NULL AND upload_url IS NULL`,
    );
    /** `item` (read just now, unmarked) and the fresh small documents after it in the list, marked in one commit. */
    function reserve(item: Item): void {
      const at = nowIso();
      const group = [item];
      for (let index = (position.get(item.document_id) ?? items.length) + 1; index < items.length && group.length < SEND_MARK_GROUP; index++) {
        if (fresh(items[index]) && !reserved.has(items[index].document_id)) group.push(items[index]);
      }
      writeTransaction(db, () => {
        for (const member of group) {
          if (markSent.run({ id: member.document_id, at }).changes === 1) reserved.set(member.document_id, { at, state: member.state });
        }
      });
      // Taken out of the queue since it was read (a page edit dequeues it): its request must not leave.
      if (!reserved.has(item.document_id)) throw new Dequeued();
      Object.assign(item, { state: 'uploading', commit_sent_at: at });
    }
    /** Marks whose requests never left, taken back (the run is over). */
    function releaseReserved(): void {
      if (reserved.size === 0) return;
      const now = nowIso();
      writeTransaction(db, () => {
        for (const [id, { at, state }] of reserved) unmarkSent.run({ id, at, state, now });
      });
      reserved.clear();
    }

    /** One document from wherever it stands to verified; throws what went wrong. `prepared`: its edit, when the caller asked already. */
    async function advance(item: Item, prepared?: Edit | null): Promise<void> {
      let phase: Phase = 'upload';
      try {
        // Hook (issue 5, conflicts.ts): a document the server already holds goes as documents.update over the version last seen.
        const edit = prepared !== undefined ? prepared : item.state === 'queued' || item.state === 'uploading' ? edits.prepare(item) : null;
        // The server's document as the commit (or update) answered it; null when that answer was lost in an earlier try.
        let answered: DmsDocument | null = null;
        if (edit) {
          if (edit.needsUpload) await upload(item);
          phase = 'commit';
          await validToken();
          answered = await edits.send((name, input) => server.call(name, input, { signal }), item, edit);
          update(item.document_id, { state: 'committed', server_id: answered.id, server_version: answered.version });
          Object.assign(item, { state: 'committed', server_id: answered.id });
        } else if (item.state === 'queued' || item.state === 'uploading') {
          if (whole(item)) {
            phase = 'commit';
            answered = await sendWhole(item);
          } else {
            await upload(item);
            phase = 'commit';
            await validToken();
            // From here the key may name a server document, whatever the answer: a cancel must not drop it.
            update(item.document_id, { commit_sent_at: nowIso() });
            const fields = JSON.parse(item.fields) as Record<string, string>;
            const committed = await server.call(
              'documents.commit',
              { body: { idempotencyKey: item.idempotency_key, uploadId: uploadIdOf(item.upload_url!), nip: item.nip ?? '', typeCode: item.type_code ?? '', fields, fileName: item.original_name } },
              { signal },
            );
            answered = committed.document;
          }
          // No 'committed' row between here and verified: finish records the server's id and version
          // with the verdict in one commit. A crash before it leaves the document 'uploading' with
          // commit_sent_at, and the next run sends the same key again, which answers the same document.
        }
        phase = 'verify';
        // The commit's answer is the server's record of the document, its SHA-256 included: read it back only when that answer is gone.
        let document = answered;
        if (!document) {
          await validToken();
          document = (await server.call('documents.get', { params: { id: item.server_id! } }, { signal })).document;
        }
        verify(item, document);
      } catch (error) {
        throw new StepFailure(error, phase);
      }
    }

    /**
     * The server's document must hold the local bytes (its SHA-256 is the local one); then the
     * verified mark is committed with the others of the next moment (commit-group.ts): a crash
     * before then re-sends under the same key, which answers this document.
     */
    function verify(item: Item, document: DmsDocument): void {
      if (document.sha256 !== item.sha256) {
        throw new DmsCallError('checksum_mismatch', translate('sync.hash_mismatch', { local: item.sha256, server: document.sha256 }), 422);
      }
      verifiedMarks.add(() =>
        finish(item, 'verified', { server_id: document.id, server_version: document.version, error_code: null, error_message: null }, actor, { serverId: document.id, version: document.version }, runId, () => report.bytesSent, document),
      );
    }

    /**
     * Whether a document goes by documents.send (bytes and label in one request) rather than
     * tus + commit. A fresh file of at most one chunk does. Once a send may have reached the
     * server (commit_sent_at without an upload URL) the document keeps going that way whatever
     * the chunk size is now (a bandwidth cap shrinks it): its key is bound to the send's
     * content on the server, and a commit of the same key would be refused as a conflict.
     */
    function whole(item: Item): boolean {
      if (item.upload_url !== null || item.size > DOCUMENT_SEND.maxBytes) return false;
      return item.commit_sent_at !== null || item.size <= tuned.chunkBytes;
    }

    /**
     * documents.send: one request creates the server document with its bytes, checked against
     * the SHA-256. The one commit before it marks the document 'uploading' with commit_sent_at:
     * the key (durable since it was queued) may name a server document from the moment the
     * request leaves, so a cancel must keep it and a page edit must wait (main/core/pages).
     * A cut request or a lost answer is sent again whole with the same key: the server answers
     * the document it made (created: false), never a second one.
     */
    async function sendWhole(item: Item): Promise<DmsDocument> {
      const token = await validToken();
      const bytes = streamed(item.sha256, 0, item.size);
      await throttle.take(bytes.length, signal);
      leaving(item);
      const { document } = await server.tus.send({ input: sendInput(item), bytes, token, signal });
      report.bytesSent += bytes.length;
      inFlight.set(item.document_id, bytes.length);
      emit(item.original_name);
      return document;
    }

    /**
     * A whole send's mark before its request leaves: durable 'uploading' with commit_sent_at
     * (reserved ahead by an earlier commit, or taken now with the next few). Throws Dequeued
     * when the document left the queue since it was read. From here the mark stays whatever
     * happens to the run.
     */
    function leaving(item: Item): void {
      const mark = reserved.get(item.document_id);
      if (mark) Object.assign(item, { state: 'uploading', commit_sent_at: mark.at });
      else if (item.commit_sent_at === null) reserve(item);
      else if (item.state !== 'uploading') {
        update(item.document_id, { state: 'uploading' });
        item.state = 'uploading';
      }
      reserved.delete(item.document_id);
    }

    const sendInput = (item: Item) => ({
      idempotencyKey: item.idempotency_key,
      sha256: item.sha256,
      nip: item.nip ?? '',
      typeCode: item.type_code ?? '',
      fields: JSON.parse(item.fields) as Record<string, string>,
      fileName: item.original_name,
    });

    /**
     * Sends the bytes the server does not have yet, paced by the shared cap. A fresh upload
     * asks nothing: its creation carries the first chunk (the server holds nothing of it yet).
     * Only an upload from an earlier try asks the server where it stands. The server answers
     * the request that brings the last byte only after it checked the SHA-256, so that
     * answer (offset = size) ends the upload; anything less certain asks its status.
     */
    async function upload(item: Item): Promise<void> {
      /** Bytes the server took: progress, and the offset (with `also`, other columns) in one commit. */
      const sent = (from: number, to: number, also: Record<string, unknown> = {}) => {
        report.bytesSent += Math.max(0, to - from);
        update(item.document_id, { ...also, upload_offset: to });
        item.upload_offset = to;
        inFlight.set(item.document_id, to);
        emit(item.original_name);
      };
      for (let fresh = 0; ; fresh++) {
        const token = await validToken();
        let offset: number;
        let answered = false;
        if (!item.upload_url) {
          const bytes = streamed(item.sha256, 0, Math.min(item.size, tuned.chunkBytes));
          await throttle.take(bytes.length, signal);
          const created = await server.tus.create({ size: item.size, fileName: item.original_name, sha256: item.sha256, token, bytes, signal });
          // State, URL and offset in one commit: nothing needs 'uploading' durable before the
          // creation (a kill during it costs its chunk under a new upload, which expires).
          item.state = 'uploading';
          item.upload_url = created.url;
          sent(0, created.offset, { state: 'uploading', upload_url: created.url });
          offset = created.offset;
          answered = offset === item.size;
        } else {
          if (item.state === 'queued') {
            update(item.document_id, { state: 'uploading' });
            item.state = 'uploading';
          }
          const status = await server.call('uploads.get', { params: { id: uploadIdOf(item.upload_url) } }, { signal });
          if (status.status === 'complete') return;
          if (status.status === 'rejected' || status.status === 'expired') {
            if (fresh > 0) throw new DmsCallError('upload_gone', translate('sync.upload_refused', { status: status.status }), 410);
            update(item.document_id, { upload_url: null, upload_offset: 0 });
            Object.assign(item, { upload_url: null, upload_offset: 0 });
            continue;
          }
          // HEAD is tus's word on where to resume; the status answer may predate a PATCH still landing.
          offset = await server.tus.offset(item.upload_url, session.current() ?? token, signal);
          inFlight.set(item.document_id, offset);
        }
        // At least one PATCH on a resume: at offset = size, an empty one runs the server's check again.
        while (!answered) {
          const end = Math.min(item.size, offset + tuned.chunkBytes);
          const bytes = end > offset ? streamed(item.sha256, offset, end) : new Uint8Array(0);
          await throttle.take(bytes.length, signal);
          const next = await server.tus.patch(item.upload_url, offset, bytes, session.current() ?? token, signal);
          sent(offset, next);
          offset = next;
          answered = offset >= item.size;
        }
        if (offset === item.size) return;
        // The server claims more bytes than the file has: ask what it made of them.
        const after = await server.call('uploads.get', { params: { id: uploadIdOf(item.upload_url) } }, { signal });
        if (after.status === 'complete') return;
        if (after.status === 'receiving') throw new DmsCallError('upload_incomplete', translate('sync.upload_incomplete'), 409);
        throw new DmsCallError('upload_gone', translate('sync.upload_refused', { status: after.status }), 410);
      }
    }

    /**
     * Bytes [start, end) of a blob as a request body streamed out of the blob store, opened
     * when the request first reads it: no copy of the file in memory (fetch would copy an
     * in-memory body whole once more), and a request that ends early closes the file.
     */
    function streamed(sha256: string, start: number, end: number): Payload {
      return { length: end - start, stream: deps.blobs.pieces(sha256, { start, end: end - 1 }) };
    }

    /**
     * One document, with retries; answers how it ended. `start`: how its first try went when a
     * batch made it (`failed`), or its edit when the caller prepared it.
     */
    async function send(item: Item, start: { failed?: StepFailure; edit?: Edit | null } = {}): Promise<void> {
      let attempts = 0;
      let refreshes = 0;
      let { failed, edit } = start;
      for (;;) {
        try {
          if (failed) throw failed;
          await advance(item, edit);
          report.verified++;
          return;
        } catch (failure) {
          [failed, edit] = [undefined, undefined];
          if (signal.aborted) throw failure;
          const { error, phase } = failure as StepFailure;
          if (error instanceof Dequeued) return;
          const verdict = verdictOf(error, phase);
          if (verdict.kind === 'stop') throw new StopRun(verdict.code);
          if (verdict.kind === 'refresh') {
            // One refresh per failure in a row: a server that refuses every fresh token is not looped on.
            if (++refreshes > 2) throw new StopRun('session_revoked');
            session.forget();
            continue;
          }
          refreshes = 0;
          if (verdict.kind === 'reject' || verdict.kind === 'conflict') {
            const state = verdict.kind === 'reject' ? 'rejected' : 'conflict';
            finish(item, state, { error_code: verdict.code, error_message: verdict.message }, actor, { code: verdict.code, message: verdict.message }, runId, () => report.bytesSent);
            return;
          }
          attempts++;
          const reset = verdict.kind === 'reupload' ? { upload_url: null, upload_offset: 0 } : {};
          update(item.document_id, { ...reset, attempts: item.attempts + attempts, error_code: verdict.code, error_message: verdict.message });
          Object.assign(item, reset);
          inFlight.set(item.document_id, 0);
          if (attempts >= tuned.maxAttempts) return; // left queued with its error; the next run tries again
          const backoff = Math.min(tuned.maxDelayMs, tuned.baseDelayMs * 2 ** (attempts - 1));
          await deps.sleep(Math.max(verdict.kind === 'retry' ? (verdict.waitMs ?? 0) : 0, backoff / 2 + (deps.random() * backoff) / 2), signal);
        }
      }
    }

    /**
     * Whether a document goes in a documents.sendBatch: one that goes whole by documents.send
     * (`whole`) and is not known to the server. Batches only on a link without a cap: the cap
     * paces each request's bytes, and a batch would take them in one long burst.
     */
    let batching = tuned.bytesPerSecond === null && tuned.batchItems > 1;
    const batchable = (item: Item) => (item.state === 'queued' || item.state === 'uploading') && item.server_id === null && whole(item);

    /** Takes documents off the shared list until it is empty or the run stops: a batch of small ones at a time where it can. */
    let next = 0;
    async function worker(): Promise<void> {
      while (!signal.aborted && next < items.length) {
        const group = [items[next++]];
        if (batching && batchable(group[0])) {
          let bytes = group[0].size;
          while (next < items.length && group.length < tuned.batchItems && batchable(items[next]) && bytes + items[next].size <= SEND_BATCH_BYTES) {
            bytes += items[next].size;
            group.push(items[next++]);
          }
        }
        if (group.length > 1) await sendGroup(group);
        // Read again: an earlier item's retries may have taken long, and the row is the truth.
        else await settle(group[0], readItem(group[0]), (item) => send(item));
      }
    }

    const readItem = (listed: Item) => (selectItem.get(listed.document_id) as Item | undefined) ?? null;

    /** A listed document taken through `work` (`item`: its row as read again, null when it left the queue), then counted as settled. */
    async function settle(listed: Item, item: Item | null, work: (item: Item) => Promise<void>): Promise<void> {
      if (item) {
        if (!inFlight.has(item.document_id)) inFlight.set(item.document_id, 0);
        emit(item.original_name);
        try {
          await work(item);
        } finally {
          inFlight.delete(item.document_id);
        }
        changed.push(item.document_id);
      }
      settledBytes += listed.size;
      done++;
      emit(null);
    }

    /**
     * Small documents in one documents.sendBatch: one request, and on the server one
     * authentication, one query of the labels' facts and one insert for all of them. Each
     * item's answer is taken as a documents.send answer would be: its document verified, its
     * error judged (rejected, or tried again alone by `send`). A batch that fails as a whole
     * (the link, the server) leaves each document to `send`, the first with that failure as
     * its first try (so it counts, and backs off); the keys make a document the batch did
     * store come back as it is. A server without the route (an older one), or a proxy in
     * front of it that refuses a body this large, gets no more batches this run.
     */
    async function sendGroup(group: Item[]): Promise<void> {
      const rows = group.map(readItem);
      const batch: { listed: Item; item: Item }[] = [];
      const alone: { listed: Item; item: Item | null; edit?: Edit | null }[] = [];
      for (const [index, listed] of group.entries()) {
        const item = rows[index];
        // Hook (issue 5, conflicts.ts): bytes another workstation committed already go as an edit, alone.
        const edit = item && batchable(item) ? edits.prepare(item) : undefined;
        if (item && edit === null) batch.push({ listed, item });
        else alone.push({ listed, item, edit });
      }
      let results: BatchResult[] | null = null;
      let failure: StepFailure | null = null;
      // The token before any mark, as for a single send: a session found revoked leaves the documents queued.
      let token: string | null = null;
      try {
        if (batch.length > 0) token = await validToken();
      } catch (error) {
        if (signal.aborted) throw error;
        failure = new StepFailure(error, 'commit');
      }
      const going: typeof batch = [];
      for (const entry of batch) {
        try {
          if (token) leaving(entry.item);
          going.push(entry);
        } catch (error) {
          if (!(error instanceof Dequeued)) throw error;
          await settle(entry.listed, entry.item, async () => {}); // out of the queue since it was read: not sent
        }
      }
      if (token && going.length > 0) {
        for (const { item } of going) inFlight.set(item.document_id, 0);
        emit(going[0].item.original_name);
        try {
          results = await server.tus.sendBatch({
            items: going.map(({ item }) => ({ input: sendInput(item), bytes: streamed(item.sha256, 0, item.size) })),
            token,
            signal,
            sent: (index) => {
              inFlight.set(going[index].item.document_id, going[index].item.size);
              emit(going[index + 1]?.item.original_name ?? null);
            },
          });
          report.bytesSent += going.reduce((sum, { item }) => sum + item.size, 0);
        } catch (error) {
          if (signal.aborted) throw error;
          // No such route (an older server), or a proxy that takes no body this large: single sends from here on.
          if (error instanceof DmsCallError && (error.status === 404 || error.status === 405 || error.status === 413)) batching = false;
          else failure = new StepFailure(error, 'commit');
        }
      }
      for (const [index, { listed, item }] of going.entries()) {
        const result = results?.[index];
        await settle(listed, item, async () => {
          if (result && 'document' in result) {
            try {
              verify(item, result.document);
              report.verified++;
              return;
            } catch (error) {
              return send(item, { failed: new StepFailure(error, 'verify') });
            }
          }
          if (result) return send(item, { failed: new StepFailure(result.error, 'commit') });
          const first = failure;
          failure = null;
          return send(item, first ? { failed: first } : {});
        });
      }
      for (const { listed, item, edit } of alone) await settle(listed, item, (row) => send(row, edit === undefined ? {} : { edit }));
    }

    let fault: unknown = null;
    try {
      for (const hook of hooks.beforeSend) await hook(context);
      const workers = Math.max(1, Math.min(tuned.concurrency, items.length));
      await Promise.all(
        Array.from({ length: workers }, () =>
          worker().catch((error: unknown) => {
            if (error instanceof StopRun) report.stopped = error.code;
            else if (!stopSignal.aborted) fault ??= error;
            halt.abort();
          }),
        ),
      );
      // The verified marks before the hooks: the audit upload sends their entries in this run.
      verifiedMarks.flush();
      fault ??= markFault;
      if (fault) throw fault;
      if (!signal.aborted) for (const hook of hooks.afterRun) await hook(context, report);
    } catch (error) {
      if (!signal.aborted || fault) throw error;
    } finally {
      verifiedMarks.flush();
      releaseReserved();
      if (changed.length > 0) deps.events.emit('documents.onDidChange', { ids: changed });
    }
    report.cancelled = stopSignal.aborted;
    report.phase = stopReason() === 'cancel' ? 'cancelled' : report.cancelled ? 'paused' : 'done';
    recordWaiting(runId, items);
    runLog.end(runId, { at: nowIso(), phase: report.phase, stopped: report.stopped, bytesSent: report.bytesSent });
    emit(null, report.phase);
    report.remaining = (db.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n;
    report.problems = problems(unsent);
    deps.audit.append({
      actor: actor.id,
      action: 'sync.run',
      detail: { runId, trigger, verified: report.verified, problems: report.problems.length, remaining: report.remaining, phase: report.phase, stopped: report.stopped },
    });
    return report;
  }

  return {
    /** Puts every ready document that is not on its way yet (or was refused) in the outbox. */
    queue(actor: Actor): { queued: number } {
      return writeTransaction(db, () => {
        const approved = approvedOnly();
        const rows = db
          .prepare(
            `SELECT d.id, d.nip FROM documents d LEFT JOIN document_sync s ON s.document_id = d.id
             WHERE d.state = 'ready' AND (s.document_id IS NULL OR s.state = 'rejected') ${approved}
               -- Retention (issue 7): a destroyed document's bytes are gone; its metadata stays but is never sent.
               AND d.id NOT IN (SELECT document_id FROM document_disposals WHERE disposition = 'musnah') ORDER BY d.id`,
          )
          .all() as { id: number; nip: string | null }[];
        for (const row of rows) enqueue(row.id, actor, row.nip);
        return { queued: rows.length };
      });
    },

    /** Sends rejected documents again (after a fix) and clears the errors of those that failed, so the next run tries them first thing. */
    retry(actor: Actor, ids?: number[]): { requeued: number } {
      return writeTransaction(db, () => {
        const rows = db
          .prepare(
            `SELECT s.document_id, s.state, d.nip, d.state AS label_state, (1 ${approvedOnly()}) AS approved
             FROM document_sync s JOIN documents d ON d.id = s.document_id WHERE ${unsent}`,
          )
          .all() as { document_id: number; state: SyncState; nip: string | null; label_state: DocumentState; approved: number }[];
        let requeued = 0;
        for (const row of rows) {
          if (ids && !ids.includes(row.document_id)) continue;
          if (row.state === 'conflict') continue; // resolved by the clerk choosing a side, not by sending again
          if (row.state === 'rejected') {
            // Fixed and relabelled, it goes again only once a verifier approved the new label.
            if (row.label_state !== 'ready' || row.approved !== 1) continue;
            enqueue(row.document_id, actor, row.nip);
          } else {
            update(row.document_id, { error_code: null, error_message: null, attempts: 0 });
          }
          requeued++;
        }
        return { requeued };
      });
    },

    status(): SyncStatus {
      const counts = Object.fromEntries(SYNC_STATES.map((state) => [state, 0])) as Record<SyncState, number>;
      for (const row of db.prepare('SELECT state, count(*) AS n FROM document_sync GROUP BY state').all() as { state: SyncState; n: number }[]) counts[row.state] = row.n;
      const ready = db.prepare(`SELECT count(*) AS n FROM documents d LEFT JOIN document_sync s ON s.document_id = d.id WHERE d.state = 'ready' AND s.document_id IS NULL ${approvedOnly()}`).get() as { n: number };
      const pending = db.prepare('SELECT count(*) AS n, coalesce(sum(s.size), 0) AS bytes FROM sync_outbox o JOIN document_sync s ON s.document_id = o.document_id').get() as { n: number; bytes: number };
      return { counts, readyNotQueued: ready.n, pending: pending.n, pendingBytes: pending.bytes, running: current !== null, paused: held(), problems: problems(unsent) };
    },

    /** One run at a time per profile: a second caller is told so rather than racing the first over the same rows. */
    async run(userId: number, actor: Actor, options: RunOptions | AbortSignal = {}): Promise<SyncReport> {
      const { signal, trigger, resume } = options instanceof AbortSignal ? { signal: options, trigger: undefined, resume: false } : options;
      if (current) throw new AppError('conflict', translate('sync.already_running'));
      // Only a clerk at the app (Sinkronkan sekarang, Lanjutkan) or a resume lifts a clerk's pause;
      // an OS scheduler's `lemari sync` is told who paused and when.
      const hold = readHold.get();
      if (hold && trigger !== undefined && trigger !== 'manual' && !resume) {
        throw new AppError('conflict', translate('sync.held', { by: hold.paused_by, at: hold.paused_at }));
      }
      const abort = new AbortController();
      const control: RunControl = { abort, reason: null, done: Promise.resolve() };
      current = control;
      clearHold.run();
      try {
        const running = run(userId, actor, trigger ?? 'manual', signal ? AbortSignal.any([signal, abort.signal]) : abort.signal, () => control.reason);
        control.done = running.catch(() => {});
        return await running;
      } finally {
        current = null;
      }
    },

    /**
     * Stops the run at once; the queue and each upload's offset stay, so a resume goes on from
     * there. A clerk's pause (`actor` given) holds, across restarts, until a run is started or
     * resumed by hand; the app closing stops the run without holding anything.
     */
    async pause(actor?: Actor): Promise<{ paused: boolean }> {
      const run = current;
      if (!run) return { paused: false };
      run.reason ??= 'pause';
      run.abort.abort();
      await run.done;
      if (!actor) return { paused: true };
      writeTransaction(db, () => {
        db.prepare('INSERT OR REPLACE INTO sync_hold (id, paused_at, paused_by) VALUES (1, ?, ?)').run(deps.clock.now().toISOString(), actor.id);
        deps.audit.append({ actor: actor.id, action: 'sync.paused', detail: {} });
      });
      return { paused: true };
    },

    /**
     * Stops the run and takes every document that has not reached the server out of the outbox,
     * back to ready and not queued. One whose commit may have been sent stays: its key may
     * already name a server document, and the next run verifies it.
     */
    async cancel(actor: Actor): Promise<{ dequeued: number }> {
      const run = current;
      if (run) {
        run.reason = 'cancel';
        run.abort.abort();
        await run.done;
      }
      return writeTransaction(db, () => {
        clearHold.run();
        const rows = db
          .prepare(
            `SELECT s.document_id FROM sync_outbox o JOIN document_sync s ON s.document_id = o.document_id
             WHERE s.state IN ('queued', 'uploading') AND s.commit_sent_at IS NULL AND s.server_id IS NULL ORDER BY o.id`,
          )
          .all() as { document_id: number }[];
        for (const { document_id } of rows) {
          db.prepare('DELETE FROM sync_outbox WHERE document_id = ?').run(document_id);
          db.prepare('DELETE FROM document_sync WHERE document_id = ?').run(document_id);
        }
        deps.audit.append({ actor: actor.id, action: 'sync.cancelled', detail: { dequeued: rows.length, ids: rows.map((row) => row.document_id) } });
        return { dequeued: rows.length };
      });
    },

    /** Paused by the clerk and not started again since. */
    get paused(): boolean {
      return held();
    },

    /** Something waits to go: in the outbox, or ready and not queued yet. */
    pending(): boolean {
      const { n } = db
        .prepare("SELECT (SELECT count(*) FROM sync_outbox) + (SELECT count(*) FROM documents d LEFT JOIN document_sync s ON s.document_id = d.id WHERE d.state = 'ready' AND s.document_id IS NULL) AS n")
        .get() as { n: number };
      return n > 0;
    },

    /** Steps other features add to every run (see RunHooks). */
    hooks,
    reports: runLog,
  };
}

export type SyncService = ReturnType<typeof createSync>;
export { sealedSessionStore, ServerTokens, sharedServerTokens, type ServerSessionStore } from './session';
