// The two places the UI can run, behind one interface: inside Electron (window.lemari, the
// preload's bridge over IPC; files are named by their path on disk) and in a plain browser
// served by the browser host (the contract over HTTP on 127.0.0.1; files are uploaded first).
// Features talk to a Host and never know which one they have.

import type { BridgeEventListener, LemariBridge } from '../../common/bridge';
import {
  EVENT_NAMES,
  type EmployeeImportReport,
  type EventName,
  type FileRef,
  type ImportReport,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from '../../common/contract';
import { fail, type Result } from '../../common/errors';
import { formatBytes, t, type Locale } from '../../common/i18n';

declare global {
  interface Window {
    lemari?: LemariBridge;
  }
}

export type HostKind = 'electron' | 'web';

export interface UploadProgress {
  done: number;
  total: number;
  bytesDone: number;
  bytesTotal: number;
  current: string | null;
}

export interface ImportOptions {
  nip?: string;
  typeCode?: string;
  /** Search this batch for separator sheets whatever the setting says (capture.import). */
  separatorSheets?: boolean;
  /** The web host uploads before main can import: this reports that first phase. */
  onUpload?: (progress: UploadProgress) => void;
  /** Stops the uploads and the import (files already stored stay); see Host.canCancelImport. */
  signal?: AbortSignal;
}

export interface Host {
  readonly kind: HostKind;
  /** Whether ImportOptions.signal does anything (the Electron bridge has no cancel yet). */
  readonly canCancelImport: boolean;
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>>;
  /** Every event main pushes; returns the unsubscribe function. */
  on(listener: BridgeEventListener): () => void;
  /**
   * Called when main refuses a call for want of a login (the idle lock, a logout in another
   * window): the auth gate then asks main where the session stands. Returns the unsubscribe.
   */
  onAuthLost(listener: () => void): () => void;
  importFiles(files: File[], options?: ImportOptions): Promise<Result<ImportReport>>;
  importEmployees(file: File): Promise<Result<EmployeeImportReport>>;
  // Employee history import (issue 7): a picked file as the contract names it (a path, or uploaded and staged).
  fileRef(file: File): Promise<Result<FileRef>>;
  /**
   * The files of a drop. Must be called during the drop event: the browser empties the
   * DataTransfer once the handler returns.
   */
  filesFromDrop(data: DataTransfer): Promise<File[]>;
  /** The stored PDF of a document; the opening is audited by main. Throws with a user-facing message. */
  fetchDocument(id: number): Promise<Uint8Array>;
  thumbnailUrl(id: number): string;
}

/** The contract takes at most this many files per capture.import call. */
const FILES_PER_CALL = 10_000;
const PARALLEL_UPLOADS = 3;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function emptyReport(): ImportReport {
  return { imported: [], duplicates: [], failed: [] };
}

function merge(into: ImportReport, more: ImportReport): ImportReport {
  into.imported.push(...more.imported);
  into.duplicates.push(...more.duplicates);
  into.failed.push(...more.failed);
  return into;
}

/** Imports refs in contract-sized batches, keeping what already failed before main saw it. */
async function importRefs(
  importBatch: (input: MethodInput<'capture.import'>) => Promise<Result<ImportReport>>,
  refs: FileRef[],
  failed: ImportReport['failed'],
  options: ImportOptions,
): Promise<Result<ImportReport>> {
  const report = emptyReport();
  for (const batch of chunks(refs, FILES_PER_CALL)) {
    if (options.signal?.aborted) break;
    const result = await importBatch({ files: batch, nip: options.nip, typeCode: options.typeCode, separatorSheets: options.separatorSheets });
    if (!result.ok) return result;
    merge(report, result.value);
  }
  report.failed.push(...failed);
  return { ok: true, value: report };
}

// Files the OS and scanner software leave in scan folders; importing them would only add
// noise to the failure list. Only skipped inside folders: a file picked by name is imported.
const SYSTEM_FILES = /^(\.|thumbs\.db$|desktop\.ini$)/i;

export function isSystemFile(name: string): boolean {
  return SYSTEM_FILES.test(name);
}

async function readDirectory(entry: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = entry.createReader();
  const all: FileSystemEntry[] = [];
  // readEntries hands out at most 100 entries per call; it returns [] when done.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

async function walkEntry(entry: FileSystemEntry, out: File[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push(file);
  } else if (entry.isDirectory) {
    const children = await readDirectory(entry as FileSystemDirectoryEntry);
    children.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    for (const child of children) {
      if (!SYSTEM_FILES.test(child.name)) await walkEntry(child, out);
    }
  }
}

/** Watches results for 'unauthenticated' outside the auth.* calls themselves. */
function authWatch() {
  const listeners = new Set<() => void>();
  return {
    check<T>(method: string, result: Result<T>): Result<T> {
      if (!result.ok && result.error.code === 'unauthenticated' && !method.startsWith('auth.')) for (const listener of listeners) listener();
      return result;
    },
    lost(): void {
      for (const listener of listeners) listener();
    },
    onAuthLost(listener: () => void): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

function createElectronHost(bridge: LemariBridge, locale: () => Locale): Host {
  const watch = authWatch();
  const call: Host['call'] = async (method, input) => watch.check(method, await bridge.call(method, input));
  const refsOf = (files: File[]) => {
    const refs: FileRef[] = [];
    const failed: ImportReport['failed'] = [];
    for (const file of files) {
      const path = bridge.pathForFile(file);
      if (path) refs.push({ path });
      else failed.push({ name: file.name, code: 'not_a_file', message: t(locale(), 'import.not_a_file') });
    }
    return { refs, failed };
  };
  return {
    kind: 'electron',
    canCancelImport: false,
    call,
    on: (listener) => bridge.on(listener),
    onAuthLost: watch.onAuthLost,
    async importFiles(files, options = {}) {
      const { refs, failed } = refsOf(files);
      if (refs.length === 0) return { ok: true, value: { ...emptyReport(), failed } };
      return importRefs((input) => call('capture.import', input), refs, failed, options);
    },
    async importEmployees(file) {
      const path = bridge.pathForFile(file);
      if (!path) return fail('invalid_input', t(locale(), 'import.not_a_file'));
      return call('employees.import', { file: { path } });
    },
    // Employee history import (issue 7).
    async fileRef(file) {
      const path = bridge.pathForFile(file);
      return path ? { ok: true, value: { path } } : fail('invalid_input', t(locale(), 'import.not_a_file'));
    },
    // A dropped folder has a path too; main walks it.
    filesFromDrop: async (data) => Array.from(data.files),
    async fetchDocument(id) {
      const response = await fetch(`app://lemari/documents/${id}/content`, { cache: 'no-store' });
      if (response.status === 401) watch.lost();
      if (!response.ok) throw new Error(t(locale(), 'viewer.loadFailed', { status: response.status }));
      return new Uint8Array(await response.arrayBuffer());
    },
    thumbnailUrl: (id) => `app://lemari/documents/${id}/thumbnail`,
  };
}

async function resultOf<T>(response: Response, locale: Locale): Promise<Result<T>> {
  try {
    const body = (await response.json()) as Result<T>;
    if (typeof body === 'object' && body !== null && 'ok' in body) return body;
  } catch {
    // not JSON: fall through to a generic message
  }
  return fail('io', t(locale, 'host.unreachable'));
}

function createWebHost(locale: () => Locale): Host {
  const listeners = new Set<BridgeEventListener>();
  const watch = authWatch();
  let source: EventSource | null = null;

  function openEvents(): void {
    const opened = new EventSource('/api/events');
    source = opened;
    for (const name of EVENT_NAMES) {
      opened.addEventListener(name, (event) => {
        const payload: unknown = JSON.parse((event as MessageEvent<string>).data);
        for (const each of listeners) (each as (name: EventName, payload: unknown) => void)(name, payload);
      });
    }
    // EventSource gives up for good on a refusal (the idle lock ended the stream, the
    // reconnect got 401): try again while anyone still listens; it works once unlocked.
    opened.addEventListener('error', () => {
      if (opened.readyState !== EventSource.CLOSED) return;
      if (source === opened) source = null;
      setTimeout(() => {
        if (listeners.size > 0 && !source) openEvents();
      }, 3000);
    });
  }

  const failure = (error: unknown) =>
    error instanceof DOMException && error.name === 'AbortError' ? fail('io', t(locale(), 'import.cancelled')) : fail('io', t(locale(), 'host.unreachable'));

  async function post<M extends MethodName>(method: M, input: MethodInput<M>, signal?: AbortSignal): Promise<Result<MethodOutput<M>>> {
    try {
      const response = await fetch(`/api/call/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(input ?? {}),
        signal,
      });
      return watch.check(method, await resultOf(response, locale()));
    } catch (error) {
      return failure(error);
    }
  }
  const call: Host['call'] = (method, input) => post(method, input);

  async function stage(file: File, signal?: AbortSignal): Promise<Result<{ stagedId: string; size: number }>> {
    try {
      const response = await fetch(`/api/staging?name=${encodeURIComponent(file.name)}`, { method: 'PUT', body: file, signal });
      return watch.check('staging', await resultOf(response, locale()));
    } catch (error) {
      return failure(error);
    }
  }

  return {
    kind: 'web',
    canCancelImport: true,
    call,
    on(listener) {
      listeners.add(listener);
      if (!source) openEvents();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          source?.close();
          source = null;
        }
      };
    },
    onAuthLost: watch.onAuthLost,
    async importFiles(files, options = {}) {
      const info = await call('app.info', {});
      if (!info.ok) return info;
      const { maxFileBytes } = info.value.settings;
      const refs: (FileRef | null)[] = new Array<FileRef | null>(files.length).fill(null);
      const failed: ImportReport['failed'] = [];
      const bytesTotal = files.reduce((sum, file) => sum + file.size, 0);
      let done = 0;
      let bytesDone = 0;
      let next = 0;
      // Too large is known before sending a byte; main says the same if it sees one.
      const tooLarge = (file: File) =>
        t(locale(), 'import.too_large', { size: formatBytes(file.size, locale()), max: formatBytes(maxFileBytes, locale()) });
      const worker = async () => {
        while (next < files.length && !options.signal?.aborted) {
          const index = next++;
          const file = files[index];
          options.onUpload?.({ done, total: files.length, bytesDone, bytesTotal, current: file.name });
          if (file.size > maxFileBytes) {
            failed.push({ name: file.name, code: 'too_large', message: tooLarge(file) });
          } else {
            const staged = await stage(file, options.signal);
            if (staged.ok) refs[index] = { stagedId: staged.value.stagedId, name: file.name };
            // The only refusal staging gives for the bytes themselves is their size.
            else failed.push({ name: file.name, code: staged.error.code === 'invalid_input' ? 'too_large' : 'unreadable', message: staged.error.message });
          }
          done++;
          bytesDone += file.size;
          options.onUpload?.({ done, total: files.length, bytesDone, bytesTotal, current: null });
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL_UPLOADS, files.length) }, worker));
      if (options.signal?.aborted) return fail('io', t(locale(), 'import.cancelled'));
      const staged = refs.filter((ref): ref is FileRef => ref !== null);
      if (staged.length === 0) return { ok: true, value: { ...emptyReport(), failed } };
      return importRefs((input) => post('capture.import', input, options.signal), staged, failed, options);
    },
    async importEmployees(file) {
      const staged = await stage(file);
      if (!staged.ok) return staged;
      return call('employees.import', { file: { stagedId: staged.value.stagedId, name: file.name } });
    },
    // Employee history import (issue 7).
    async fileRef(file) {
      const staged = await stage(file);
      return staged.ok ? { ok: true, value: { stagedId: staged.value.stagedId, name: file.name } } : staged;
    },
    async filesFromDrop(data) {
      // Entries first, synchronously: the DataTransfer is emptied after the event. A drop
      // that offers no entry (some sources, scripted drops) still has its plain files.
      const dropped = Array.from(data.items)
        .filter((item) => item.kind === 'file')
        .map((item) => item.webkitGetAsEntry() ?? item.getAsFile());
      const files: File[] = [];
      for (const each of dropped) {
        if (each instanceof File) files.push(each);
        else if (each) await walkEntry(each, files);
      }
      return files;
    },
    async fetchDocument(id) {
      const response = await fetch(`/api/documents/${id}/content`, { cache: 'no-store' });
      if (!response.ok) {
        const result = watch.check('documents.content', await resultOf<never>(response, locale()));
        throw new Error(result.ok ? t(locale(), 'viewer.loadFailed', { status: response.status }) : result.error.message);
      }
      return new Uint8Array(await response.arrayBuffer());
    },
    thumbnailUrl: (id) => `/api/documents/${id}/thumbnail`,
  };
}

export function createHost(locale: () => Locale): Host {
  const bridge = window.lemari;
  return bridge?.host === 'electron' ? createElectronHost(bridge, locale) : createWebHost(locale);
}

/**
 * Web host only: trades the token the start-up URL carries in its #fragment for a session
 * cookie, then drops it from the address bar (and so from history and bookmarks). Without a
 * token, a cookie from an earlier load of this tab may still be valid.
 */
export async function openWebSession(): Promise<'ok' | 'no-token' | 'refused'> {
  if (window.lemari) return 'ok';
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match) return 'no-token';
  const token = decodeURIComponent(match[1]);
  history.replaceState(null, '', window.location.pathname + window.location.search);
  try {
    const response = await fetch('/api/session', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    return response.ok ? 'ok' : 'refused';
  } catch {
    return 'refused';
  }
}
