// The file-system side of an import: folders dropped by the clerk become their files (in
// the order Explorer shows them), and each file is read only if it is a plain file of an
// acceptable size. Failures come back as values so one bad file never stops a batch.

import { constants, type Stats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { MessageKey, MessageParams } from '../../../common/i18n';

export type FileFailure =
  | { code: 'unreadable'; reason: { key: MessageKey; params?: MessageParams } }
  | { code: 'not_a_file' }
  | { code: 'empty' }
  | { code: 'too_large'; size: number };

export interface PendingFile {
  path: string;
  /** How the report names it: the name given, or folder/sub/file for files found in a folder. */
  name: string;
  /** What the archive stores as the original name. */
  baseName: string;
  size: number;
  failure?: FileFailure;
}

/** Windows writes these into every scanned folder; they are never documents. */
const SYSTEM_FILES = new Set(['thumbs.db', 'desktop.ini', '.ds_store']);

// Numeric collation: "scan 2" before "scan 10", as the clerk sees them in Explorer.
const collator = new Intl.Collator('id', { numeric: true, sensitivity: 'base' });

function compareNames(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

function isSkipped(name: string): boolean {
  return name.startsWith('.') || SYSTEM_FILES.has(name.toLowerCase());
}

export function baseNameOf(name: string): string {
  const base = name.split(/[\\/]/).filter(Boolean).pop() ?? name;
  // macOS hands out decomposed names; stored names are composed so search finds them.
  return base.normalize('NFC');
}

/** Maps an OS error to words a clerk can act on. */
export function osReason(error: unknown): { key: MessageKey; params?: MessageParams } {
  const code = (error as NodeJS.ErrnoException | null)?.code ?? 'UNKNOWN';
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { key: 'import.reason.not_found' };
    case 'EACCES':
    case 'EPERM':
      return { key: 'import.reason.denied' };
    case 'EBUSY':
    case 'ETXTBSY':
      return { key: 'import.reason.busy' };
    case 'EIO':
      return { key: 'import.reason.io' };
    default:
      return { key: 'import.reason.os', params: { code } };
  }
}

function describe(path: string, name: string, info: Stats): PendingFile {
  const file: PendingFile = { path, name, baseName: baseNameOf(name), size: info.isFile() ? info.size : 0 };
  if (!info.isFile()) file.failure = { code: 'not_a_file' };
  return file;
}

/** Expands folders recursively; files and sub-folders in name order, hidden ones skipped. */
export async function expandInputs(files: readonly { path: string; name: string }[]): Promise<PendingFile[]> {
  const out: PendingFile[] = [];
  for (const file of files) {
    let info: Stats;
    try {
      // A file the clerk picked may be a shortcut (symlink) to the real scan: follow it.
      info = await stat(file.path);
    } catch (error) {
      out.push({ path: file.path, name: file.name, baseName: baseNameOf(file.name), size: 0, failure: { code: 'unreadable', reason: osReason(error) } });
      continue;
    }
    if (info.isDirectory()) await walk(file.path, baseNameOf(file.name), out);
    else out.push(describe(file.path, file.name, info));
  }
  return out;
}

async function walk(dir: string, prefix: string, out: PendingFile[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    out.push({ path: dir, name: prefix, baseName: baseNameOf(prefix), size: 0, failure: { code: 'unreadable', reason: osReason(error) } });
    return;
  }
  entries.sort((a, b) => compareNames(a.name, b.name));
  for (const entry of entries) {
    if (isSkipped(entry.name)) continue;
    const path = join(dir, entry.name);
    const name = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      await walk(path, name, out);
      continue;
    }
    try {
      const info = await stat(path);
      // Links to folders are not followed: one pointing at its parent would never end.
      if (info.isDirectory()) out.push({ path, name, baseName: baseNameOf(entry.name), size: 0, failure: { code: 'not_a_file' } });
      else out.push(describe(path, name, info));
    } catch (error) {
      out.push({ path, name, baseName: baseNameOf(entry.name), size: 0, failure: { code: 'unreadable', reason: osReason(error) } });
    }
  }
}

/**
 * Reads a whole file, refusing anything but a regular file within `maxBytes`. It opens
 * without blocking and checks the opened handle, so a FIFO swapped in after the folder
 * walk cannot hang the import, and the size checked is the size read.
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<{ bytes: Buffer } | { failure: FileFailure }> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { failure: { code: 'unreadable', reason: osReason(error) } };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { failure: { code: 'not_a_file' } };
    if (info.size === 0) return { failure: { code: 'empty' } };
    if (info.size > maxBytes) return { failure: { code: 'too_large', size: info.size } };
    const bytes = await handle.readFile();
    // The scanner may still be writing: judge what was actually read.
    if (bytes.length === 0) return { failure: { code: 'empty' } };
    if (bytes.length > maxBytes) return { failure: { code: 'too_large', size: bytes.length } };
    return { bytes };
  } catch (error) {
    return { failure: { code: 'unreadable', reason: osReason(error) } };
  } finally {
    await handle.close().catch(() => undefined);
  }
}
