// The printed separator sheet: one A4 page per document to come, with a "LEMBAR PEMISAH"
// banner, the QR code (drawn as vector squares, so it prints sharp at any printer
// resolution) and the same label in large text for the clerk sorting the folder.

import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import { encodeSeparator, type SeparatorLabel } from './format';

export interface SheetText {
  banner: string;
  nip: string;
  nama: string;
  type: string;
  historyRef: string;
  instruction: string;
}

export interface SheetSpec extends SeparatorLabel {
  nama: string;
  typeName: string;
  /** The history record in words ("III/b TMT 01-04-2019"), printed in place of its reference. */
  historyLabel?: string;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 40;
/** 9 cm: about 9 px a module even when scanned at 75 dpi. */
const QR_SIZE = 255;

/** Standard PDF fonts speak WinAnsi only: accents are folded, anything else becomes '?'. */
function printable(text: string): string {
  return text
    .replace(/\u2192/g, '->')
    .replace(/[\u2013\u2014]/g, '-')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?');
}

/** Groups a NIP as it is printed on SKs: birth date, TMT CPNS, sex, serial. */
export function spacedNip(nip: string): string {
  return nip.length === 18 ? `${nip.slice(0, 8)} ${nip.slice(8, 14)} ${nip.slice(14, 15)} ${nip.slice(15)}` : nip;
}

function centred(page: PDFPage, text: string, y: number, font: PDFFont, maxSize: number, colour = rgb(0, 0, 0)): void {
  const line = printable(text);
  const width = page.getWidth() - 2 * MARGIN;
  // Long type names shrink to fit the line instead of running off the paper.
  const size = Math.max(8, Math.min(maxSize, (maxSize * width) / Math.max(1, font.widthOfTextAtSize(line, maxSize))));
  page.drawText(line, { x: (page.getWidth() - font.widthOfTextAtSize(line, size)) / 2, y, size, font, color: colour });
}

function drawQr(page: PDFPage, payload: string, top: number): void {
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const cell = QR_SIZE / n;
  const left = (page.getWidth() - QR_SIZE) / 2;
  for (let row = 0; row < n; row++) {
    // One rectangle per run of dark modules: fewer operators, no hairline gaps between them.
    for (let col = 0; col < n; ) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && modules.get(row, col)) col++;
      page.drawRectangle({ x: left + start * cell, y: top - (row + 1) * cell, width: (col - start) * cell, height: cell, color: rgb(0, 0, 0) });
    }
  }
}

/** A PDF with one separator sheet per spec, in the order given. */
export async function separatorSheetsPdf(specs: readonly SheetSpec[], text: SheetText): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  for (const spec of specs) {
    const payload = encodeSeparator(spec);
    const page = doc.addPage(A4);
    const [width, height] = A4;
    page.drawRectangle({ x: MARGIN, y: height - MARGIN - 70, width: width - 2 * MARGIN, height: 70, color: rgb(0, 0, 0) });
    centred(page, text.banner, height - MARGIN - 50, bold, 40, rgb(1, 1, 1));
    drawQr(page, payload, height - 150);
    centred(page, spec.typeName, 400, bold, 30);
    centred(page, `${text.type}: ${spec.typeCode}`, 372, regular, 16);
    centred(page, `${text.nip} ${spacedNip(spec.nip)}`, 320, bold, 28);
    centred(page, `${text.nama}: ${spec.nama}`, 286, regular, 20);
    if (spec.historyRef !== undefined) centred(page, `${text.historyRef}: ${spec.historyLabel ?? spec.historyRef}`, 258, bold, 18);
    centred(page, text.instruction, 110, regular, 11);
    centred(page, payload, 60, regular, 8, rgb(0.3, 0.3, 0.3));
  }
  return doc.save();
}
