// Small key files written once and never overwritten: created beside their final name
// with mode 0600, fsynced, then hard-linked into place, so a crash never leaves a half
// key and two processes starting together (the app and a scheduled CLI run) agree on one.

import { closeSync, constants, fstatSync, fsyncSync, linkSync, mkdirSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SecretStoreError } from './errors';

export const KEYS_DIR = 'keys';

export function keysDir(dataDir: string): string {
  return join(dataDir, KEYS_DIR);
}

/** Writes `bytes` to `path` unless it already exists; returns whether this call created it. */
export function createOnce(path: string, bytes: Buffer, random: (n: number) => Buffer): boolean {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${random(6).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, path);
    fsyncDir(dirname(path));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync there
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a key file, refusing one that other users could read. The checks run on the open
 * descriptor (no symlink followed), so the file checked is the file read.
 */
export function readPrivateFile(path: string, options: { checkMode: boolean }): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (process.platform === 'win32' ? 0 : constants.O_NOFOLLOW));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw new SecretStoreError('key_file_unsafe', { path, detail: 'symbolic link' });
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new SecretStoreError('key_file_unsafe', { path, detail: 'not a file' });
    // On Windows the mode bits say nothing about ACLs; the profile folder's ACL protects it.
    if (options.checkMode && process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      throw new SecretStoreError('key_file_permissions', { path, mode: (stat.mode & 0o777).toString(8).padStart(4, '0') });
    }
    const buffer = Buffer.alloc(Math.min(stat.size, 64 * 1024));
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
