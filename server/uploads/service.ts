// What the server does with uploads beside the tus protocol itself: the uploads table
// (one row per upload, with its instansi, device and user), who may see an upload, the
// check of the declared SHA-256 when the last byte arrives, the move of verified bytes into
// the blob store, and the expiry of abandoned uploads.
//
// An upload becomes `complete` only after its stored bytes hash to the declared SHA-256
// and sit in the blob store under blobKey(sha256); a mismatch marks it `rejected` and keeps
// nothing. Content addressing makes a second upload of known bytes cost no space: the
// blob is already there, and only the row is added.
//
// Expiry: an upload that has not progressed for config.uploadExpiryHours is marked
// `expired` and its bytes removed (0 hours turns expiry off). Every node sweeps
// periodically; two sweeps at once are safe, because a sweep only touches an upload whose
// lock it can take without waiting (an upload being written is never expired under its
// writer) and only the sweep whose conditional UPDATE wins removes the bytes.
import type { Upload } from '@tus/server';
import { stat } from 'node:fs/promises';
import { fileNameProblem, uploadMetadataSchema, type UploadStatusInfo } from '../../common/dms/uploads';
import type { Principal } from '../auth/tokens';
import { blobKey } from '../blobs';
import type { ServerDeps } from '../deps';
import { DmsError } from '../http/errors';
import type { UploadLocker } from './locks';
import type { UploadStore } from './store';

export interface UploadRow {
  id: string;
  instansi_id: string;
  device_id: string;
  user_id: number;
  file_name: string;
  declared_sha256: string;
  size: number;
  status: 'receiving' | 'complete' | 'rejected' | 'expired';
  blob_key: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

const HOUR_MS = 3_600_000;
/**
 * A write's progress is recorded at most this often per upload and node: expiry counts
 * in hours, and a PATCH already recorded progress as it began (checkTusAccess), so one of
 * many short PATCHes costs one statement, not two.
 */
const PROGRESS_EVERY_MS = 60_000;
/** Most uploads whose last recorded progress a node remembers. */
const MAX_RECORDED = 10_000;
/** Most uploads one sweep expires; the next sweep takes the rest. */
const SWEEP_BATCH = 500;

function notFound(): DmsError {
  return new DmsError('not_found', 'No such upload.');
}

function gone(row: Pick<UploadRow, 'status'>): DmsError {
  return new DmsError(
    'upload_gone',
    row.status === 'rejected' ? 'This upload was rejected (checksum mismatch) and its bytes discarded; upload the file again.' : 'This upload expired and its bytes were removed; upload the file again.',
    { status: row.status },
  );
}

export class UploadService {
  /** When this node last recorded progress of an upload (deps.now() ms), by id. */
  private readonly recorded = new Map<string, number>();

  constructor(
    private readonly deps: ServerDeps,
    readonly store: UploadStore,
    readonly locker: UploadLocker,
  ) {}

  private iso(ms = this.deps.now()): string {
    return new Date(ms).toISOString();
  }

  private get expiryMs(): number {
    return this.deps.config.uploadExpiryHours * HOUR_MS;
  }

  async row(id: string): Promise<UploadRow | null> {
    if (!/^[0-9a-f]{32}$/.test(id)) return null;
    const { rows } = await this.deps.db.query<UploadRow>('select * from uploads where id = $1', [id]);
    return rows[0] ?? null;
  }

  /** The upload if the caller's instansi owns it; another instansi's upload does not exist. */
  async visible(principal: Principal, id: string): Promise<UploadRow> {
    const row = await this.row(id);
    if (!row || row.instansi_id !== principal.instansiId) throw notFound();
    return row;
  }

  /**
   * Before a tus request touches an upload: it must be the caller's, and its bytes still
   * there. A PATCH also records progress (a client is sending; expiry counts from here),
   * in the same statement: the update touches only a row of the caller's instansi.
   */
  async checkTusAccess(principal: Principal, id: string, patch = false): Promise<void> {
    if (!patch) {
      const row = await this.visible(principal, id);
      if (row.status === 'rejected' || row.status === 'expired') throw gone(row);
      return;
    }
    if (!/^[0-9a-f]{32}$/.test(id)) throw notFound();
    const now = this.deps.now();
    const { rows } = await this.deps.db.query<Pick<UploadRow, 'status'>>(
      `update uploads set updated_at = case when status = 'receiving' then $3 else updated_at end
        where id = $1 and instansi_id = $2
        returning status`,
      [id, principal.instansiId, this.iso(now)],
    );
    const row = rows[0];
    if (!row) throw notFound();
    if (row.status === 'rejected' || row.status === 'expired') throw gone(row);
    this.remember(id, now);
  }

  private remember(id: string, now: number): void {
    this.recorded.delete(id);
    this.recorded.set(id, now);
    if (this.recorded.size > MAX_RECORDED) this.recorded.delete(this.recorded.keys().next().value!);
  }

  /** tus creation: validates the metadata and records the upload. */
  async create(principal: Principal, upload: Upload): Promise<void> {
    const metadata = upload.metadata ?? {};
    const nameProblem = fileNameProblem(metadata.filename);
    if (nameProblem) throw new DmsError('invalid_file_name', `Upload-Metadata filename: ${nameProblem}.`);
    const parsed = uploadMetadataSchema.safeParse(metadata);
    if (!parsed.success) {
      const unknown = parsed.error.issues.find((issue) => issue.code === 'unrecognized_keys');
      if (unknown) throw new DmsError('unknown_field', `Unknown Upload-Metadata key(s): ${unknown.keys.join(', ')}.`, { keys: unknown.keys });
      const issues = parsed.error.issues.map((issue) => ({ path: ['Upload-Metadata', ...issue.path.map(String)].join('.'), message: issue.message }));
      throw new DmsError('invalid_input', `Invalid Upload-Metadata: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
    }
    if (upload.size === undefined) throw new DmsError('invalid_input', 'Upload-Length is required.');
    const now = this.iso();
    await this.deps.db.query(
      `insert into uploads (id, instansi_id, device_id, user_id, file_name, declared_sha256, size, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
      [upload.id, principal.instansiId, principal.deviceId, principal.userId, parsed.data.filename, parsed.data.sha256, upload.size, now],
    );
  }

  /** Bytes arrived: the upload is alive (expiry counts from here), unless this node recorded that a moment ago. */
  async progressed(id: string): Promise<void> {
    const now = this.deps.now();
    const last = this.recorded.get(id);
    if (last !== undefined && now - last >= 0 && now - last < PROGRESS_EVERY_MS) return;
    try {
      await this.deps.db.query("update uploads set updated_at = $2 where id = $1 and status = 'receiving'", [id, this.iso(now)]);
      this.remember(id, now);
    } catch (error) {
      this.deps.log.error({ err: error, upload: id }, 'recording upload progress failed');
    }
  }

  async status(principal: Principal, id: string): Promise<UploadStatusInfo> {
    let row = await this.visible(principal, id);
    let offset = row.status === 'complete' ? row.size : 0;
    if (row.status === 'receiving') {
      try {
        offset = (await stat(this.store.path(id))).size;
      } catch {
        // Moved into the blob store a moment ago, or never created: the row tells which.
        row = await this.visible(principal, id);
        offset = row.status === 'complete' ? row.size : 0;
      }
    }
    return {
      id: row.id,
      status: row.status,
      offset,
      size: row.size,
      sha256: row.declared_sha256,
      fileName: row.file_name,
      createdAt: row.created_at,
      expiresAt: row.status === 'receiving' && this.expiryMs > 0 ? this.iso(Date.parse(row.updated_at) + this.expiryMs) : null,
      completedAt: row.completed_at,
    };
  }

  /**
   * The last byte arrived: verify and keep, or reject and discard. Runs under the upload's
   * lock (tus releases its own before calling this), so a resume on another node waits for
   * the verdict instead of finding the bytes half moved; a holder's release request is
   * ignored here, as this step ends by itself. Repeating it is harmless.
   */
  async finish(id: string): Promise<void> {
    const lock = this.locker.newLock(id);
    await lock.lock(new AbortController().signal, () => {});
    try {
      const row = await this.row(id);
      if (!row) throw notFound();
      if (row.status === 'complete') return;
      if (row.status !== 'receiving') throw gone(row);
      const sha256 = await this.store.hashAndSync(id, row.size);
      if (sha256 !== row.declared_sha256) {
        await this.deps.db.query("update uploads set status = 'rejected', updated_at = $2 where id = $1 and status = 'receiving'", [id, this.iso()]);
        await this.store.discard(id);
        throw new DmsError('checksum_mismatch', 'The bytes received do not hash to the declared SHA-256; nothing was kept.', {
          declared: row.declared_sha256,
          received: sha256,
        });
      }
      const key = blobKey(sha256);
      if (!(await this.deps.blobs.stat(key))) await this.deps.blobs.putFile(key, this.store.path(id), { size: row.size, sha256 });
      const now = this.iso();
      await this.deps.db.query(
        "update uploads set status = 'complete', blob_key = $2, completed_at = $3, updated_at = $3 where id = $1 and status = 'receiving'",
        [id, key, now],
      );
      await this.store.discard(id);
    } finally {
      await lock.unlock();
    }
  }

  /** Expires uploads without progress for config.uploadExpiryHours; returns how many. */
  async expire(): Promise<number> {
    if (this.expiryMs <= 0) return 0;
    const cutoff = this.iso(this.deps.now() - this.expiryMs);
    const { rows } = await this.deps.db.query<{ id: string }>(
      "select id from uploads where status = 'receiving' and updated_at < $1 order by updated_at limit $2",
      [cutoff, SWEEP_BATCH],
    );
    let expired = 0;
    for (const { id } of rows) {
      const unlock = await this.locker.tryLock(id);
      if (!unlock) continue; // being written right now: alive
      try {
        const done = await this.deps.db.query(
          "update uploads set status = 'expired', updated_at = $3 where id = $1 and status = 'receiving' and updated_at < $2",
          [id, cutoff, this.iso()],
        );
        if (done.rowCount === 1) {
          await this.store.discard(id);
          expired++;
        }
      } finally {
        await unlock();
      }
    }
    return expired;
  }
}
