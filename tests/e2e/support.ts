// Test data for the UI tests: PDFs made on the spot with pdf-lib (text drawn, so a rendered
// page is visibly not blank), text files, the admin account and its authenticator codes.
import { createHmac } from 'node:crypto';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';

export interface UploadFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** A PDF of `pages` pages, each carrying the given lines and its page number. */
export async function makePdf(name: string, lines: string[], pages = 1): Promise<UploadFile> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) {
    const page = doc.addPage([595, 842]);
    let y = 780;
    for (const line of [...lines, `Halaman ${n}`]) {
      page.drawText(line, { x: 60, y, size: 22, font, color: rgb(0, 0, 0) });
      y -= 36;
    }
  }
  return { name, mimeType: 'application/pdf', buffer: Buffer.from(await doc.save()) };
}

export function textFile(name: string, text: string, mimeType = 'application/pdf'): UploadFile {
  return { name, mimeType, buffer: Buffer.from(text, 'utf8') };
}

export const NIP = '199001012015031001';

/** The first admin every test signs in as (the profile is bootstrapped by the fixture). */
export const ADMIN = { nip: '198001012005011001', nama: 'Admin Arsip', password: 'lemari kayu jati tua' };

function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(Number.parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/**
 * The code an authenticator app shows (RFC 6238: HMAC-SHA-1, 30 s, 6 digits), written out
 * here rather than taken from main so the tests check main's TOTP against the RFC.
 */
/**
 * The previous step's code, inside the verifier's one-step drift window, so the current
 * step's code stays unused for the sign-in that follows. It stays valid only until the
 * current step ends: in a step's last seconds this first waits for the next one, or a code
 * typed through the UI could reach the verifier two steps old.
 */
export async function previousStepCode(secret: string): Promise<string> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < 8_000) await new Promise((resolve) => setTimeout(resolve, left + 200));
  return totp(secret, Date.now() - 30_000);
}

export function totp(secret: string, at: number = Date.now()): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}
