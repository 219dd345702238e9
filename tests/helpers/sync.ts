// A workstation and a central server for the sync tests: a real server on port 0 (PGlite or
// PostgreSQL) whose instansi knows two employees, a profile whose account logged in to that
// server (its refresh token sealed in server_sessions, as online activation leaves it), the
// profile's server address set, and a fetch that tests can wrap to cut, fail or count
// requests. Documents are real PDFs of the corpus, imported and labelled through the contract.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { MethodName } from '../../common/contract';
import { fromBase32, totpCode } from '../../common/auth/totp';
import { sealedSessionStore } from '../../main/core/sync';
import { KeyFileSecretStore } from '../../main/infra/secrets';
import { ConfSettingsStore } from '../../main/infra/settings';
import { openProfile, type Profile, type ProfileOptions } from '../../main/profile';
import { CORPUS_DIR } from '../fixtures/images';
import { resourcesDir, tempDir } from './profile';
import { NIPS } from './server-documents';
import { startTestServer, type TestDbKind, type TestServer } from './server';

export const T0 = Date.UTC(2026, 10, 24, 9, 0, 10); // 16:00 WIB: end of the office day
/** The clerk (local and server account) and the employees the server knows. */
export const CLERK_NIP = NIPS[1];
export const KNOWN = [NIPS[0], NIPS[3]] as const;
/** A valid NIP that is no employee of the instansi: the server refuses a label with it. */
export const UNKNOWN_NIP = '197905122005011002';
export const SK_PNS_FIELDS = { nomor: '823.4/112/BKD/2011', tanggal: '2011-03-01', tmt: '2011-03-01' };

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
export const corpus = (name: string) => join(CORPUS_DIR, name);

/** Wraps each request the workstation makes; call `next` to send it. */
export type FetchHook = (url: string, init: RequestInit, next: typeof fetch) => Promise<Response>;

/** How many bytes a request carries: its Content-Length (the engine streams bodies from the blob store), else its in-memory body's length. */
export function requestBytes(init: RequestInit): number {
  const declared = (init.headers as Record<string, string> | undefined)?.['content-length'];
  if (declared !== undefined) return Number(declared);
  return (init.body as Uint8Array | undefined)?.length ?? 0;
}

/** A request's body read whole (a streamed one drained), for a hook that looks into or cuts it; pass it on as the body. */
export async function requestBody(init: RequestInit): Promise<Uint8Array> {
  const body = init.body as Uint8Array | AsyncIterable<Uint8Array> | null | undefined;
  if (!body) return new Uint8Array(0);
  if (body instanceof Uint8Array) return body;
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}

export interface SyncWorld {
  server: TestServer;
  profile: Profile;
  dataDir: string;
  localUserId: number;
  /** The clerk's password (local and server) and local authenticator secret, for a CLI login. */
  password: string;
  totpSecret: string;
  /** A server admin's token (reads documents, revokes devices). */
  adminToken: string;
  admin: { userId: number; deviceId: string; token: string };
  /** Set the server's and the workstation's clocks (ms). */
  clocks: { server: number; workstation: number };
  /** Replace to intercept the workstation's requests (null: straight through). */
  hook: { current: FetchHook | null };
  /** Backoff waits the engine asked for. */
  waits: number[];
  call(method: MethodName, input: unknown, signal?: AbortSignal): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- each test reads the answer it expects
  refused(method: MethodName, input: unknown): Promise<{ code: string; message: string }>;
  /** Imports corpus files and labels each (NIP, SK PNS); answers their local ids. */
  labelled(files: { name: string; nip: string }[]): Promise<number[]>;
  /** The server's documents of the instansi (deleted ones too). */
  serverDocuments(): Promise<{ id: string; sha256: string; idempotency_key: string; nip: string }[]>;
  /** Downloads a document's content from the server. */
  download(id: string): Promise<Buffer>;
  close(): Promise<void>;
}

/** Down-sync tests (issue 5): a second workstation of another clerk, against the first one's server (closed with the first). */
export interface SecondWorkstation {
  sameServerAs: SyncWorld;
  clerkNip: string;
}

/**
 * For a test file: `world()` opens a sync world on `kind` that is closed after each test,
 * with `cleanups` for anything else a test must undo (closed in reverse order).
 */
export function worldsOn(kind: 'pglite' | 'postgres') {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });
  return {
    cleanups,
    async world(options?: Parameters<typeof syncWorld>[1]): Promise<SyncWorld> {
      const w = await syncWorld(kind, options);
      cleanups.push(() => w.close());
      return w;
    },
  };
}

export async function syncWorld(
  kind: TestDbKind,
  // scheduleSync: sync run control (issue 5), the scheduler's timers and time zone.
  options: { chunkBytes?: number; maxAttempts?: number; batchItems?: number; second?: SecondWorkstation; scheduleSync?: ProfileOptions['scheduleSync'] } = {},
): Promise<SyncWorld> {
  const first = options.second?.sameServerAs;
  const clerkNip = options.second?.clerkNip ?? CLERK_NIP;
  const clocks = first?.clocks ?? { server: T0, workstation: T0 };
  const server = first?.server ?? (await startTestServer(kind, { now: () => clocks.server }));
  const work = tempDir('lemari-sync-');
  let profile: Profile | undefined;
  try {
    const admin = first?.admin ?? (await server.instansi('A1', 'BKD Kota Contoh'), await server.user({ instansiId: 'A1', nip: NIPS[2], role: 'admin' }));
    if (!first) {
      const imported = await server.call('POST', '/v1/reference/employees', {
        token: admin.token,
        body: { employees: KNOWN.map((nip, i) => ({ nip, kind: 'pns', nama: `Pegawai ${i + 1}` })) },
      });
      if (imported.status !== 200) throw new Error(`employee import: ${imported.status} ${JSON.stringify(imported.body)}`);
    }

    // The clerk logs in to the server once (what online activation does) ...
    const account = await server.account({ instansiId: 'A1', nip: clerkNip, role: 'clerk' });
    const step = await server.call('POST', '/v1/auth/login', { body: { nip: clerkNip, password: account.password, deviceName: 'PC Arsip 1' } });
    const login = await server.call('POST', '/v1/auth/login/totp', { body: { stepToken: step.body.stepToken, code: account.code() } });
    if (login.status !== 200) throw new Error(`server login: ${login.status} ${JSON.stringify(login.body)}`);

    // ... and has a local account of the same NIP on the workstation.
    const dataDir = join(work.dir, 'profil');
    const settings = new ConfSettingsStore(dataDir);
    settings.set({ serverUrl: server.url });
    const hook: SyncWorld['hook'] = { current: null };
    const waits: number[] = [];
    const hooked: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      return hook.current ? hook.current(url, init ?? {}, fetch) : fetch(input, init);
    };
    profile = await openProfile({
      dataDir,
      host: 'cli',
      resourcesDir,
      settings,
      secrets: new KeyFileSecretStore(dataDir),
      logger: { error: () => {}, info: () => {} },
      clock: { now: () => new Date(clocks.workstation) },
      fetch: hooked,
      scheduleSync: options.scheduleSync,
      sync: {
        chunkBytes: options.chunkBytes ?? 64 * 1024,
        maxAttempts: options.maxAttempts ?? 4,
        ...(options.batchItems ? { batchItems: options.batchItems } : {}),
        sleep: async (ms, signal) => {
          waits.push(ms);
          signal?.throwIfAborted();
        },
      },
    });
    const opened = profile;
    const session = opened.newSession();
    const call = async (method: MethodName, input: unknown, signal?: AbortSignal) => {
      const result = await opened.api.call(method, input, { session, signal });
      if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
      return result.value as never;
    };
    const boot = (await call('auth.bootstrap', { nip: clerkNip, nama: 'Sari Arsip', password: account.password })) as { user: { id: number }; enrolment: { secret: string } };
    await call('auth.confirmEnrolment', { code: totpCode(fromBase32(boot.enrolment.secret), new Date(clocks.workstation)) });
    sealedSessionStore(opened.db, new KeyFileSecretStore(dataDir)).write(boot.user.id, {
      serverUrl: server.url,
      deviceId: login.body.deviceId,
      instansi: login.body.user.instansi,
      refreshToken: login.body.refreshToken,
      refreshTokenExpiresAt: login.body.refreshTokenExpiresAt,
      savedAt: new Date(clocks.workstation).toISOString(),
    });

    return {
      server,
      profile: opened,
      dataDir,
      localUserId: boot.user.id,
      password: account.password,
      totpSecret: boot.enrolment.secret,
      adminToken: admin.token,
      admin,
      clocks,
      hook,
      waits,
      call,
      async refused(method, input) {
        const result = await opened.api.call(method, input, { session });
        if (result.ok) throw new Error(`${method} succeeded`);
        return result.error;
      },
      async labelled(files) {
        const report = (await call('capture.import', { files: files.map((f) => ({ path: corpus(f.name) })) })) as { imported: { documentId: number }[]; failed: unknown[] };
        if (report.imported.length !== files.length) throw new Error(`import: ${JSON.stringify(report)}`);
        const ids = report.imported.map((item) => item.documentId);
        for (const [i, id] of ids.entries()) await call('documents.label', { id, nip: files[i].nip, typeCode: 'SK_PNS', fields: SK_PNS_FIELDS });
        return ids;
      },
      async serverDocuments() {
        const { rows } = await server.deps.db.query<{ id: string; sha256: string; idempotency_key: string; nip: string }>(
          "select id, sha256, idempotency_key, nip from documents where instansi_id = 'A1' order by created_at, id",
        );
        return rows;
      },
      async download(id) {
        // Signed now: a test may have moved the server's clock past the first token's expiry.
        const { token } = server.deps.signer.issueAccess({ userId: admin.userId, instansiId: 'A1', deviceId: admin.deviceId }, server.config.accessTokenSeconds);
        const res = await fetch(`${server.url}/v1/documents/${id}/content`, { headers: { authorization: `Bearer ${token}` } });
        if (res.status !== 200) throw new Error(`download ${id}: ${res.status}`);
        return Buffer.from(await res.arrayBuffer());
      },
      async close() {
        await opened.close();
        if (!first) await server.close();
        work.cleanup();
      },
    };
  } catch (error) {
    await profile?.close();
    if (!first) await server.close();
    work.cleanup();
    throw error;
  }
}
