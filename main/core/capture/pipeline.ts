// The import pipeline: each file is read, recognised by its bytes, checked (every PDF page
// opens; images decode), turned into the PDF the archive keeps, written to the blob store
// and only then committed to SQLite with its audit entry, in groups of files (groups.ts).
// A crash between the two leaves orphan blobs (harmless, counted by verify), never a row
// without its bytes.

import { writeTransaction } from '../audit';
import { randomUUID } from 'node:crypto';
import type { ImportReport } from '../../../common/contract';
import { todayOf } from '../../../common/dates';
import { AppError } from '../../../common/errors';
import { guessFromFileName } from '../../../common/filename-guess';
import { formatBytes, type MessageKey, type MessageParams } from '../../../common/i18n';
import { checkAnyNip, normalizeNip } from '../../../common/nip';
import { sha256HexAsync } from '../../infra/blobs';
import { ImageProblem, imagesToPdf } from '../../infra/images';
import { inspectPdf, PdfProblem, type ProblemReason } from '../../infra/pdf';
import { expandInputs, readRegularFile, type FileFailure, type PendingFile } from './files';
import { hasPdfExtension, sniffKind, type SourceKind } from './sniff';
import { historyOf } from '../history';
import { labelFromSheet, splitStack } from '../separators';
import { runInGroups } from './groups';
import type { Thumbnails } from './thumbnails';
import type { CaptureDeps, ImportFile, ImportOptions } from './types';

type Failure = ImportReport['failed'][number];
type Outcome =
  | { kind: 'imported'; entry: ImportReport['imported'][number] }
  | { kind: 'duplicate'; entry: ImportReport['duplicates'][number] }
  | { kind: 'failed'; entry: Failure };

interface Prepared {
  pdf: Uint8Array;
  pageCount: number;
}

interface DocumentRow {
  sha256: string;
  sourceSha256: string;
  originalName: string;
  size: number;
  sourceSize: number;
  pageCount: number;
  sourceKind: SourceKind;
  nip: string | null;
  typeCode: string | null;
  /** Label fields known at import: a separator sheet's history record (main/core/history/sheets.ts). */
  fields: Record<string, string>;
  guessNip: string | null;
  guessType: string | null;
  state: 'draft' | 'ready';
  at: string;
  actor: string;
}

/** Files staged at once (bench/import.ts: 1 against 3 in the same run). */
export const FILES_IN_FLIGHT = 3;
/**
 * Files per commit, and how long a group waits to fill: one transaction (one fsync with
 * synchronous=FULL) per file cost about 1 s of the 1,000-scan bench.
 */
export const GROUP_FILES = 32;
export const GROUP_MS = 250;

export function createImporter(deps: CaptureDeps, thumbnails: Thumbnails) {
  const { db, blobs, clock, translate, events, logger } = deps;
  const locale = deps.locale ?? (() => 'id' as const);

  const findExisting = db.prepare<[string, string], { id: number; original_name: string }>(
    'SELECT id, original_name FROM documents WHERE source_sha256 = ? OR sha256 = ? ORDER BY id LIMIT 1',
  );
  const insertDocument = db.prepare(
    `INSERT INTO documents (sha256, source_sha256, original_name, size, source_size, page_count, source_kind,
       nip, type_code, nomor, tanggal, fields, guess_nip, guess_type, state, created_at, updated_at)
     VALUES (@sha256, @sourceSha256, @originalName, @size, @sourceSize, @pageCount, @sourceKind,
       @nip, @typeCode, @nomor, @tanggal, @fields, @guessNip, @guessType, @state, @at, @at)`,
  );
  const commit = (row: DocumentRow): number =>
    writeTransaction(db, () => {
      const { fields, ...rest } = row;
      const id = Number(insertDocument.run({ ...rest, nomor: fields.nomor ?? null, tanggal: fields.tanggal ?? null, fields: JSON.stringify(fields) }).lastInsertRowid);
      deps.audit.append({ actor: row.actor, action: 'document.imported', documentId: id, nip: row.nip, detail: { name: row.originalName, sha256: row.sha256 } });
      // Labelled complete by its separator sheet: recorded as a labelling, as review reads it.
      if (row.state === 'ready') deps.audit.append({ actor: row.actor, action: 'document.labelled', documentId: id, nip: row.nip, detail: { typeCode: row.typeCode, by: 'separator' } });
      return id;
    });

  function reasonText(reason: ProblemReason | { key: MessageKey; params?: MessageParams }): string {
    return 'text' in reason ? reason.text : translate(reason.key, reason.params);
  }

  function fileFailure(name: string, failure: FileFailure, maxBytes: number): Failure {
    switch (failure.code) {
      case 'unreadable':
        return { name, code: 'unreadable', message: translate('import.unreadable', { reason: reasonText(failure.reason) }) };
      case 'too_large':
        return {
          name,
          code: 'too_large',
          message: translate('import.too_large', { size: formatBytes(failure.size, locale()), max: formatBytes(maxBytes, locale()) }),
        };
      default:
        return { name, code: failure.code, message: translate(`import.${failure.code}`) };
    }
  }

  function problemFailure(name: string, error: unknown, kind: SourceKind): Failure {
    if (error instanceof PdfProblem) {
      const message =
        error.code === 'corrupt'
          ? translate('import.corrupt', { reason: error.reason ? reasonText(error.reason) : error.message })
          : translate(`import.${error.code}`);
      return { name, code: error.code, message };
    }
    if (error instanceof ImageProblem) return { name, code: 'bad_image', message: translate('import.bad_image', { reason: reasonText(error.reason) }) };
    // A library tripping over odd bytes is still the file's fault; the log keeps the stack.
    logger.error(`unexpected failure reading ${kind} ${JSON.stringify(name)}`, error);
    const reason = error instanceof Error ? error.message : String(error);
    return kind === 'pdf'
      ? { name, code: 'corrupt', message: translate('import.corrupt', { reason }) }
      : { name, code: 'bad_image', message: translate('import.bad_image', { reason }) };
  }

  function duplicateOf(name: string, existing: { id: number; original_name: string }): Outcome {
    return {
      kind: 'duplicate',
      entry: { name, existingId: existing.id, existingName: existing.original_name, message: translate('import.duplicate', { id: existing.id, name: existing.original_name }) },
    };
  }

  async function prepare(kind: SourceKind, bytes: Uint8Array): Promise<Prepared> {
    if (kind === 'pdf') {
      const { pageCount } = await inspectPdf(bytes);
      // Stored as it came: the bytes the agency scanned are the archival record.
      return { pdf: bytes, pageCount };
    }
    return imagesToPdf(kind, bytes);
  }

  function checkOptions(options: ImportOptions): { nip: string | null; typeCode: string | null } {
    let nip: string | null = null;
    if (options.nip !== undefined && options.nip !== '') {
      const check = checkAnyNip(normalizeNip(options.nip), todayOf(clock.now()));
      if (!check.ok) {
        const { reason, ...params } = check.problem;
        throw new AppError('invalid_input', translate(`nip.${reason}`, params));
      }
      nip = check.nip;
    }
    let typeCode: string | null = null;
    if (options.typeCode !== undefined && options.typeCode !== '') {
      if (!deps.reference().documentTypes.some((type) => type.code === options.typeCode)) {
        throw new AppError('invalid_input', translate('documents.unknown_type', { code: options.typeCode }));
      }
      typeCode = options.typeCode;
    }
    return { nip, typeCode };
  }

  /**
   * A file read, converted and its bytes stored, waiting to be committed in its turn. The
   * bytes themselves are not kept: they are in the blob store, and holding a group's worth
   * of whole files until the commit only fed the garbage collector.
   */
  interface Staged {
    kind: 'staged';
    name: string;
    baseName: string;
    sourceSha256: string;
    sha256: string;
    sourceSize: number;
    sourceKind: SourceKind;
    size: number;
    pageCount: number;
    /** Separator sheets (main/core/separators): the documents the stack was split into, bytes stored. */
    parts: StagedPart[] | null;
  }

  interface StagedPart {
    sha256: string;
    size: number;
    pageCount: number;
    sheet: Parameters<typeof labelFromSheet>[0] | null;
  }

  /**
   * The slow half of a file, safe to run for several files at once: read, sniff, hash,
   * convert, and store the bytes durably. Nothing is committed here; a file that cannot be
   * imported becomes its outcome. Each distinct byte string is hashed once: the source
   * here, a converted PDF here too, and the blob store is handed that hash.
   */
  async function stage(file: PendingFile, maxBytes: number, separatorSheets: boolean | undefined): Promise<Staged | Outcome> {
    const { name } = file;
    if (file.failure) return { kind: 'failed', entry: fileFailure(name, file.failure, maxBytes) };
    const read = await readRegularFile(file.path, maxBytes);
    if ('failure' in read) return { kind: 'failed', entry: fileFailure(name, read.failure, maxBytes) };
    const { bytes } = read;

    const kind = sniffKind(bytes);
    if (kind !== 'pdf' && hasPdfExtension(file.baseName)) return { kind: 'failed', entry: { name, code: 'not_pdf', message: translate('import.not_pdf') } };
    if (!kind) return { kind: 'failed', entry: { name, code: 'unsupported', message: translate('import.unsupported') } };

    const sourceSha256 = await sha256HexAsync(bytes);
    // Early, to skip converting a file already held; the commit checks again in order.
    const known = findExisting.get(sourceSha256, sourceSha256);
    if (known) return duplicateOf(name, known);

    let prepared: Prepared;
    let split;
    try {
      prepared = await prepare(kind, bytes);
      // Separator sheets (issue 6): searched on a worker thread unless the office turned them off.
      split = await splitStack(prepared.pdf, prepared.pageCount, { enabled: separatorSheets ?? deps.separatorSheets?.() ?? true, onProblem: (message, error) => logger.error(`${message}: ${name}`, error) });
    } catch (error) {
      return { kind: 'failed', entry: problemFailure(name, error, kind) };
    }
    // A PDF is stored as it came (prepare returns the same bytes), so its hash is the source's.
    const sha256 = prepared.pdf === bytes ? sourceSha256 : await sha256HexAsync(prepared.pdf);
    const staged = {
      kind: 'staged',
      name,
      baseName: file.baseName,
      sourceSha256,
      sha256,
      sourceSize: bytes.byteLength,
      sourceKind: kind,
      size: prepared.pdf.byteLength,
      pageCount: prepared.pageCount,
    } as const;
    if (split) {
      const parts: StagedPart[] = [];
      for (const part of split) {
        const partSha = await sha256HexAsync(part.pdf);
        await blobs.put(part.pdf, partSha);
        parts.push({ sha256: partSha, size: part.pdf.byteLength, pageCount: part.pages.length, sheet: part.label });
      }
      return { ...staged, parts };
    }
    // Bytes first, durable on disk; the row that points at them is committed later, in order.
    await blobs.put(prepared.pdf, sha256);
    return { ...staged, parts: null };
  }

  /** One file's row and audit entry; a duplicate of a file committed before it is reported instead. */
  function commitStaged(staged: Staged, label: { nip: string | null; typeCode: string | null }, actor: string): Outcome {
    const { name, sourceSha256, sha256 } = staged;
    // An earlier file of this batch (or another window) may hold the same bytes by now.
    const same = findExisting.get(sourceSha256, sha256);
    if (same) return duplicateOf(name, same);
    const guess = guessFromFileName(staged.baseName, deps.reference().documentTypes, todayOf(clock.now()));
    const documentId = commit({
      sha256,
      sourceSha256,
      originalName: staged.baseName,
      size: staged.size,
      sourceSize: staged.sourceSize,
      pageCount: staged.pageCount,
      sourceKind: staged.sourceKind,
      nip: label.nip,
      typeCode: label.typeCode,
      fields: {},
      guessNip: guess.nip,
      guessType: guess.typeCode,
      state: 'draft',
      at: clock.now().toISOString(),
      actor,
    });
    return { kind: 'imported', entry: { name, documentId, pageCount: staged.pageCount, guess } };
  }

  /**
   * A split stack: one document per part, each labelled by its sheet, committed together
   * (the file's savepoint) so a stack is never half imported. Parts already held are
   * reported as duplicates (a stack scanned twice splits into the same bytes).
   */
  function commitParts(staged: Staged, parts: StagedPart[], label: { nip: string | null; typeCode: string | null }, actor: string): Outcome[] {
    const at = clock.now().toISOString();
    return parts.map((part, index): Outcome => {
      const name = `${staged.name} [${index + 1}/${parts.length}]`;
      const same = findExisting.get(part.sha256, part.sha256);
      if (same) return duplicateOf(name, same);
      // Pages in front of the first sheet keep the batch's label, as an unsplit file would.
      const own = part.sheet ? labelFromSheet(part.sheet, deps.reference(), todayOf(clock.now()), (nip) => historyOf(db, nip)) : { ...label, state: 'draft' as const, fields: {} };
      const base = `${staged.baseName} [${index + 1}/${parts.length}]`;
      const documentId = commit({
        sha256: part.sha256,
        sourceSha256: part.sha256,
        originalName: base,
        size: part.size,
        sourceSize: part.size,
        pageCount: part.pageCount,
        sourceKind: staged.sourceKind,
        ...own,
        guessNip: part.sheet?.nip ?? null,
        guessType: part.sheet?.typeCode ?? null,
        at,
        actor,
      });
      return { kind: 'imported', entry: { name, documentId, pageCount: part.pageCount, guess: { nip: part.sheet?.nip ?? null, typeCode: part.sheet?.typeCode ?? null } } };
    });
  }

  // Nested in the group's transaction this is a savepoint: a file that throws rolls back
  // alone, and the files before it in the group still commit.
  const inSavepoint = db.transaction((run: () => Outcome[]) => run());

  /**
   * One group of files in one transaction, in order. Returns each file's outcomes and, if
   * a file failed in a way that is not its own (a database error), that error: the files
   * before it are committed, the ones after it are not tried, as when each file had its
   * own transaction.
   */
  function commitGroup(group: (Staged | Outcome)[], label: { nip: string | null; typeCode: string | null }, actor: string): { outcomes: Outcome[][]; error?: unknown } {
    return writeTransaction(db, () => {
      const outcomes: Outcome[][] = [];
      for (const staged of group) {
        if (staged.kind !== 'staged') {
          outcomes.push([staged]);
          continue;
        }
        try {
          outcomes.push(inSavepoint(() => (staged.parts ? commitParts(staged, staged.parts, label, actor) : [commitStaged(staged, label, actor)])));
        } catch (error) {
          // Another import (a second window) committed the same file between our check and now.
          const raced = !staged.parts && (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' ? findExisting.get(staged.sourceSha256, staged.sha256) : undefined;
          if (!raced) return { outcomes, error };
          outcomes.push([duplicateOf(staged.name, raced)]);
        }
      }
      return { outcomes };
    });
  }

  return async function importFiles(files: readonly ImportFile[], options: ImportOptions): Promise<ImportReport> {
    const label = checkOptions(options);
    const batchId = options.batchId ?? randomUUID();
    const maxBytes = deps.maxFileBytes();
    const report: ImportReport = { imported: [], duplicates: [], failed: [] };
    const pending = await expandInputs(files);
    const total = pending.length;
    const bytesTotal = pending.reduce((sum, file) => sum + file.size, 0);
    let bytesDone = 0;
    let done = 0;
    let current: string | null = null;
    const progress = (next: string | null) => {
      current = next;
      events.emit('capture.onDidProgress', { batchId, done, total, bytesDone, bytesTotal, current });
    };

    // Staged ahead, committed in groups in the order given (groups.ts), so ids, duplicates
    // and progress read as the clerk listed the files. Progress names a file only once its
    // group is committed: what the clerk saw imported survives a power cut, and a kill
    // loses at most the uncommitted group (orphan bytes, no rows).
    try {
      progress(pending[0]?.name ?? null);
      await runInGroups({
        total,
        inFlight: FILES_IN_FLIGHT,
        groupFiles: GROUP_FILES,
        groupMs: GROUP_MS,
        stage: (index) => stage(pending[index], maxBytes, options.separatorSheets),
        // Checked between groups only: a file half-way through finishes (or fails) whole.
        stopped: () => options.signal?.aborted ?? false,
        commit: (group, first) => {
          const { outcomes, error } = commitGroup(group, label, options.actor.id);
          for (const [offset, fileOutcomes] of outcomes.entries()) {
            for (const outcome of fileOutcomes) {
              if (outcome.kind === 'imported') report.imported.push(outcome.entry);
              else if (outcome.kind === 'duplicate') report.duplicates.push(outcome.entry);
              else report.failed.push(outcome.entry);
            }
            done++;
            bytesDone += pending[first + offset].size;
            progress(pending[first + offset + 1]?.name ?? null);
          }
          if (error) throw error;
        },
      });
    } finally {
      // Thumbnails after the batch, not between its files: a render decodes a whole page
      // image on this thread (about 0.25 s for a 300-dpi scan), which made an import of
      // 1,000 scans 17 times slower (bench/import.ts, docs/PERFORMANCE.md).
      for (const entry of report.imported) thumbnails.enqueue(entry.documentId);
      if (current !== null) progress(null);
      if (report.imported.length > 0) events.emit('documents.onDidChange', { ids: report.imported.map((entry) => entry.documentId) });
    }
    logger.info('import finished', { batchId, total, imported: report.imported.length, duplicates: report.duplicates.length, failed: report.failed.length });
    return report;
  };
}
