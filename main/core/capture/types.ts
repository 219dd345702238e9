// The shapes capture is built from and hands out; the door (index.ts) re-exports them.

import type { ImportReport } from '../../../common/contract';
import type { ReferenceData } from '../../../common/doctypes';
import type { Locale } from '../../../common/i18n';
import type { AuditLog } from '../audit';
import type { FileBlobStore } from '../../infra/blobs';
import type { Db } from '../../infra/db';
import type { Actor, Clock, EventSink, Translate } from '../ports';

export interface CaptureLogger {
  error(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
}

export interface CaptureDeps {
  db: Db;
  blobs: FileBlobStore;
  clock: Clock;
  translate: Translate;
  events: EventSink;
  reference: () => ReferenceData;
  /** Read per batch, so a changed setting applies to the next import. */
  maxFileBytes: () => number;
  logger: CaptureLogger;
  /** Every stored document is recorded here, in the transaction that stores it. */
  audit: AuditLog;
  /** Separator sheets (issue 6): whether multi-page files are searched for sheets; on when not given. Read per file. */
  separatorSheets?: () => boolean;
  /** The language sizes are written in ("1,5 MB"); Indonesian when not given. */
  locale?: () => Locale;
}

export interface ImportFile {
  path: string;
  /** The name the clerk knows the file by (a browser upload's path is a staging id). */
  name: string;
}

export interface ImportOptions {
  /** Pre-fills the label of every imported document (a folder scanned for one employee). */
  nip?: string;
  typeCode?: string;
  /**
   * Search this batch's multi-page files for separator sheets, whatever the setting says: a
   * clerk scanning a stack with sheets printed on another workstation ticks it on import.
   */
  separatorSheets?: boolean;
  actor: Actor;
  /** Tags this batch's progress events; a new id when not given. */
  batchId?: string;
  /**
   * Stops the batch before its next commit group (pipeline.ts: up to 32 files or 250 ms);
   * files already committed, and so reported, stay.
   */
  signal?: AbortSignal;
}

export interface Capture {
  importFiles(files: readonly ImportFile[], options: ImportOptions): Promise<ImportReport>;
  /** Page-1 PNG of a document, rendered on demand if missing; null if it cannot be had. */
  thumbnail(documentId: number): Promise<Buffer | null>;
  /** Resolves when the background thumbnail queue is empty (tests, shutdown). */
  idle(): Promise<void>;
  /**
   * For a quick shutdown: drops queued thumbnails (they render on demand later) and waits
   * only for the one being rendered. Importing after close still works, without thumbnails.
   */
  close(): Promise<void>;
}
