// What a separator sheet's QR code says: `LEMARI-SEP:1:<nip>:<typeCode>[:<history ref>]:<check>`.
// The check (FNV-1a of everything before it, base 36) makes a misread or someone else's QR
// code count as "not a sheet" rather than a split with a wrong label.

export const SEPARATOR_PREFIX = 'LEMARI-SEP';
export const SEPARATOR_VERSION = '1';

export interface SeparatorLabel {
  nip: string;
  typeCode: string;
  /** The history record (riwayat) the document belongs to, where known. */
  historyRef?: string;
}

const NIP = /^\d{18}$/;
const TYPE_CODE = /^[A-Z][A-Z0-9_]*$/;
const HISTORY_REF = /^[A-Za-z0-9_-]{1,40}$/;

function check(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36).toUpperCase().padStart(7, '0');
}

export function encodeSeparator(label: SeparatorLabel): string {
  if (!NIP.test(label.nip)) throw new Error(`separator: NIP must be 18 digits, got ${JSON.stringify(label.nip)}`);
  if (!TYPE_CODE.test(label.typeCode)) throw new Error(`separator: bad document type code ${JSON.stringify(label.typeCode)}`);
  if (label.historyRef !== undefined && !HISTORY_REF.test(label.historyRef)) throw new Error(`separator: bad history ref ${JSON.stringify(label.historyRef)}`);
  const body = [SEPARATOR_PREFIX, SEPARATOR_VERSION, label.nip, label.typeCode, ...(label.historyRef === undefined ? [] : [label.historyRef])].join(':');
  return `${body}:${check(body)}`;
}

/** The label a QR text carries, or null for anything that is not an intact separator payload. */
export function parseSeparator(text: string): SeparatorLabel | null {
  const parts = text.trim().split(':');
  if (parts.length < 5 || parts.length > 6 || parts[0] !== SEPARATOR_PREFIX || parts[1] !== SEPARATOR_VERSION) return null;
  const sum = parts.pop()!;
  if (check(parts.join(':')) !== sum) return null;
  const [, , nip, typeCode, historyRef] = parts;
  if (!NIP.test(nip) || !TYPE_CODE.test(typeCode)) return null;
  if (historyRef !== undefined && !HISTORY_REF.test(historyRef)) return null;
  return historyRef === undefined ? { nip, typeCode } : { nip, typeCode, historyRef };
}
