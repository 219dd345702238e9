// What a file is, by its first bytes: scanners and clerks rename files, so the extension
// only decides which mismatch to report, never how the bytes are read.

export type SourceKind = 'pdf' | 'jpeg' | 'png' | 'tiff';

/** PDF readers accept junk before the header (mail gateways, some scanners add it). */
const PDF_HEADER_WINDOW = 1024;

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((value, index) => bytes[index] === value);
}

export function sniffKind(bytes: Uint8Array): SourceKind | null {
  // Image signatures sit at byte 0 and win: a JPEG's EXIF comment may well contain "%PDF-".
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, PDF_HEADER_WINDOW));
  return head.includes('%PDF-', 0, 'latin1') ? 'pdf' : null;
}

export function hasPdfExtension(name: string): boolean {
  return /\.pdf$/i.test(name.trim());
}
