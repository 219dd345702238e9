// Down-sync (issue 5): what the workstation reads from the central server, by change feed
// and cursor. The instansi's employees are upserted into the local employee table (a newer
// local row is kept; nothing local is deleted: the server's feeds have no deletions), its
// document types into document_types and dms_document_types, and the server's document
// index into dms_documents (a deleted document stays, marked), so the workstation can say
// "sudah di DMS" for an employee's document type before a clerk scans it again. Each page
// is stored with its cursor in one transaction: a cut link resumes at the page it lost.
import type { DmsRouteName } from '../../../common/dms';
import type { DmsDocument } from '../../../common/dms/documents';
import type { DmsDocumentType, DmsEmployee } from '../../../common/dms/reference';
import { AppError } from '../../../common/errors';
import type { BlobStore } from '../../infra/blobs';
import type { Db } from '../../infra/db';
import { DmsCallError, type DmsInput, type DmsOutput } from '../../infra/dms';
import type { AuditLog } from '../audit';
import type { Clock, Translate } from '../ports';
import { uploadAudit } from './audit-upload';
import { createConflicts, type Conflicts } from './conflicts';
import type { RunContext, RunHooks } from './index';
import { ServerTokens, type RefreshCall, type ServerSessionStore } from './session';

/** A call to the server with the run's token, refreshed once when the server says it expired. */
export type AuthedCall = <N extends DmsRouteName>(name: N, input: DmsInput<N>) => Promise<DmsOutput<N>>;

type RawCall = <N extends DmsRouteName>(name: N, input: DmsInput<N>, init?: { signal?: AbortSignal }) => Promise<DmsOutput<N>>;

/** How a caller holds its server session: a valid token (refreshed when due), and forgetting one the server refused. */
export interface TokenSource {
  token(): Promise<string>;
  forget(): void;
}

export function authedCall(call: RawCall, tokens: TokenSource, signal?: AbortSignal): AuthedCall {
  return async (name, input) => {
    for (let attempt = 0; ; attempt++) {
      await tokens.token();
      try {
        return await call(name, input, { signal });
      } catch (error) {
        const expired = error instanceof DmsCallError && (error.code === 'token_expired' || error.code === 'unauthenticated');
        if (!expired || attempt > 0) throw error;
        tokens.forget();
      }
    }
  };
}

/**
 * The run's hooks (index.ts RunHooks): down-sync before the first document, the audit entries
 * after the last. Neither holds up sending: a failed pull or ingest leaves its cursor, and
 * the next run goes on from there. Answers the edit sender the engine uses for updates.
 */
export function installRunHooks(hooks: RunHooks, deps: { db: Db; blobs: BlobStore; clock: Clock; translate: Translate; audit: AuditLog }): Conflicts {
  const downsync = createDownsync(deps);
  const quietly = (run: RunContext, work: (call: AuthedCall) => Promise<unknown>) =>
    work(authedCall(run.server.call, { token: run.token, forget: run.forget }, run.signal)).then(
      () => undefined,
      (error: unknown) => {
        if (run.signal.aborted) throw error;
      },
    );
  hooks.beforeSend.push((run) => quietly(run, (call) => downsync.pull(call)));
  hooks.afterRun.push((run, report) => (report.stopped === null ? quietly(run, (call) => uploadAudit(deps.audit, call)) : Promise.resolve()));
  return createConflicts({ ...deps, downsync });
}

/** Calls outside a run (a pull by hand, a conflict's download): the account's server session, refreshed as a run does. */
export function serverConnector(deps: { sessions: ServerSessionStore; clock: Clock; translate: Translate; server: (token: () => string | null) => { call: RawCall } | null; tokens?: (userId: number) => ServerTokens }) {
  return (userId: number, signal?: AbortSignal): AuthedCall => {
    if (!deps.sessions.read(userId)) throw new AppError('unauthenticated', deps.translate('sync.no_server_session'));
    const session = deps.tokens?.(userId) ?? new ServerTokens(userId, deps.sessions, deps.clock);
    const server = deps.server(() => session.current());
    if (!server) throw new AppError('invalid_input', deps.translate('activation.server_missing'));
    const refresh: RefreshCall = (refreshToken, s) => server.call('auth.refresh', { body: { refreshToken } }, { signal: s });
    return authedCall(server.call, { token: () => session.valid(refresh, signal), forget: () => session.forget() }, signal);
  };
}

export interface PullCounts {
  employees: number;
  documentTypes: number;
  documents: number;
}

/** One row of the server's document index, as the workstation shows it. */
export interface IndexedDocument {
  serverId: string;
  typeCode: string;
  sha256: string;
  version: number;
  /** A local document holds the same bytes. */
  local: boolean;
}

const PAGE = 500;

export function createDownsync(deps: { db: Db; clock: Clock }) {
  const { db } = deps;
  const nowIso = () => deps.clock.now().toISOString();

  const cursorOf = db.prepare('SELECT cursor FROM dms_feeds WHERE name = ?');
  const setCursor = db.prepare('INSERT INTO dms_feeds (name, cursor, pulled_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor, pulled_at = excluded.pulled_at');
  const upsertEmployee = db.prepare(`
    INSERT INTO employees (nip, kind, nama, tempat_lahir, tanggal_lahir, golongan, jabatan, unit_kerja, kedudukan_hukum, updated_at)
    VALUES (@nip, @kind, @nama, @tempatLahir, @tanggalLahir, @golongan, @jabatan, @unitKerja, @kedudukanHukum, @updatedAt)
    ON CONFLICT (nip) DO UPDATE SET kind = excluded.kind, nama = excluded.nama, tempat_lahir = excluded.tempat_lahir,
      tanggal_lahir = excluded.tanggal_lahir, golongan = excluded.golongan, jabatan = excluded.jabatan,
      unit_kerja = excluded.unit_kerja, kedudukan_hukum = excluded.kedudukan_hukum, updated_at = excluded.updated_at
    WHERE excluded.updated_at > employees.updated_at`);
  const upsertTypeName = db.prepare(
    'INSERT INTO document_types (code, name_id, name_en) VALUES (?, ?, ?) ON CONFLICT (code) DO UPDATE SET name_id = excluded.name_id, name_en = excluded.name_en',
  );
  const upsertType = db.prepare(
    'INSERT INTO dms_document_types (code, definition, updated_at) VALUES (?, ?, ?) ON CONFLICT (code) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at',
  );
  const upsertDocument = db.prepare(`
    INSERT INTO dms_documents (server_id, nip, type_code, sha256, version, idempotency_key, deleted, updated_at)
    VALUES (@id, @nip, @typeCode, @sha256, @version, @idempotencyKey, @deleted, @updatedAt)
    ON CONFLICT (server_id) DO UPDATE SET nip = excluded.nip, type_code = excluded.type_code, sha256 = excluded.sha256,
      version = excluded.version, deleted = excluded.deleted, updated_at = excluded.updated_at
    WHERE excluded.version >= dms_documents.version`);

  /** Reads a feed from its cursor to its end; each page and its cursor commit together. */
  async function follow<T>(name: string, read: (since: string) => Promise<{ items: T[]; next: string; more: boolean }>, store: (item: T) => void): Promise<number> {
    let count = 0;
    for (;;) {
      const since = (cursorOf.get(name) as { cursor: string } | undefined)?.cursor ?? '0';
      const page = await read(since);
      db.transaction(() => {
        for (const item of page.items) store(item);
        setCursor.run(name, page.next, nowIso());
      }).immediate();
      count += page.items.length;
      if (!page.more || page.next === since) return count;
    }
  }

  /** Stores what the server answered about one of its documents (a feed item, a conflict, an update). */
  function remember(doc: DmsDocument): void {
    upsertDocument.run({ ...doc, deleted: doc.deleted ? 1 : 0 });
  }

  return {
    remember,

    async pull(call: AuthedCall): Promise<PullCounts> {
      const employees = await follow<DmsEmployee>(
        'employees',
        (since) => call('reference.listEmployees', { query: { since, limit: PAGE } }),
        (employee) => upsertEmployee.run(employee),
      );
      const documentTypes = await follow<DmsDocumentType>(
        'document-types',
        (since) => call('reference.listDocumentTypes', { query: { since, limit: PAGE } }),
        (type) => {
          upsertTypeName.run(type.code, type.name.id, type.name.en);
          upsertType.run(type.code, JSON.stringify(type), type.updatedAt);
        },
      );
      const documents = await follow<DmsDocument>('documents', (since) => call('documents.changes', { query: { since, limit: PAGE } }), remember);
      return { employees, documentTypes, documents };
    },

    /** The server's live documents of an employee, newest version first per type. */
    onServer(nip: string): IndexedDocument[] {
      const rows = db
        .prepare(
          `SELECT x.server_id, x.type_code, x.sha256, x.version, EXISTS (SELECT 1 FROM documents d WHERE d.sha256 = x.sha256) AS local
           FROM dms_documents x WHERE x.nip = ? AND x.deleted = 0 ORDER BY x.type_code, x.server_id`,
        )
        .all(nip) as { server_id: string; type_code: string; sha256: string; version: number; local: number }[];
      return rows.map((row) => ({ serverId: row.server_id, typeCode: row.type_code, sha256: row.sha256, version: row.version, local: row.local === 1 }));
    },

    /** A live server document holding these bytes under another idempotency key: the same scan, committed elsewhere. */
    sameBytes(sha256: string, ownKey: string): { serverId: string; version: number } | null {
      const row = db.prepare('SELECT server_id, version FROM dms_documents WHERE sha256 = ? AND deleted = 0 AND idempotency_key <> ? ORDER BY updated_at LIMIT 1').get(sha256, ownKey) as
        | { server_id: string; version: number }
        | undefined;
      return row ? { serverId: row.server_id, version: row.version } : null;
    },
  };
}

export type Downsync = ReturnType<typeof createDownsync>;
