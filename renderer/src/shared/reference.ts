// Names from the reference data (document types, fields) in the UI's language.
import { pick, type Locale } from '../../../common/i18n';
import type { DocumentType, ReferenceData } from '../../../common/doctypes';

export function findType(reference: ReferenceData, code: string | null | undefined): DocumentType | undefined {
  return code ? reference.documentTypes.find((type) => type.code === code) : undefined;
}

/** The type's name, or its code when the reference data no longer knows it. */
export function typeName(reference: ReferenceData, code: string | null | undefined, locale: Locale): string {
  if (!code) return '';
  const type = findType(reference, code);
  return type ? pick(type.name, locale) : code;
}

export function fieldLabel(reference: ReferenceData, key: string, locale: Locale): string {
  const def = reference.fields[key];
  return def ? pick(def.label, locale) : key;
}
