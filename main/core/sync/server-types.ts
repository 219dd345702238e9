// The reference data the profile serves, with the document types the central server defines
// and the workstation's file does not: down-sync keeps their full definitions in
// dms_document_types (migration 010), so a type the instansi added on the server can be used
// for labelling without a new release. A type the file knows keeps the file's definition
// (the shipped defaults, or the profile's override, stay in charge of what they define); a
// server type naming a field the file does not define is left out, since it could be
// neither shown nor checked.
import { DocumentType, type ReferenceData } from '../../../common/doctypes';
import type { Db } from '../../infra/db';

/** The file's reference data plus the server's types it does not know, in the server's code order. */
export function mergeServerTypes(file: ReferenceData, definitions: readonly string[]): ReferenceData {
  const known = new Set(file.documentTypes.map((type) => type.code));
  const added: DocumentType[] = [];
  for (const text of definitions) {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      continue;
    }
    // Parsing drops the server's own keys (custom, updatedAt) along with anything malformed.
    const parsed = DocumentType.safeParse(raw);
    if (!parsed.success || known.has(parsed.data.code)) continue;
    if (parsed.data.fields.some((field) => !(field.key in file.fields))) continue;
    known.add(parsed.data.code);
    added.push(parsed.data);
  }
  return added.length === 0 ? file : { ...file, documentTypes: [...file.documentTypes, ...added] };
}

/**
 * A getter of the merged reference data, merged again only when a pull changed the stored
 * definitions (each call costs one aggregate over a table of a few dozen rows), and the same
 * object between changes so that callers may cache by identity.
 */
export function referenceWithServerTypes(db: Db, file: ReferenceData): () => ReferenceData {
  const stamp = db.prepare('SELECT count(*) AS n, max(updated_at) AS at, sum(length(definition)) AS size FROM dms_document_types');
  const definitions = db.prepare('SELECT definition FROM dms_document_types ORDER BY code');
  let seen = '';
  let merged = file;
  return () => {
    const { n, at, size } = stamp.get() as { n: number; at: string | null; size: number | null };
    const current = `${n}|${at ?? ''}|${size ?? 0}`;
    if (current !== seen) {
      seen = current;
      merged = mergeServerTypes(file, (definitions.all() as { definition: string }[]).map((row) => row.definition));
    }
    return merged;
  };
}
