// A profile is a data directory: the SQLite database, the blob store, staged uploads and
// config.json. openProfile builds the core services over real adapters and the contract
// handlers over them; the three shells (Electron, browser host, CLI) each call it from
// their composition root with their own settings store and logger.

import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FileRef } from '../common/contract';
import { t, type MessageKey, type MessageParams } from '../common/i18n';
import { AppError } from '../common/errors';
import { createApi, type Api, type Handlers, type Logger } from './api';
import { createAuditLog } from './core/audit';
import { createCapture } from './core/capture';
import { createDocuments } from './core/documents';
import { createEmployees } from './core/employees';
import { EventBus } from './core/events';
import { createMaintenance } from './core/maintenance';
import { systemClock, type Actor, type Clock, type Translate } from './core/ports';
import { createSearch } from './core/search';
import { FileBlobStore } from './infra/blobs';
import { openDatabase, type Db } from './infra/db';
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
  /** Page-encryption key for the database (wired by the login issue). */
  dbKey?: string;
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
  /** The stored PDF for a viewer; the opening is audited. */
  documentContent(id: number, actor: Actor): Promise<DocumentContent>;
  thumbnail(id: number): Promise<Buffer | null>;
  /** Waits for background work (thumbnails) to finish. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export const DATABASE_FILE = 'lemari.db';
export const BLOBS_DIR = 'blobs';
/** Uploads older than this are swept on start. */
const STAGING_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export async function openProfile(options: ProfileOptions): Promise<Profile> {
  const { dataDir, settings, logger } = options;
  const clock = options.clock ?? systemClock;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const translate: Translate = (key: MessageKey, params?: MessageParams) => t(settings.get().locale, key, params);

  const reference = loadReferenceData(options.resourcesDir, dataDir, translate);
  const db = openDatabase(join(dataDir, DATABASE_FILE), { key: options.dbKey });
  const syncTypes = db.prepare('INSERT INTO document_types (code, name_id, name_en) VALUES (?, ?, ?) ON CONFLICT (code) DO UPDATE SET name_id = excluded.name_id, name_en = excluded.name_en WHERE name_id <> excluded.name_id OR name_en <> excluded.name_en');
  db.transaction(() => reference.documentTypes.forEach((type) => syncTypes.run(type.code, type.name.id, type.name.en)))();

  const blobs = await new FileBlobStore(join(dataDir, BLOBS_DIR)).init();
  const staging = await new StagingArea(join(dataDir, 'staging')).init();
  await staging.sweep(clock.now().getTime(), STAGING_MAX_AGE_MS);
  const events = new EventBus();
  const referenceOf = () => reference;

  const audit = createAuditLog({ db, clock });
  const employees = createEmployees({ db, clock, translate, reference: referenceOf, readTable, audit });
  const documents = createDocuments({ db, blobs, clock, translate, reference: referenceOf, locale: () => settings.get().locale, audit });
  const search = createSearch({ db });
  const capture = createCapture({ db, blobs, clock, translate, events, reference: referenceOf, maxFileBytes: () => settings.get().maxFileBytes, logger, locale: () => settings.get().locale, audit });
  const maintenance = createMaintenance({ db, blobs, translate, audit });

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

  const handlers: Handlers = {
    'app.info': () => ({ version: options.version ?? '0.0.0', dataDir, host: options.host, settings: settings.get() }),
    'settings.update': (input) => settings.set(input),
    'reference.get': () => reference,
    'employees.import': (input, context) => withFiles([input.file], ([file]) => employees.importFile(file.path, file.name, context.actor)),
    'employees.search': (input) => employees.search(input),
    'employees.get': (input) => employees.get(input.nip),
    'employees.units': () => employees.units(),
    'capture.import': (input, context) =>
      withFiles(input.files, (files) => capture.importFiles(files, { nip: input.nip, typeCode: input.typeCode, actor: context.actor, signal: context.signal })),
    'documents.get': (input) => documents.get(input.id),
    'documents.list': (input) => documents.list(input),
    'documents.label': (input, context) => documents.label(input, context.actor),
    'search.query': (input) => search.query(input),
    'maintenance.verify': () => maintenance.verify(),
  };

  return {
    dataDir,
    api: createApi(handlers, translate, logger),
    events,
    staging,
    db,
    async documentContent(id, actor) {
      const content = await documents.content(id, actor);
      return { ...content, stream: (range) => blobs.stream(content.sha256, range) };
    },
    thumbnail: (id) => capture.thumbnail(id),
    idle: () => capture.idle(),
    async close() {
      // Waiting thumbnails are dropped (they render when first asked for); the current one finishes.
      await capture.close();
      db.close();
    },
  };
}
