// Page-1 thumbnails, rendered one at a time behind the import so a batch of 200 scans
// returns as soon as its rows are committed. A thumbnail lost to a crash is rendered
// again the first time someone asks for it.

import type { Db } from '../../infra/db';
import type { BlobStore } from '../../infra/blobs';
import { renderThumbnail } from '../../infra/pdf';
import type { EventSink } from '../ports';
import type { CaptureLogger } from './types';

export const THUMBNAIL_WIDTH = 160;

export interface ThumbnailDeps {
  db: Db;
  blobs: BlobStore;
  events: EventSink;
  logger: CaptureLogger;
}

export interface Thumbnails {
  /** Queues a render; returns at once. */
  enqueue(documentId: number): void;
  /** The stored PNG, rendered now if it is missing; null for an unknown or unrenderable document. */
  get(documentId: number): Promise<Buffer | null>;
  /** Resolves once the queue is empty. */
  idle(): Promise<void>;
  /** Drops queued renders and waits for the current one; they are rendered on demand later. */
  close(): Promise<void>;
}

export function createThumbnails({ db, blobs, events, logger }: ThumbnailDeps): Thumbnails {
  const selectPng = db.prepare<[number], { png: Buffer }>('SELECT png FROM thumbnails WHERE document_id = ?');
  const selectSha = db.prepare<[number], { sha256: string }>('SELECT sha256 FROM documents WHERE id = ?');
  // ON CONFLICT: an on-demand render and the queue may finish the same document.
  const insert = db.prepare('INSERT INTO thumbnails (document_id, png) VALUES (?, ?) ON CONFLICT (document_id) DO NOTHING');
  const inFlight = new Map<number, Promise<Buffer | null>>();
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;

  function render(documentId: number): Promise<Buffer | null> {
    const running = inFlight.get(documentId);
    if (running) return running;
    const job = (async () => {
      try {
        const stored = selectPng.get(documentId);
        if (stored) return stored.png;
        const doc = selectSha.get(documentId);
        if (!doc) return null;
        const png = await renderThumbnail(await blobs.read(doc.sha256), THUMBNAIL_WIDTH);
        // The document may have been deleted while it rendered.
        if (!selectSha.get(documentId)) return null;
        insert.run(documentId, png);
        events.emit('documents.onDidChange', { ids: [documentId] });
        return png;
      } catch (error) {
        logger.error(`thumbnail of document ${documentId} failed`, error);
        return null;
      }
    })().finally(() => inFlight.delete(documentId));
    inFlight.set(documentId, job);
    return job;
  }

  async function idle(): Promise<void> {
    let current;
    do {
      current = chain;
      await current;
    } while (current !== chain);
    await Promise.all(inFlight.values());
  }

  return {
    enqueue(documentId) {
      chain = chain
        .then(async () => {
          if (stopped) return;
          // Let IPC and the UI's requests in between two renders.
          await new Promise((resolve) => setImmediate(resolve));
          if (!stopped) await render(documentId);
        })
        .catch((error: unknown) => logger.error('thumbnail queue', error));
    },
    get: (documentId) => render(documentId),
    idle,
    async close() {
      stopped = true;
      await idle();
    },
  };
}
