// The same checks main makes (common/nip, common/doctypes), turned into the same catalog
// messages, so the clerk sees a problem as they type instead of after a round trip.
import { todayOf } from '../../../common/dates';
import { checkFields, type DocumentType, type ReferenceData } from '../../../common/doctypes';
import { pick, type Locale, type MessageKey } from '../../../common/i18n';
import { checkAnyNip, checkNip, normalizeNip, type EmployeeKind, type NipProblem } from '../../../common/nip';
import type { Translator } from './i18n';

export function nipProblemText(problem: NipProblem, tr: Translator): string {
  const { reason, ...params } = problem;
  return tr(`nip.${reason}` as MessageKey, params as Record<string, string | number>);
}

/** Null when the NIP is valid; otherwise what is wrong with it. */
export function nipError(input: string, tr: Translator, kind?: EmployeeKind): string | null {
  const today = todayOf(new Date());
  const check = kind ? checkNip(input, kind, today) : checkAnyNip(input, today);
  return check.ok ? null : nipProblemText(check.problem, tr);
}

export { normalizeNip };

/** Per-field messages for a label, keyed by field key. */
export function fieldErrors(
  type: DocumentType,
  values: Record<string, string>,
  reference: ReferenceData,
  locale: Locale,
  tr: Translator,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const problem of checkFields(type, values, reference, todayOf(new Date()))) {
    const def = reference.fields[problem.key];
    const field = def ? pick(def.label, locale) : problem.key;
    errors[problem.key] = tr(`field.${problem.reason}` as MessageKey, { field, ...('max' in problem ? { max: problem.max } : {}) });
  }
  return errors;
}
