// A document's label checked as the workstation checks it before it may be synced (see
// main/core/documents `problems`): the NIP rules (of the employee's kind when the instansi
// has them on its list), a document type the instansi knows, only that type's fields and
// every one it requires, with today's date from the server's clock. One query fetches what
// the check needs, together with the upload a commit refers to, or (documents.send and
// documents.sendBatch) with the caller's authentication, for every document of a batch.
import { todayOf } from '../../common/dates';
import { checkFields, type DocumentType, type ReferenceData } from '../../common/doctypes';
import { checkAnyNip, checkNip, normalizeNip, type EmployeeKind } from '../../common/nip';
import { principalJoins, principalOf, PRINCIPAL_COLUMNS, type AccessClaims, type Principal, type PrincipalRow } from '../auth/tokens';
import type { Sql } from '../db';
import { DmsError } from '../http/errors';

export interface Label {
  nip: string;
  typeCode: string;
  fields: Record<string, string>;
}

export interface UploadRow {
  status: 'receiving' | 'complete' | 'rejected' | 'expired';
  declared_sha256: string;
  size: number;
  blob_key: string | null;
  file_name: string;
}

/** What checkLabel needs, and whether the idempotency key is taken. */
interface LabelFacts {
  type: DocumentType | null;
  employee_kind: EmployeeKind | null;
  has_employees: boolean;
  existing_id: string | null;
}

/** LabelFacts with the upload a commit or update refers to. */
interface Facts extends LabelFacts {
  upload_status: UploadRow['status'] | null;
  declared_sha256: string | null;
  size: number | null;
  blob_key: string | null;
  file_name: string | null;
}

/** What a commit or update needs from the database, in one round trip. */
export async function labelFacts(sql: Sql, p: { instansiId: string; label: Label; uploadId?: string; idempotencyKey?: string }): Promise<Facts> {
  const { rows } = await sql.query<Facts>(
    `select ${LABEL_COLUMNS}, u.status as upload_status, u.declared_sha256, u.size, u.blob_key, u.file_name
       from (values ($2::text, $3::text, $5::text)) as item(type_code, nip, key)
       ${LABEL_JOINS}
       left join uploads u on u.instansi_id = $1 and u.id = $4`,
    [p.instansiId, p.label.typeCode, normalizeNip(p.label.nip), p.uploadId ?? null, p.idempotencyKey ?? null],
  );
  return rows[0];
}

/**
 * The label facts of several documents (one row each, in order) and the caller's
 * authentication (tokens.ts `principalOf`) in one statement: documents.send (one document)
 * and documents.sendBatch, where a statement less per scan is what a sync of a thousand
 * scans waits on.
 */
export async function labelFactsAuthenticated(sql: Sql, claims: AccessClaims, items: { label: Label; idempotencyKey: string }[]): Promise<{ principal: Principal; facts: LabelFacts[] }> {
  const { rows } = await sql.query<LabelFacts & PrincipalRow>(
    `select ${LABEL_COLUMNS}, ${PRINCIPAL_COLUMNS}
       from unnest($2::text[], $3::text[], $4::text[]) with ordinality as item(type_code, nip, key, n)
       ${LABEL_JOINS} ${principalJoins(5, 6)}
      order by item.n`,
    [claims.ins, items.map((i) => i.label.typeCode), items.map((i) => normalizeNip(i.label.nip)), items.map((i) => i.idempotencyKey), claims.sub, claims.dev],
  );
  return { principal: principalOf(claims, rows[0]), facts: rows };
}

// Over `item` (type_code, nip, key): one row, or one per document of a batch; $1 is the instansi.
const LABEL_COLUMNS = `t.definition as type, e.kind as employee_kind,
            exists (select 1 from employees where instansi_id = $1) as has_employees,
            d.id as existing_id`;
const LABEL_JOINS = `left join document_types t on t.instansi_id = $1 and t.code = item.type_code
       left join employees e on e.instansi_id = $1 and e.nip = item.nip
       left join documents d on d.instansi_id = $1 and d.idempotency_key = item.key`;

/** The upload a commit refers to, if it may be committed: complete and of the caller's instansi. */
export function committableUpload(facts: Facts): UploadRow & { blob_key: string } {
  // Another instansi's upload is "not found" too, so upload ids cannot be probed.
  if (!facts.upload_status) throw new DmsError('not_found', 'No such upload.');
  if (facts.upload_status === 'receiving') throw new DmsError('upload_incomplete', 'The upload has not received all its bytes yet; resume it, then commit.', { status: 'receiving' });
  if (facts.upload_status !== 'complete' || !facts.blob_key) {
    throw new DmsError('upload_gone', 'The upload was rejected or has expired; upload the file again.', { status: facts.upload_status });
  }
  return { status: 'complete', declared_sha256: facts.declared_sha256!, size: facts.size!, blob_key: facts.blob_key, file_name: facts.file_name! };
}

export type LabelProblem = { field: string; reason: string; max?: number };

/**
 * Checks a label; returns it normalized as the workstation stores it (NIP without
 * separators, only the type's fields, trimmed, empty ones dropped) or throws
 * unknown_field / invalid_input naming every problem.
 */
export function checkLabel(label: Label, facts: LabelFacts, reference: ReferenceData, now: number): Label {
  const today = todayOf(new Date(now));
  const problems: LabelProblem[] = [];
  const nipCheck = facts.employee_kind ? checkNip(label.nip, facts.employee_kind, today) : checkAnyNip(label.nip, today);
  if (!nipCheck.ok) problems.push({ field: 'nip', reason: nipCheck.problem.reason });
  else if (facts.has_employees && !facts.employee_kind) problems.push({ field: 'nip', reason: 'not_an_employee' });
  const type = facts.type;
  if (!type) {
    problems.push({ field: 'typeCode', reason: 'unknown_type' });
    throw labelError(problems);
  }
  const known = new Set(type.fields.map((f) => f.key));
  const unknown = Object.keys(label.fields).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new DmsError('unknown_field', `Field(s) not defined for ${type.code}: ${unknown.join(', ')}.`, { keys: unknown, allowed: [...known] });
  }
  for (const { key, ...problem } of checkFields(type, label.fields, reference, today)) problems.push({ field: `fields.${key}`, ...problem });
  if (problems.length > 0) throw labelError(problems);
  const fields = Object.fromEntries(type.fields.map(({ key }) => [key, (label.fields[key] ?? '').trim()]).filter(([, value]) => value !== ''));
  return { nip: nipCheck.nip, typeCode: type.code, fields };
}

function labelError(problems: LabelProblem[]): DmsError {
  return new DmsError('invalid_input', `Invalid label: ${problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}.`, { problems });
}
