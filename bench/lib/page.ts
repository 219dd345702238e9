// Draws one scanned page (see scans.ts) and wraps JPEG pages into a PDF the way scanner
// software does: one full-page JPEG image per A4 page.

import { createCanvas } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';
import { Random } from './random';
import type { PageSpec } from './scans';

const A4_INCHES = { w: 8.27, h: 11.69 };
const A4_POINTS = { w: 595.28, h: 841.89 };
const FIXED_DATE = new Date('2025-03-12T02:30:00Z');

export function pageSize(dpi: number): { width: number; height: number } {
  return { width: Math.round(A4_INCHES.w * dpi), height: Math.round(A4_INCHES.h * dpi) };
}

/** One page as JPEG bytes, quality 75. */
export async function renderPageJpeg(page: PageSpec): Promise<Buffer> {
  const random = new Random(page.seed);
  const { width, height } = pageSize(page.dpi);
  const canvas = createCanvas(width, height);
  const g = canvas.getContext('2d');
  // Paper: slightly yellowed, darker toward the scanner lid's edge.
  g.fillStyle = `rgb(${246 + random.int(0, 6)}, ${242 + random.int(0, 6)}, ${230 + random.int(0, 8)})`;
  g.fillRect(0, 0, width, height);
  const edge = g.createLinearGradient(0, 0, page.dpi * 0.35, 0);
  edge.addColorStop(0, 'rgba(60, 60, 60, 0.55)');
  edge.addColorStop(1, 'rgba(60, 60, 60, 0)');
  g.fillStyle = edge;
  g.fillRect(0, 0, page.dpi * 0.35, height);

  // Typed text, a little skewed as a hand-fed page is.
  g.save();
  g.translate(width / 2, height / 2);
  g.rotate(((random.next() - 0.5) * 1.2 * Math.PI) / 180);
  g.translate(-width / 2, -height / 2);
  const size = page.dpi / 6.2; // about 11.5 pt
  const left = page.dpi * 1.0;
  let y = page.dpi * 0.9;
  g.fillStyle = 'rgb(28, 28, 34)';
  page.lines.forEach((line, i) => {
    const heading = page.index === 0 && (i < 2 || (i >= 4 && i <= 7) || line === 'MEMUTUSKAN');
    g.font = `${heading ? 'bold ' : ''}${Math.round(heading ? size * 1.1 : size)}px "Liberation Serif", "DejaVu Serif", serif`;
    if (heading) {
      g.textAlign = 'center';
      g.fillText(line, width / 2, y);
      g.textAlign = 'left';
    } else {
      g.fillText(line, left, y);
    }
    if (page.index === 0 && i === 2) {
      g.fillRect(left, y + size * 0.5, width - 2 * left, Math.max(2, page.dpi / 60));
      y += size * 0.6;
    }
    y += size * 1.45;
  });
  g.restore();

  // Specks and toner dust; a few faint blotches.
  const specks = Math.round((width * height) / 3000);
  for (let i = 0; i < specks; i++) {
    g.fillStyle = `rgba(20, 20, 20, ${(random.next() * 0.45).toFixed(2)})`;
    const s = 1 + random.next() * (page.dpi / 100);
    g.fillRect(random.next() * width, random.next() * height, s, s);
  }
  for (let i = 0; i < 6; i++) {
    g.fillStyle = `rgba(120, 100, 60, ${(0.03 + random.next() * 0.05).toFixed(2)})`;
    g.beginPath();
    g.arc(random.next() * width, random.next() * height, page.dpi * (0.2 + random.next()), 0, Math.PI * 2);
    g.fill();
  }
  return canvas.encode('jpeg', 75);
}

/** A PDF of full-page JPEG images on A4 pages. */
export async function jpegsToPdf(jpegs: Uint8Array[], title: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  pdf.setProducer('Lemari bench scanner');
  pdf.setCreationDate(FIXED_DATE);
  pdf.setModificationDate(FIXED_DATE);
  for (const bytes of jpegs) {
    const image = await pdf.embedJpg(bytes);
    const page = pdf.addPage([A4_POINTS.w, A4_POINTS.h]);
    page.drawImage(image, { x: 0, y: 0, width: A4_POINTS.w, height: A4_POINTS.h });
  }
  return pdf.save();
}
