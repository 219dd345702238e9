// The hot folder: folders where the scanner software saves, watched so a clerk never has to
// import by hand. Folders are listed every poll (fs.watch only wakes the loop early: on a
// network share its events are unreliable); a file is taken once its size and time stayed
// the same for `stableMs` and it can be opened, imported through the same pipeline as
// capture.import, and only after its row is committed moved to imported/DATE/ (or deleted,
// if the admin chose that). A file that fails stays where it is with its reason, and is tried
// again when it changes or the clerk asks. A folder that cannot be listed (the share went
// away) is reported offline and tried again every poll.

import { join } from 'node:path';
import type { HotFolderStatus, ImportReport } from '../../../common/contract';
import { formatIsoDate, todayOf } from '../../../common/dates';
import type { Actor, Clock, EventSink, Translate } from '../ports';
import type { CaptureLogger, ImportFile, ImportOptions } from './types';

export interface FileStat {
  isFile: boolean;
  size: number;
  mtimeMs: number;
}

/** What the watcher does to the disk; hotfolder-fs.ts is the real one, tests wrap it. */
export interface HotFolderFs {
  list(dir: string): Promise<string[]>;
  stat(path: string): Promise<FileStat>;
  /** False while another program holds the file exclusively (scanner software on Windows). */
  canOpen(path: string): Promise<boolean>;
  exists(path: string): Promise<boolean>;
  mkdir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  /** Calls back on any change in dir; null where the platform or share offers no events. */
  watch(dir: string, onChange: () => void): { close(): void } | null;
}

export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface HotFolderOptions {
  pollMs: number;
  stableMs: number;
  afterImport: 'move' | 'delete';
}

export interface HotFolderDeps {
  fs: HotFolderFs;
  timers: Timers;
  clock: Clock;
  translate: Translate;
  events: EventSink;
  logger: CaptureLogger;
  /** capture.importFiles: resolves only after each file's row is committed. */
  importFiles(files: readonly ImportFile[], options: ImportOptions): Promise<ImportReport>;
  /** Read every poll, so a changed setting applies at once. */
  options(): HotFolderOptions;
}

export interface HotFolders {
  /** The folders to watch; folders already watched keep their state. */
  setFolders(paths: readonly string[]): void;
  /** Starts polling; files are imported in the actor's name. */
  start(actor: Actor): void;
  /** Stops polling and waits for a file being imported to finish. */
  stop(): Promise<void>;
  status(): HotFolderStatus;
  /** Forgets a failure so the file is taken again at the next poll. */
  retry(path: string): boolean;
  /** One pass over every folder now (tests; also what every timer tick runs). */
  scan(): Promise<void>;
}

/** The subfolder taken files are moved to; never itself scanned (only top-level files are). */
export const IMPORTED_DIR = 'imported';
const RECENT_KEPT = 50;
/** A burst of file events becomes one scan this long after the first. */
const WAKE_DELAY_MS = 150;

type Recent = HotFolderStatus['recent'][number];
type Failure = HotFolderStatus['failures'][number] & { size: number; mtimeMs: number };

interface Seen {
  size: number;
  mtimeMs: number;
  /** When this size and time were first seen. */
  since: number;
}

interface Folder {
  path: string;
  state: 'pending' | 'watching' | 'offline';
  error: string | null;
  lastScanAt: string | null;
  seen: Map<string, Seen>;
  watcher: { close(): void } | null;
}

/** Partial downloads and editor/OS droppings that are never scans. */
function ignored(name: string): boolean {
  return name.startsWith('.') || name.startsWith('~') || /\.(tmp|part|partial|crdownload|download)$/i.test(name) || /^(thumbs\.db|desktop\.ini)$/i.test(name);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createHotFolders(deps: HotFolderDeps): HotFolders {
  const { fs, timers, clock, translate, logger } = deps;
  const folders = new Map<string, Folder>();
  const failures = new Map<string, Failure>();
  const recent: Recent[] = [];
  let actor: Actor | null = null;
  let timer: unknown = null;
  let scanning: Promise<void> | null = null;
  let wakeAgain = false;

  const iso = () => clock.now().toISOString();

  function status(): HotFolderStatus {
    return {
      running: actor !== null,
      folders: [...folders.values()].map(({ path, state, error, lastScanAt }) => ({ path, state, error, lastScanAt })),
      recent: recent.slice(),
      failures: [...failures.values()].map(({ size: _size, mtimeMs: _mtime, ...failure }) => failure),
    };
  }
  const changed = () => deps.events.emit('hotfolder.onDidChange', status());

  function schedule(ms: number) {
    if (actor === null) return;
    if (timer !== null) timers.clear(timer);
    timer = timers.set(() => {
      timer = null;
      void tick();
    }, ms);
  }

  async function tick() {
    await scan();
    if (wakeAgain) {
      wakeAgain = false;
      schedule(WAKE_DELAY_MS);
    } else schedule(deps.options().pollMs);
  }

  /** A file event: look soon, but never start a second scan beside a running one. */
  function wake() {
    if (scanning) wakeAgain = true;
    else schedule(WAKE_DELAY_MS);
  }

  function closeWatcher(folder: Folder) {
    folder.watcher?.close();
    folder.watcher = null;
  }

  function goOffline(folder: Folder, error: unknown) {
    closeWatcher(folder);
    // Coming back, every file must be seen standing still again before it is taken.
    folder.seen.clear();
    const message = translate('hotfolder.offline', { reason: errorText(error) });
    if (folder.state !== 'offline' || folder.error !== message) {
      logger.info('hot folder offline', { path: folder.path, reason: errorText(error) });
      folder.state = 'offline';
      folder.error = message;
      changed();
    }
  }

  function goOnline(folder: Folder) {
    if (folder.state === 'watching') return;
    folder.state = 'watching';
    folder.error = null;
    if (actor !== null) {
      try {
        folder.watcher = fs.watch(folder.path, wake);
      } catch {
        folder.watcher = null; // polling alone still finds everything
      }
    }
    changed();
  }

  /** imported/2026-11-24/name.pdf, or "name (2).pdf" there if that is taken. */
  async function destination(folder: Folder, name: string): Promise<string> {
    const day = formatIsoDate(todayOf(clock.now()));
    const dir = join(folder.path, IMPORTED_DIR, day);
    await fs.mkdir(dir);
    const dot = name.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    for (let n = 1; ; n++) {
      const candidate = join(dir, n === 1 ? name : `${stem} (${n})${ext}`);
      if (!(await fs.exists(candidate))) return candidate;
    }
  }

  /** Runs only after importFiles resolved, i.e. after the file's row is committed. */
  async function putAway(folder: Folder, name: string, path: string): Promise<{ movedTo: string | null; error: string | null }> {
    try {
      if (deps.options().afterImport === 'delete') {
        await fs.remove(path);
        return { movedTo: null, error: null };
      }
      const to = await destination(folder, name);
      await fs.rename(path, to);
      return { movedTo: to, error: null };
    } catch (error) {
      // Stored safely but still in the folder: the next poll finds it a duplicate and tries again.
      logger.error(`could not move ${JSON.stringify(path)} out of the hot folder`, error);
      return { movedTo: null, error: translate('hotfolder.move_failed', { reason: errorText(error) }) };
    }
  }

  function fail(folder: Folder, name: string, path: string, stat: FileStat, code: string, message: string) {
    failures.set(path, { folder: folder.path, name, path, at: iso(), code, message, size: stat.size, mtimeMs: stat.mtimeMs });
    logger.info('hot folder file failed', { path, code });
  }

  async function take(folder: Folder, name: string, path: string, stat: FileStat) {
    const who = actor;
    if (who === null) return;
    let report: ImportReport;
    try {
      report = await deps.importFiles([{ path, name }], { actor: who });
    } catch (error) {
      logger.error(`hot folder import of ${JSON.stringify(path)} failed`, error);
      fail(folder, name, path, stat, 'internal', translate('error.internal'));
      return;
    }
    failures.delete(path);
    const failed = report.failed[0];
    if (failed) {
      fail(folder, name, path, stat, failed.code, failed.message);
      return;
    }
    // The scanner wrote again while we read: what was stored may not be the whole file, so
    // it stays, and is taken again (whole) once it stands still.
    const after = await fs.stat(path).catch(() => null);
    if (!after || after.size !== stat.size || after.mtimeMs !== stat.mtimeMs) return;

    const imported = report.imported[0];
    const duplicate = report.duplicates[0];
    if (!imported && !duplicate) return;
    const { movedTo, error } = await putAway(folder, name, path);
    if (error) fail(folder, name, path, stat, 'move_failed', error);
    recent.unshift({
      folder: folder.path,
      name,
      at: iso(),
      outcome: imported ? 'imported' : 'duplicate',
      documentId: imported ? imported.documentId : duplicate!.existingId,
      message: duplicate ? duplicate.message : null,
      movedTo,
    });
    recent.splice(RECENT_KEPT);
  }

  async function scanFolder(folder: Folder) {
    let names: string[];
    try {
      names = await fs.list(folder.path);
    } catch (error) {
      goOffline(folder, error);
      return;
    }
    goOnline(folder);
    const { stableMs } = deps.options();
    const now = clock.now().getTime();
    const present = new Set<string>();
    let touched = false;
    for (const name of names.sort()) {
      if (actor === null || !folders.has(folder.path)) return;
      if (ignored(name)) continue;
      const path = join(folder.path, name);
      let stat: FileStat;
      try {
        stat = await fs.stat(path);
      } catch {
        continue; // gone between the listing and now
      }
      if (!stat.isFile) continue;
      present.add(name);
      const seen = folder.seen.get(name);
      if (!seen || seen.size !== stat.size || seen.mtimeMs !== stat.mtimeMs) {
        folder.seen.set(name, { size: stat.size, mtimeMs: stat.mtimeMs, since: now });
        continue;
      }
      // An empty file is a scan about to be written, not a failure.
      if (stat.size === 0 || now - seen.since < stableMs) continue;
      const failure = failures.get(path);
      if (failure && failure.size === stat.size && failure.mtimeMs === stat.mtimeMs) continue;
      if (!(await fs.canOpen(path))) continue;
      await take(folder, name, path, stat);
      touched = true;
    }
    for (const name of folder.seen.keys()) if (!present.has(name)) folder.seen.delete(name);
    for (const [path, failure] of failures) {
      if (failure.folder === folder.path && !present.has(failure.name)) {
        failures.delete(path); // the clerk took it away
        touched = true;
      }
    }
    folder.lastScanAt = iso();
    if (touched) changed();
  }

  async function scan(): Promise<void> {
    if (scanning) return scanning;
    scanning = (async () => {
      for (const folder of [...folders.values()]) await scanFolder(folder);
    })().finally(() => (scanning = null));
    return scanning;
  }

  return {
    setFolders(paths) {
      const wanted = new Set(paths);
      for (const [path, folder] of folders) {
        if (wanted.has(path)) continue;
        closeWatcher(folder);
        folders.delete(path);
        for (const [file, failure] of failures) if (failure.folder === path) failures.delete(file);
      }
      for (const path of wanted) {
        if (!folders.has(path)) folders.set(path, { path, state: 'pending', error: null, lastScanAt: null, seen: new Map(), watcher: null });
      }
      changed();
      wake();
    },
    start(who) {
      const wasRunning = actor !== null;
      actor = who;
      if (!wasRunning) {
        schedule(0);
        changed();
      }
    },
    async stop() {
      actor = null;
      if (timer !== null) timers.clear(timer);
      timer = null;
      for (const folder of folders.values()) {
        closeWatcher(folder);
        folder.state = 'pending';
      }
      await scanning;
    },
    status,
    retry(path) {
      if (!failures.delete(path)) return false;
      changed();
      wake();
      return true;
    },
    scan,
  };
}
