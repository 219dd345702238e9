// OCR text follows its pages (main/core/ocr keeps it per page in ocr_pages): after a move,
// delete, split or merge each page's text is written again under its new number (nothing is
// read twice), and the document's search entry is rebuilt so a removed page's words stop
// finding it. Does nothing on a database without OCR tables.
import type { Db } from '../../infra/db';

/** A page of the new file: the document and 1-based page it came from. */
export type PageSource = readonly [documentId: number, page: number];

export function createOcrText(db: Db) {
  const present = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ocr_pages'").get() !== undefined;

  return {
    /** Runs inside the edit's transaction, before any source document is deleted. */
    carry(target: number, sources: readonly PageSource[], options: { newDocument?: boolean } = {}): void {
      if (!present) return;
      const read = db.prepare<[number, number], { text: string; confidence: number }>('SELECT text, confidence FROM ocr_pages WHERE document_id = ? AND page = ?');
      const rows = sources.map(([documentId, page]) => read.get(documentId, page));
      db.prepare('DELETE FROM ocr_pages WHERE document_id = ?').run(target);
      const insert = db.prepare('INSERT INTO ocr_pages (document_id, page, text, confidence) VALUES (?, ?, ?, ?)');
      rows.forEach((row, index) => row && insert.run(target, index + 1, row.text, row.confidence));
      const count = sources.length;
      if (options.newDocument) {
        // Split off a document whose reading was finished: its pages are read already.
        const [from] = sources[0] ?? [];
        const done = from !== undefined && db.prepare("SELECT 1 FROM ocr_jobs WHERE document_id = ? AND status = 'done'").get(from);
        if (done) db.prepare("UPDATE ocr_jobs SET status = 'done', pages_done = ?, page_count = ? WHERE document_id = ?").run(count, count, target);
      } else {
        db.prepare("UPDATE ocr_jobs SET page_count = ?, pages_done = CASE WHEN status = 'done' THEN ? ELSE pages_done END WHERE document_id = ?").run(count, count, target);
      }
      // The search triggers rebuild a document's entry on an update of these columns, whatever their values.
      db.prepare('UPDATE documents SET notes = notes WHERE id = ?').run(target);
    },
  };
}
