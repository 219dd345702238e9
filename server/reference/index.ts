// server/reference: the handlers of the `reference.*` routes declared in
// common/dms/reference.ts (employees and document types of the caller's instansi, as change
// feeds; admin-only writes), and the door other server features use to reach reference
// data: the shipped list, an instansi's document types, and the change-feed stamps.
import { todayOf } from '../../common/dates';
import type { ServerDeps } from '../deps';
import type { Handlers } from '../http/routes';
import { documentTypeChanges, ensureShippedTypes, putDocumentType } from './doctypes';
import { employeeChanges, employeeRows, importEmployees, rejectedError } from './employees';
import { shippedReference } from './shipped';

export { ensureShippedTypes } from './doctypes';
export { feedPage, feedParams, feedSql, RESTAMP, STAMP } from './feed';
export { shippedReference } from './shipped';

type Own = { [K in keyof Handlers as K extends `reference.${string}` ? K : never]: Handlers[K] };

export function referenceHandlers(deps: ServerDeps): Own {
  const { db } = deps;
  const reference = shippedReference();
  const stamp = (p: { instansiId: string; userId: number }) => ({ ...p, at: new Date(deps.now()).toISOString() });
  return {
    'reference.listEmployees': async ({ principal, query }) => employeeChanges(db, principal.instansiId, query),

    'reference.importEmployees': async ({ principal, body }) => {
      const { rows, rejected } = employeeRows(body.employees, reference, todayOf(new Date(deps.now())));
      if (rejected.length > 0) throw rejectedError(rejected);
      return importEmployees(db, stamp(principal), rows);
    },

    'reference.listDocumentTypes': async ({ principal, query }) => {
      await ensureShippedTypes(db, principal.instansiId, reference, deps.now);
      return { ...(await documentTypeChanges(db, principal.instansiId, query)), fields: reference.fields };
    },

    'reference.putDocumentType': async ({ principal, params, body }) => ({
      documentType: await putDocumentType(db, stamp(principal), params.code, body, reference),
    }),
  };
}
