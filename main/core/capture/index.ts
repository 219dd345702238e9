// Capture: getting scanned files into the archive. importFiles takes files and folders
// (PDF, JPEG, PNG, multi-page TIFF), refuses what is broken with a specific message per
// file, stores the rest as PDFs in the blob store and as draft documents in SQLite, and
// renders their thumbnails in the background.

import { createImporter } from './pipeline';
import { createThumbnails } from './thumbnails';
import type { Capture, CaptureDeps } from './types';

export type { Capture, CaptureDeps, CaptureLogger, ImportFile, ImportOptions } from './types';
export { THUMBNAIL_WIDTH } from './thumbnails';

export function createCapture(deps: CaptureDeps): Capture {
  const thumbnails = createThumbnails(deps);
  const importFiles = createImporter(deps, thumbnails);
  return {
    importFiles,
    thumbnail: (documentId) => thumbnails.get(documentId),
    idle: () => thumbnails.idle(),
    close: () => thumbnails.close(),
  };
}

export { createHotFolders, realTimers, IMPORTED_DIR } from './hotfolder';
export type { HotFolders, HotFolderDeps, HotFolderFs, HotFolderOptions, Timers } from './hotfolder';
export { nodeHotFolderFs } from './hotfolder-fs';
