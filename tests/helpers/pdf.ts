// Generates small real PDFs for tests (pdf-lib), with visible text so pages are not blank.
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';

export async function makePdf(lines: string[] = ['SURAT KEPUTUSAN'], pages = 1): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < pages; p++) {
    const page = pdf.addPage([595, 842]);
    lines.forEach((line, i) => page.drawText(`${line}${pages > 1 ? ` (${p + 1})` : ''}`, { x: 60, y: 760 - i * 24, size: 18, font, color: rgb(0, 0, 0) }));
  }
  return pdf.save();
}
