// A profile is a data directory: the SQLite database, the blob store, staged uploads and
// config.json. openProfile builds the core services over real adapters and the contract
// handlers over them; the three shells (Electron, browser host, CLI) each call it from
// their composition root with their own settings store and logger.

import { randomUUID } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
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
import { createServerAccounts } from './core/accounts'; // server accounts: the admin keeps the central server's accounts
import { createCapture, createHotFolders, nodeHotFolderFs, realTimers, type HotFolderFs, type HotFolders, type Timers } from './core/capture';
import { createCompleteness, loadCompletenessRules } from './core/completeness';
import { createSeparators } from './core/separators';
import { createCompletenessExport } from './core/completeness/export';
import { createDocuments } from './core/documents';
// OCR (issue 6).
import { createOcr, type OcrService, type Recognizer } from './core/ocr';
import { createEmployees } from './core/employees';
// Employee history (issue 7).
import { createHistory } from './core/history';
import { EventBus } from './core/events';
import { createMaintenance } from './core/maintenance';
import { systemClock, type Clock, type Translate } from './core/ports';
import { createReview } from './core/review';
import { createPages } from './core/pages'; // page tools (issue 6)
// Retention (issue 7).
import { createRetention, loadJraSchedule, reportText } from './core/retention';
import { exportReport } from './infra/reports';
import { createSearch } from './core/search';
import { createSync, sealedSessionStore, sharedServerTokens, type SyncOptions } from './core/sync';
// Sync run control, reports and scheduler (issue 5).
import { runReportDoc } from './core/sync/reports';
import { createSyncScheduler, type LocalTime } from './core/sync/scheduler';
// Down-sync and conflicts (issue 5).
import { createConflicts } from './core/sync/conflicts';
import { createDownsync, serverConnector } from './core/sync/downsync';
import { FileBlobStore } from './infra/blobs';
import { openDatabase, type Db } from './infra/db';
import { createDmsClient } from './infra/dms';
import { createTusUploads } from './infra/dms/tus';
import { loadReferenceData } from './infra/reference';
import { referenceWithServerTypes } from './core/sync/server-types';
import type { SettingsStore } from './infra/settings';
import { readTable } from './infra/sheets';
import { StagingArea } from './infra/staging';
// Size budget and the optimizer (issue 6).
import { createOptimizer, createReencodePool } from './core/optimize';
import { renderPageJpeg } from './infra/images/reencode';
import { inspectPdf } from './infra/pdf';

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
  /**
   * Start sync on its own (the end-of-day window, the link coming back) while an account that
   * may send is signed in; default: every host but the CLI. Tests pass timers and a time zone.
   */
  scheduleSync?: boolean | { timers?: Timers; local?: LocalTime; intervalMs?: number };
  /** Watch the hot folders of the settings from open to close (the web host and Electron). */
  watchHotFolders?: boolean;
  /** Tests only: the hot folder's disk and timers. */
  hotFolderPorts?: { fs?: HotFolderFs; timers?: Timers };
  /**
   * OCR (issue 6): read imported documents in the background from open to close (Electron
   * and the web host). Off, documents stay queued for the next profile that reads. Tests
   * pass a recognizer or a page timeout.
   */
  ocr?: boolean | { recognizer?: Recognizer; pageTimeoutMs?: number };
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
  /** OCR (issue 6): the background reading queue (tests wait on its idle()). */
  ocr: OcrService;
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
  // Retention (issue 7): the JRA, checked against the reference data at start.
  const jraSchedule = loadJraSchedule(options.resourcesDir, dataDir, reference, translate);
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
  // Sync (issue 5, sync/server-types.ts): the server's document types the file does not know are usable for labelling.
  const referenceOf = referenceWithServerTypes(db, reference);

  const audit = createAuditLog({ db, clock });
  const auth = createAuth({ db, clock, translate, secrets: options.secrets, audit, blockList: loadPasswordBlockList(options.resourcesDir) });
  const employees = createEmployees({ db, clock, translate, reference: referenceOf, readTable, audit });
  // Employee history (issue 7): SIASN history records the completeness rules count from.
  const history = createHistory({ db, clock, translate, reference: referenceOf, readTable, audit });
  const documents = createDocuments({ db, blobs, clock, translate, reference: referenceOf, locale: () => settings.get().locale, audit, events });
  const search = createSearch({ db });
  const completeness = createCompleteness({ db, clock, translate, rules: () => completenessRules, reference: referenceOf });
  // Separator sheets (issue 6): printed per employee; the import splits at them (capture pipeline).
  const separators = createSeparators({ db, translate, locale: () => settings.get().locale, reference: referenceOf, completeness });
  // Completeness exports and daily progress (issue 7).
  const completenessExport = createCompletenessExport({
    db,
    clock,
    translate,
    locale: () => settings.get().locale,
    rules: () => completenessRules,
    reference: referenceOf,
    completeness,
    agency: () => agencyName(null),
    city: () => settings.get().agencyCity,
    audit,
  });
  const operatorOf = (session: Session) => ({ nip: session.user!.nip, nama: session.user!.nama });
  const capture = createCapture({ db, blobs, clock, translate, events, reference: referenceOf, maxFileBytes: () => settings.get().maxFileBytes, logger, locale: () => settings.get().locale, audit,
    // Separator sheets (issue 6): the admin's switch, read per file.
    separatorSheets: () => settings.get().separatorSheets });
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
  // OCR (issue 6): imports queue their documents (a trigger); each import's change event wakes the reader.
  const ocrOptions = typeof options.ocr === 'object' ? options.ocr : {};
  const ocr = createOcr({
    db,
    blobs,
    clock,
    translate,
    events,
    logger,
    recognizer: ocrOptions.recognizer,
    pageTimeoutMs: ocrOptions.pageTimeoutMs === undefined ? undefined : () => ocrOptions.pageTimeoutMs!,
  });
  if (options.ocr) {
    events.subscribe((name) => name === 'documents.onDidChange' && ocr.kick());
    ocr.start();
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
  // Retention (issue 7): destruction removes a blob's file outright; reports render through main/infra/reports.
  const retention = createRetention({
    db,
    clock,
    translate,
    reportText,
    schedule: () => jraSchedule,
    reference: referenceOf,
    audit,
    removeBlob: (sha256) => rm(blobs.pathOf(sha256), { force: true }),
    renderReport: (doc, format, fileName) => exportReport(doc, format, fileName),
  });
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

  // One access token per account for the sync runs and every call beside them (pull, conflicts, server accounts).
  const serverTokens = sharedServerTokens(sealedSessionStore(db, options.secrets), clock);
  const sync = createSync({
    db,
    blobs,
    clock,
    translate,
    events,
    audit,
    sessions: sealedSessionStore(db, options.secrets),
    tokens: serverTokens,
    server: (token) => {
      const baseUrl = settings.get().serverUrl;
      if (!baseUrl) return null;
      const client = createDmsClient({ baseUrl, token, timeoutMs: SERVER_TIMEOUT_MS, fetch: options.fetch });
      // Each PATCH is one acknowledgement: one that has no answer within the per-file timeout fails as `timeout`.
      return { call: client.call, tus: createTusUploads({ baseUrl, fetch: options.fetch, timeoutMs: settings.get().syncFileTimeoutSec * 1000 }) };
    },
    uuid: randomUUID,
    random: Math.random,
    sleep: options.sync?.sleep ?? sleep,
    settings: () => settings.get(),
    options: options.sync,
    // Verification (issue 7): only approved documents are queued while the office requires it.
    requireApproval: () => settings.get().requireApproval,
  });
  // Down-sync and conflicts (issue 5): a pull by hand, the server's index, and the clerk's choice in a conflict.
  const downsync = createDownsync({ db, clock });
  const conflicts = createConflicts({ db, blobs, clock, translate, audit, downsync });
  const connectServer = serverConnector({
    sessions: sealedSessionStore(db, options.secrets),
    tokens: serverTokens,
    clock,
    translate,
    server: (token) => {
      const baseUrl = settings.get().serverUrl;
      return baseUrl ? { call: createDmsClient({ baseUrl, token, timeoutMs: SERVER_TIMEOUT_MS, fetch: options.fetch }).call } : null;
    },
  });
  // Verification (issue 7).
  const review = createReview({ db, clock, translate, audit, events, requireApproval: () => settings.get().requireApproval });
  // Size budget and the optimizer (issue 6): originals are released once a sync run has the optimized bytes verified.
  // Pages are optimized on one worker thread (core/optimize/pool.ts), with progress events and a per-page timeout.
  const reencodePool = createReencodePool();
  const optimizer = createOptimizer({
    db,
    blobs,
    clock,
    translate,
    locale: () => settings.get().locale,
    reference: referenceOf,
    audit,
    events,
    ports: { reencode: (bytes, onPage) => reencodePool.reencode(bytes, onPage), inspect: inspectPdf, renderPage: (bytes, index) => renderPageJpeg(bytes, index) },
    removeBlob: (sha256) => rm(blobs.pathOf(sha256), { force: true }),
  });
  const releaseOriginals = () => void optimizer.release().catch((error: unknown) => logger.error('releasing optimized originals failed', error));
  events.subscribe((name, payload) => {
    if (name === 'sync.onDidProgress' && (payload as { phase: string }).phase !== 'running') releaseOriginals();
  });
  releaseOriginals();
  // Page tools (issue 6): edits make new bytes; the old blob stays (see main/core/pages).
  const pages = createPages({ db, blobs, clock, translate, audit, events, detail: (id) => documents.get(id) });

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

  // Sync on its own (issue 5): runs as the last signed-in account that may send, until it logs out or the profile closes.
  const sessions = sealedSessionStore(db, options.secrets);
  /** The agency a report names: the admin's setting, else the instansi of the user's server session, else a generic name. */
  function agencyName(userId: number | null): string {
    return settings.get().agencyName ?? (userId === null ? undefined : sessions.read(userId)?.instansi.name) ?? translate('report.agency');
  }
  let syncAccount: { userId: number; actor: ReturnType<typeof actorOf> } | null = null;
  const scheduleOptions = typeof options.scheduleSync === 'object' ? options.scheduleSync : {};
  const syncScheduler = createSyncScheduler({
    clock,
    timers: scheduleOptions.timers ?? realTimers,
    local: scheduleOptions.local,
    intervalMs: scheduleOptions.intervalMs,
    window: () => settings.get().syncWindow,
    state: () => ({
      canSync: syncAccount !== null && settings.get().serverUrl !== null && sessions.read(syncAccount.userId) !== null,
      running: sync.status().running,
      paused: sync.paused,
      pending: sync.pending(),
    }),
    async probe() {
      const baseUrl = settings.get().serverUrl;
      if (!baseUrl) return false;
      return createDmsClient({ baseUrl, timeoutMs: SERVER_TIMEOUT_MS, fetch: options.fetch })
        .call('ops.health', {})
        .then(() => true, () => false);
    },
    lastScheduled: () => {
      const at = sync.reports.lastStarted('schedule');
      return at ? new Date(at) : null;
    },
    async start(trigger) {
      const account = syncAccount;
      if (!account) return;
      // The end-of-day run sends everything ready, like "Sinkronkan sekarang"; the link coming back sends what was queued.
      if (trigger === 'schedule') sync.queue(account.actor);
      await sync.run(account.userId, account.actor, { trigger });
    },
    onError: (error) => logger.error('scheduled sync failed', error),
    // The day's completeness progress snapshot (issue 7), on days nobody opens the Kelengkapan view too.
    onTick: () => completeness.dailySnapshot(),
  });
  const scheduleSync = options.scheduleSync === undefined ? options.host !== 'cli' : options.scheduleSync !== false;

  function signIn(session: Session, result: LoginResult, mfa: boolean): LoginResult {
    Object.assign(session, { user: result.user, mfa: mfa && !result.needsEnrolment, mustChangePassword: result.mustChangePassword, locked: false, lastActivity: clock.now().getTime() });
    bindSyncAccount(session);
    return result;
  }

  /** Sync run control (issue 5): a clerk or admin fully signed in is whom scheduled runs send as. */
  function bindSyncAccount(session: Session): void {
    if (!scheduleSync || !session.user || authorize(contract['sync.run'].access, session)) return;
    syncAccount = { userId: session.user.id, actor: actorOf(session) };
    syncScheduler.start();
  }
  const userIdOf = (session: Session) => session.user!.id;
  // Sync reports (issue 5).
  function syncReport(runId: string) {
    const report = sync.reports.get(runId);
    if (!report) throw new AppError('not_found', translate('sync.report_not_found', { runId }));
    return report;
  }
  const adminOf = (session: Session) => ({ userId: userIdOf(session) });
  // Server accounts (main/core/accounts): with the admin's own server session, refreshed as a pull's is.
  const serverAccounts = createServerAccounts({
    translate,
    audit,
    hasSession: (userId) => sessions.read(userId) !== null,
    connect: (userId, signal) => connectServer(userId, signal),
    serverUrl: () => settings.get().serverUrl,
  });

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
      // Sync run control (issue 5): the account scheduled runs sent as is gone.
      if (session.user && syncAccount?.userId === session.user.id) {
        syncAccount = null;
        syncScheduler.stop();
      }
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
      bindSyncAccount(session); // Sync run control (issue 5): now fully signed in.
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
    // Server accounts (main/core/accounts).
    'serverAccounts.list': (_input, { session, signal }) => serverAccounts.list(actorOf(session), signal),
    'serverAccounts.create': (input, { session, signal }) => serverAccounts.create(actorOf(session), input, signal),
    'serverAccounts.update': ({ nip, ...change }, { session, signal }) => serverAccounts.update(actorOf(session), nip, change, signal),
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
    'reference.get': () => referenceOf(),
    'employees.import': (input, { session }) => withFiles([input.file], ([file]) => employees.importFile(file.path, file.name, actorOf(session))),
    'employees.search': (input) => employees.search(input),
    'employees.get': (input) => employees.get(input.nip),
    'employees.units': () => employees.units(),
    // Employee history (issue 7).
    'employees.importHistory': (input, { session }) => withFiles([input.file], ([file]) => history.importFile(file.path, file.name, input.kind, actorOf(session))),
    'employees.history': (input) => history.list(input.nip),
    'capture.import': (input, { session, signal }) =>
      withFiles(input.files, (files) => capture.importFiles(files, { nip: input.nip, typeCode: input.typeCode, separatorSheets: input.separatorSheets, actor: actorOf(session), signal })),
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
    'sync.run': (_input, { session, signal }) => sync.run(userIdOf(session), actorOf(session), { signal, trigger: options.host === 'cli' ? 'cli' : 'manual' }),
    // Sync run control and reports (issue 5).
    'sync.pause': (_input, { session }) => sync.pause(actorOf(session)),
    'sync.resume': (_input, { session, signal }) => sync.run(userIdOf(session), actorOf(session), { signal, trigger: options.host === 'cli' ? 'cli' : 'manual', resume: true }),
    'sync.cancel': (_input, { session }) => sync.cancel(actorOf(session)),
    'sync.reports': (input) => sync.reports.list(input.limit, input.offset),
    'sync.report': (input) => syncReport(input.runId),
    'sync.exportReport': async (input, { session }) => {
      const report = syncReport(input.runId);
      const agency = agencyName(session.user?.id ?? null);
      const file = await exportReport(runReportDoc(report, { agency, translate, generatedAt: clock.now() }), input.format, `sinkronisasi-${report.startedAt.slice(0, 10)}-${report.runId.slice(0, 8)}`);
      audit.append({ actor: actorOf(session).id, action: 'sync.report_exported', detail: { runId: input.runId, format: input.format } });
      return file;
    },
    'sync.retry': (input, { session }) => sync.retry(actorOf(session), input.ids),
    // Down-sync and conflicts (issue 5).
    'sync.pull': (_input, { session, signal }) => downsync.pull(connectServer(userIdOf(session), signal)),
    'documents.onServer': (input) => ({ items: downsync.onServer(input.nip) }),
    'sync.conflicts': () => ({ items: conflicts.list() }),
    'sync.resolveConflict': (input, { session, signal }) => conflicts.resolve(input, actorOf(session), () => connectServer(userIdOf(session), signal)),
    // Verification (issue 7).
    'review.list': (input) => review.list(input),
    'review.approve': (input, { session }) => review.approve(input.items, actorOf(session)),
    'review.reject': (input, { session }) => review.reject(input.id, input.reason, actorOf(session)),
    'review.rejected': (input) => review.rejected(input),
    // Page tools (issue 6).
    'pages.inspect': (input) => pages.inspect(input.id),
    'pages.blank': (input) => pages.blank(input.id),
    'pages.rotate': (input, { session }) => pages.rotate(input, actorOf(session)),
    'pages.move': (input, { session }) => pages.move(input, actorOf(session)),
    'pages.delete': (input, { session }) => pages.remove(input, actorOf(session)),
    'pages.split': (input, { session }) => pages.split(input, actorOf(session)),
    'pages.merge': (input, { session }) => pages.merge(input, actorOf(session)),
    'completeness.employee': (input) => completeness.employee(input.nip),
    'completeness.summary': (input) => completeness.summary(input),
    'completeness.queue': (input) => completeness.queue(input),
    'separators.print': async (input, { session }) => {
      const file = await separators.print(input);
      // Sheets printed here will come back through this workstation's scanner: look for them on import.
      if (!settings.get().separatorSheets) {
        settings.set({ separatorSheets: true });
        audit.append({ actor: actorOf(session).id, action: 'settings.separator_sheets_on', detail: { reason: 'sheets_printed' } });
      }
      return file;
    },
    // Completeness exports and daily progress (issue 7).
    'completeness.exportGaps': (input, { session }) => completenessExport.gapList(input, operatorOf(session)),
    'completeness.pickingList': (input, { session }) => completenessExport.pickingList(input, operatorOf(session)),
    'completeness.progress': (input) => completenessExport.progress(input),
    // Retention (issue 7).
    'retention.overview': () => retention.overview(),
    'retention.schedule': () => retention.schedule(),
    'retention.setRule': (input, { session }) => retention.setRule(input, actorOf(session)),
    'retention.resetRule': (input, { session }) => retention.resetRule(input.typeCode, actorOf(session)),
    'retention.file': (input) => retention.file(input.nip),
    'retention.recordStatus': (input, { session }) => retention.recordStatus(input, actorOf(session)),
    'retention.setHold': (input, { session }) => retention.setHold(input, actorOf(session)),
    'retention.liftHold': (input, { session }) => retention.liftHold(input, actorOf(session)),
    'retention.propose': (input, { session }) => retention.propose(input.kind, actorOf(session)),
    'retention.proposal': (input) => retention.proposal(input.id),
    'retention.recommend': (input, { session }) => retention.recommend(input, actorOf(session)),
    'retention.approve': (input, { session }) => retention.approve(input, actorOf(session)),
    'retention.reject': (input, { session }) => retention.reject(input, actorOf(session)),
    'retention.destroy': (input, { session }) => retention.execute({ ...input, kind: 'musnah' }, actorOf(session)),
    'retention.handOver': (input, { session }) => retention.execute({ ...input, kind: 'permanen' }, actorOf(session)),
    'retention.report': (input) => retention.report(input.id),
    'retention.exportProposal': (input, { session }) =>
      retention.exportProposal({ ...input, agency: agencyName(session.user?.id ?? null), place: settings.get().agencyCity ?? null }, actorOf(session)),
    'retention.alihMedia': (input, { session }) => retention.alihMedia(input, actorOf(session)),
    // OCR (issue 6).
    'ocr.status': (input) => ocr.status(input.documentId),
    // Size budget and the optimizer (issue 6).
    'optimize.status': (input) => optimizer.status(input.id),
    'optimize.propose': (input) => optimizer.propose(input.id),
    'optimize.preview': (input) => optimizer.preview(input.id, input.page),
    'optimize.accept': (input, { session }) => optimizer.accept(input.id, actorOf(session)),
    'optimize.discard': (input) => optimizer.discard(input.id),
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
    ocr,
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
      // Sync run control (issue 5): nothing starts on its own any more, and a run stops keeping its place.
      syncScheduler.stop();
      await sync.pause();
      // A file being imported finishes (and is moved) before the database closes.
      await hotFolders.stop();
      // Waiting thumbnails are dropped (they render when first asked for); the current one finishes.
      await capture.close();
      // OCR (issue 6): the page being read is dropped; its document is read again at the next start.
      await ocr.close();
      // Optimizer (issue 6): a document being optimized finishes; its proposal is stored before the database closes.
      await reencodePool.close();
      db.close();
    },
  };
}
