// The hot folder's disk, over node:fs: what main/core/capture/hotfolder.ts is given in the
// shells. Tests wrap it to see the order of operations or to fail on purpose.

import { watch } from 'node:fs';
import { access, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import type { HotFolderFs } from './hotfolder';

export const nodeHotFolderFs: HotFolderFs = {
  list: (dir) => readdir(dir),
  async stat(path) {
    const info = await stat(path);
    return { isFile: info.isFile(), size: info.size, mtimeMs: info.mtimeMs };
  },
  async canOpen(path) {
    try {
      const handle = await open(path, 'r');
      await handle.close();
      return true;
    } catch {
      return false;
    }
  },
  exists: (path) => access(path).then(
    () => true,
    () => false,
  ),
  mkdir: async (path) => void (await mkdir(path, { recursive: true })),
  rename: (from, to) => rename(from, to),
  remove: (path) => rm(path),
  watch(dir, onChange) {
    try {
      const watcher = watch(dir, { persistent: false }, () => onChange());
      // A share that drops fires an error; polling notices and reports it offline.
      watcher.on('error', () => watcher.close());
      return watcher;
    } catch {
      return null;
    }
  },
};
