// A profile is a data directory: the SQLite database, the blob store, staged uploads and
// config.json. openProfile builds the core services over real adapters and the contract
// handlers over them; the three shells (Electron, browser host, CLI) each call it from
// their composition root with their own settings store and logger.

import { randomUUID } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { FileRef } from '../common/contract';
import { t, type MessageKey, type MessageParams } from '../common/i18n';
import { AppError } from '../common/errors';
import { contract, type LoginResult } from '../common/contract';
import { authorize, newSession, refusalCode, type Session } from './access';
import { actorOf, createApi, type Api, type Handlers, type Logger } from './api';
import { auditCsv } from './core/audit/csv';
import { createActivation, createAuth, loadPasswordBlockList } from './core/auth';
import { blobKeyBytes, databaseKey, type SecretStore } from './infra/secrets';
import { createAuditLog } from './core/audit';
import { createCapture, createHotFolders, nodeHotFolderFs, realTimers, type HotFolderFs, type HotFolders, type Timers } from './core/capture';
import { createCompleteness, loadCompletenessRules } from './core/completeness';
import { createDocuments } from './core/documents';
import { createEmployees } from './core/employees';
import { EventBus } from './core/events';
import { createMaintenance } from './core/maintenance';
import { systemClock, type Clock, type Translate } from './core/ports';
import { createSearch } from './core/search';
import { createSync, sealedSessionStore, type SyncOptions } from './core/sync';
import { FileBlobStore } from './infra/blobs';
import { openDatabase, type Db } from './infra/db';
import { createDmsClient } from './infra/dms';
import { createTusUploads } from './infra/dms/tus';
import { loadReferenceData } from './infra/reference';
import type { SettingsStore } from './infra/settings';
import { readTable } from './infra/sheets';
import { StagingArea } from './infra/staging';

export type HostKind = 'electron' | 'web' | 'cli';

export interface ProfileOptions {
  dataDir: string;
  host: HostKind;
  resourcesDir: string;
  settings: SettingsStore;
  logger: Logger;
  version?: string;
  clock?: Clock;
  /** Protects the database key and the TOTP secrets: the OS store, a key file or a passphrase. */
  secrets: SecretStore;
  /**
   * Benchmarks only (bench/encryption.ts): store the database and blobs unencrypted, to
   * measure what encryption at rest costs. No shell sets it; a test checks they do not.
   */
  unsafePlainAtRestForBenchmark?: true;
  /** How main reaches the central server (online activation); tests hand in one that fails. */
  fetch?: typeof fetch;
  /** Sync tuning (chunk size, retries) and its wait between retries: tests pass a fake that does not sleep. */
  sync?: Partial<SyncOptions> & { sleep?: (ms: number, signal?: AbortSignal) => Promise<void> };
  /** Watch the hot folders of the settings from open to close (the web host and Electron). */
  watchHotFolders?: boolean;
  /** Tests only: the hot folder's disk and timers. */
  hotFolderPorts?: { fs?: HotFolderFs; timers?: Timers };
}

export interface DocumentContent {
  sha256: string;
  size: number;
  name: string;
  stream(range?: { start: number; end: number }): NodeJS.ReadableStream;
}

export interface Profile {
  dataDir: string;
  api: Api;
  events: EventBus;
  staging: StagingArea;
  db: Db;
  /** The hot folder watcher; `lemari watch` starts it on a folder of its own. */
  hotFolders: HotFolders;
  /** A fresh, logged-out session for a new connection (tab, window, CLI run). */
  newSession(): Session;
  /** The stored PDF for a viewer; the opening is audited. Refused without a logged-in session. */
  documentContent(id: number, session: Session): Promise<DocumentContent>;
  thumbnail(id: number, session: Session): Promise<Buffer | null>;
  /** Waits for background work (thumbnails) to finish. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Waits `ms`, or rejects as soon as `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', stop, { once: true });
  });
}

export const DATABASE_FILE = 'lemari.db';
export const BLOBS_DIR = 'blobs';
/** Online activation waits this long for each answer of the central server (slow office links). */
const SERVER_TIMEOUT_MS = 30_000;
/** Uploads older than this are swept on start. */
const STAGING_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** Whom the audit log names for files the hot folder takes on its own. */
export const HOT_FOLDER_ACTOR = { id: 'folder-pantau' };

export async function openProfile(options: ProfileOptions): Promise<Profile> {
  const { dataDir, settings, logger } = options;
  const clock = options.clock ?? systemClock;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const translate: Translate = (key: MessageKey, params?: MessageParams) => t(settings.get().locale, key, params);

  const reference = loadReferenceData(options.resourcesDir, dataDir, translate);
  const completenessRules = loadCompletenessRules(options.resourcesDir, dataDir, reference, translate);
  // The database is page-encrypted from its first byte with a random key the secret store seals.
  const plain = options.unsafePlainAtRestForBenchmark === true;
  const db = openDatabase(join(dataDir, DATABASE_FILE), { key: plain ? undefined : databaseKey(options.secrets, dataDir) });
  const syncTypes = db.prepare('INSERT INTO document_types (code, name_id, name_en) VALUES (?, ?, ?) ON CONFLICT (code) DO UPDATE SET name_id = excluded.name_id, name_en = excluded.name_en WHERE name_id <> excluded.name_id OR name_en <> excluded.name_en');
  db.transaction(() => reference.documentTypes.forEach((type) => syncTypes.run(type.code, type.name.id, type.name.en)))();

  // Document bytes are sealed at rest too, with their own key from the same secret store.
  const blobs = await new FileBlobStore(join(dataDir, BLOBS_DIR), plain ? undefined : blobKeyBytes(options.secrets, dataDir)).init();
  const staging = await new StagingArea(join(dataDir, 'staging')).init();
  await staging.sweep(clock.now().getTime(), STAGING_MAX_AGE_MS);
  const events = new EventBus();
  const referenceOf = () => reference;

  const audit = createAuditLog({ db, clock });
  const auth = createAuth({ db, clock, translate, secrets: options.secrets, audit, blockList: loadPasswordBlockList(options.resourcesDir) });
  const employees = createEmployees({ db, clock, translate, reference: referenceOf, readTable, audit });
  const documents = createDocuments({ db, blobs, clock, translate, reference: referenceOf, locale: () => settings.get().locale, audit });
  const search = createSearch({ db });
  const completeness = createCompleteness({ db, translate, rules: () => completenessRules, reference: referenceOf });
  const capture = createCapture({ db, blobs, clock, translate, events, reference: referenceOf, maxFileBytes: () => settings.get().maxFileBytes, logger, locale: () => settings.get().locale, audit });
  const hotFolders = createHotFolders({
    fs: options.hotFolderPorts?.fs ?? nodeHotFolderFs,
    timers: options.hotFolderPorts?.timers ?? realTimers,
    clock,
    translate,
    events,
    logger,
    importFiles: (files, importOptions) => capture.importFiles(files, importOptions),
    options: () => {
      const { hotFolderPollMs: pollMs, hotFolderStableMs: stableMs, hotFolderAfterImport: afterImport } = settings.get();
      return { pollMs, stableMs, afterImport };
    },
  });
  if (options.watchHotFolders) {
    hotFolders.setFolders(settings.get().hotFolders);
    hotFolders.start(HOT_FOLDER_ACTOR);
  }
  function changeHotFolders(session: Session, path: string, add: boolean) {
    const current = settings.get().hotFolders;
    if (!isAbsolute(path)) throw new AppError('invalid_input', translate('hotfolder.not_absolute'));
    const normalized = resolve(path);
    if (add) {
      if (current.includes(normalized)) throw new AppError('conflict', translate('hotfolder.already', { path: normalized }));
      // A folder that is not there now is most likely a typo; a share that drops later is handled.
      if (!statSync(normalized, { throwIfNoEntry: false })?.isDirectory()) throw new AppError('not_found', translate('hotfolder.not_found', { path: normalized }));
    } else if (!current.includes(normalized)) throw new AppError('not_found', translate('hotfolder.unknown', { path: normalized }));
    const next = add ? [...current, normalized] : current.filter((folder) => folder !== normalized);
    settings.set({ hotFolders: next });
    audit.append({ actor: actorOf(session).id, action: add ? 'hotfolder.added' : 'hotfolder.removed', detail: { path: normalized } });
    hotFolders.setFolders(next);
    return hotFolders.status();
  }
  const maintenance = createMaintenance({ db, blobs, translate, audit });
  const activation = createActivation({
    db,
    clock,
    translate,
    secrets: options.secrets,
    audit,
    auth,
    server: (baseUrl) => createDmsClient({ baseUrl, timeoutMs: SERVER_TIMEOUT_MS, fetch: options.fetch }),
    serverUrl: { get: () => settings.get().serverUrl, set: (serverUrl) => settings.set({ serverUrl }) },
    deviceName: () => `Lemari ${hostname()}`.slice(0, 100),
  });

  const sync = createSync({
    db,
    blobs,
    clock,
    translate,
    events,
    audit,
    sessions: sealedSessionStore(db, options.secrets),
    server: (token) => {
      const baseUrl = settings.get().serverUrl;
      if (!baseUrl) return null;
      const client = createDmsClient({ baseUrl, token, timeoutMs: SERVER_TIMEOUT_MS, fetch: options.fetch });
      return { call: client.call, tus: createTusUploads({ baseUrl, fetch: options.fetch }) };
    },
    uuid: randomUUID,
    random: Math.random,
    sleep: options.sync?.sleep ?? sleep,
    options: options.sync,
  });

  function resolveFile(ref: FileRef): { path: string; name: string; stagedId?: string } {
    if ('path' in ref) return { path: ref.path, name: basename(ref.path) };
    const path = staging.pathOf(ref.stagedId);
    if (!path) throw new AppError('invalid_input', translate('import.staged_missing'));
    return { path, name: basename(ref.name), stagedId: ref.stagedId };
  }

  async function withFiles<T>(refs: FileRef[], use: (files: { path: string; name: string }[]) => Promise<T>): Promise<T> {
    const files = refs.map(resolveFile);
    try {
      return await use(files);
    } finally {
      for (const file of files) if (file.stagedId) await staging.remove(file.stagedId);
    }
  }

  function signIn(session: Session, result: LoginResult, mfa: boolean): LoginResult {
    Object.assign(session, { user: result.user, mfa: mfa && !result.needsEnrolment, mustChangePassword: result.mustChangePassword, locked: false, lastActivity: clock.now().getTime() });
    return result;
  }
  const userIdOf = (session: Session) => session.user!.id;
  const adminOf = (session: Session) => ({ userId: userIdOf(session) });

  const handlers: Handlers = {
    'auth.status': (_input, { session }) => ({
      bootstrapped: auth.status().bootstrapped,
      session: session.user ? auth.session(session.user.id) : null,
      locked: session.locked,
      serverUrl: settings.get().serverUrl,
    }),
    'auth.bootstrap': async (input, { session }) => {
      const result = await auth.bootstrapAdmin(input);
      signIn(session, { user: result.user, mustChangePassword: false, needsEnrolment: true }, false);
      return result;
    },
    'auth.beginLogin': async (input, { session }) => {
      const result = await auth.beginLogin(input);
      if (result.next === 'done') signIn(session, result.result, false);
      return result;
    },
    'auth.completeLogin': (input, { session }) => signIn(session, auth.completeLogin(input), true),
    'auth.completeLoginWithRecoveryCode': (input, { session }) => {
      const result = auth.completeLoginWithRecoveryCode(input);
      signIn(session, result, true);
      return result;
    },
    'auth.logout': (_input, { session }) => {
      if (session.user) auth.logout(session.user.id);
      Object.assign(session, newSession(clock.now().getTime()));
      return {};
    },
    'auth.unlock': async (input, { session }) => {
      if (!session.user || !session.locked) throw new AppError('unauthenticated', translate(session.user ? 'access.not_locked' : 'access.login'));
      return signIn(session, await auth.reauthenticate(session.user.id, input.password), session.mfa);
    },
    'auth.changePassword': async (input, { session }) => {
      await auth.changePassword(userIdOf(session), input.oldPassword, input.newPassword);
      session.mustChangePassword = false;
      return {};
    },
    'auth.startEnrolment': (_input, { session }) => auth.startEnrolment(userIdOf(session)),
    'auth.confirmEnrolment': (input, { session }) => {
      const result = auth.confirmEnrolment(userIdOf(session), input.code);
      // A fresh code right after the password: this is the second factor of this login.
      session.mfa = true;
      return result;
    },
    'auth.regenerateRecoveryCodes': (input, { session }) => auth.regenerateRecoveryCodes(userIdOf(session), input.code),
    'activation.requestCode': (input) => activation.requestCode(input),
    'activation.setPassword': (input) => activation.setPassword(input),
    'activation.confirmMfa': (input) => activation.confirmMfa(input),
    'activation.login': async (input, { session }) => {
      const { result, replaced } = await activation.login(input);
      signIn(session, result, true);
      return { ...result, replacedLocalAccount: replaced };
    },
    'activation.cancel': (input) => {
      activation.cancel(input.activationId);
      return {};
    },
    'users.list': () => auth.listUsers(),
    'users.create': (input, { session }) => auth.createUser(adminOf(session), input),
    'users.setRole': (input, { session }) => auth.setRole(adminOf(session), input.id, input.role),
    'users.disable': (input, { session }) => auth.disableUser(adminOf(session), input.id),
    'users.enable': (input, { session }) => auth.enableUser(adminOf(session), input.id),
    'users.unlock': (input, { session }) => auth.unlockUser(adminOf(session), input.id),
    'users.resetMfa': (input, { session }) => auth.resetMfa(adminOf(session), input.id),
    'users.resetPassword': (input, { session }) => auth.resetPassword(adminOf(session), input.id, input.password),
    'audit.list': (input) => audit.list(input),
    'audit.exportCsv': (input, { session }) => {
      const result = auditCsv(audit, input, clock.now());
      audit.append({ actor: actorOf(session).id, action: 'audit.exported', detail: { rows: result.rows, filter: input } });
      return result;
    },
    'settings.setLocale': (input) => settings.set({ locale: input.locale }),
    'app.info': () => ({ version: options.version ?? '0.0.0', dataDir, host: options.host, settings: settings.get() }),
    'settings.update': (input, { session }) => {
      const next = settings.set(input);
      audit.append({ actor: actorOf(session).id, action: 'settings.changed', detail: input });
      return next;
    },
    'reference.get': () => reference,
    'employees.import': (input, { session }) => withFiles([input.file], ([file]) => employees.importFile(file.path, file.name, actorOf(session))),
    'employees.search': (input) => employees.search(input),
    'employees.get': (input) => employees.get(input.nip),
    'employees.units': () => employees.units(),
    'capture.import': (input, { session, signal }) =>
      withFiles(input.files, (files) => capture.importFiles(files, { nip: input.nip, typeCode: input.typeCode, actor: actorOf(session), signal })),
    'hotfolder.status': () => hotFolders.status(),
    'hotfolder.add': (input, { session }) => changeHotFolders(session, input.path, true),
    'hotfolder.remove': (input, { session }) => changeHotFolders(session, input.path, false),
    'hotfolder.retry': (input) => {
      if (!hotFolders.retry(input.path)) throw new AppError('not_found', translate('hotfolder.no_failure', { path: input.path }));
      return hotFolders.status();
    },
    'documents.get': (input) => documents.get(input.id),
    'documents.list': (input) => documents.list(input),
    'documents.label': (input, { session }) => documents.label(input, actorOf(session)),
    'search.query': (input) => search.query(input),
    'maintenance.verify': () => maintenance.verify(),
    'sync.queue': (_input, { session }) => sync.queue(actorOf(session)),
    'sync.status': () => sync.status(),
    'sync.run': (_input, { session, signal }) => sync.run(userIdOf(session), actorOf(session), signal),
    'sync.retry': (input, { session }) => sync.retry(actorOf(session), input.ids),
    'completeness.employee': (input) => completeness.employee(input.nip),
    'completeness.summary': (input) => completeness.summary(input),
    'completeness.queue': (input) => completeness.queue(input),
  };

  return {
    dataDir,
    api: createApi(handlers, translate, logger, {
      now: () => clock.now().getTime(),
      idleLockMinutes: () => settings.get().idleLockMinutes,
      refresh(session) {
        const current = auth.session(session.user!.id);
        if (!current) return false;
        session.user = current.user;
        return true;
      },
    }),
    newSession: () => newSession(clock.now().getTime()),
    events,
    staging,
    db,
    hotFolders,
    async documentContent(id, session) {
      const refusal = authorize(contract['documents.get'].access, session);
      if (refusal) throw new AppError(refusalCode(refusal), translate(`access.${refusal}`, { role: session.user?.role ?? '' }));
      session.lastActivity = clock.now().getTime();
      const content = await documents.content(id, actorOf(session));
      return { ...content, stream: (range) => blobs.stream(content.sha256, range) };
    },
    async thumbnail(id, session) {
      const refusal = authorize(contract['documents.get'].access, session);
      if (refusal) throw new AppError(refusalCode(refusal), translate(`access.${refusal}`, { role: session.user?.role ?? '' }));
      return capture.thumbnail(id);
    },
    idle: () => capture.idle(),
    async close() {
      // A file being imported finishes (and is moved) before the database closes.
      await hotFolders.stop();
      // Waiting thumbnails are dropped (they render when first asked for); the current one finishes.
      await capture.close();
      db.close();
    },
  };
}
