// A report as an official-looking A4 PDF, made in the app with pdf-lib and its standard
// fonts (nothing to bundle, nothing fetched): the agency's name on top of every page, the
// title, facts and paragraphs, tables that wrap their cells and carry on over pages with
// the header row repeated, the place/date and signature slots, and "Halaman x dari y" with
// the generated time at the foot. The standard fonts speak WinAnsi only, so other text is
// transliterated (é stays, ş becomes s) or replaced with "?" rather than throwing.
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import { localDateTime } from './dates';
import { CHECKBOX, type ReportDoc, type ReportTable, type SignatureSlot } from './types';

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = { left: 50, right: 50, top: 40, bottom: 50 };
const CONTENT_WIDTH = A4.width - MARGIN.left - MARGIN.right;
/** Where the body starts under the page header (agency name and its rule). */
const BODY_TOP = A4.height - MARGIN.top - 28;
const BODY_BOTTOM = MARGIN.bottom + 16;
const SIZE = { agency: 11, title: 14, subtitle: 10, body: 10, table: 9, footer: 8 };
const LEADING = 1.3;
const CELL_PAD = 3;
const SIGNATURE_SPACE = 56;
const SIGNATURES_PER_ROW = 3;
const GRAY = rgb(0.4, 0.4, 0.4);
const HEADER_FILL = rgb(0.9, 0.9, 0.9);
const LINE = rgb(0.55, 0.55, 0.55);

/** Letters the standard fonts lack, spelled the way an Indonesian clerk would type them. */
const SPELLED: Record<string, string> = { ß: 'ss', æ: 'ae', Æ: 'AE', ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ı: 'i', '\u2212': '-', '\u2010': '-', '\u2011': '-', '\u00a0': ' ' };

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

/** Text the font can draw: known letters kept, accents dropped where needed, the rest "?". */
export function winAnsiSafe(text: string, font: PDFFont): string {
  const supported = supportedOf(font);
  let out = '';
  for (const char of text.replace(/\r\n?|\n|\t/g, ' ')) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0)) continue;
    if (supported.has(code)) out += char;
    else if (SPELLED[char] !== undefined) out += SPELLED[char];
    else {
      const bare = char.normalize('NFKD').replace(/\p{M}/gu, '');
      out += bare !== '' && [...bare].every((c) => supported.has(c.codePointAt(0)!)) ? bare : '?';
    }
  }
  return out;
}

const supportedSets = new WeakMap<PDFFont, Set<number>>();
function supportedOf(font: PDFFont): Set<number> {
  let set = supportedSets.get(font);
  if (!set) {
    set = new Set(font.getCharacterSet());
    supportedSets.set(font, set);
  }
  return set;
}

/** Breaks safe text into lines no wider than `width`; a word longer than a line is cut. */
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ').filter((w) => w !== '')) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line !== '') lines.push(line);
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width) {
        let cut = rest.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

/** The drawing state: the page being filled and how far down it is. */
class Writer {
  page!: PDFPage;
  y = 0;

  constructor(
    readonly pdf: PDFDocument,
    readonly fonts: Fonts,
  ) {
    this.newPage();
  }

  newPage(): void {
    this.page = this.pdf.addPage([A4.width, A4.height]);
    this.y = BODY_TOP;
  }

  /** Starts a new page unless `height` still fits on this one. */
  ensure(height: number): void {
    if (this.y - height < BODY_BOTTOM) this.newPage();
  }

  text(line: string, x: number, size: number, bold = false, color = rgb(0, 0, 0)): void {
    this.page.drawText(line, { x, y: this.y - size, size, font: bold ? this.fonts.bold : this.fonts.regular, color });
  }

  /** Wrapped lines, left-aligned or centred, moving down; a paragraph may break over pages. */
  block(text: string, size: number, options: { bold?: boolean; center?: boolean; x?: number; width?: number } = {}): void {
    const font = options.bold ? this.fonts.bold : this.fonts.regular;
    const x = options.x ?? MARGIN.left;
    const width = options.width ?? CONTENT_WIDTH;
    for (const line of wrap(winAnsiSafe(text, font), font, size, width)) {
      this.ensure(size * LEADING);
      const left = options.center ? x + (width - font.widthOfTextAtSize(line, size)) / 2 : x;
      this.text(line, left, size, options.bold);
      this.y -= size * LEADING;
    }
  }
}

function drawFacts(w: Writer, facts: [string, string][]): void {
  const size = SIZE.body;
  const labels = facts.map(([label]) => winAnsiSafe(label, w.fonts.regular));
  const labelWidth = Math.min(CONTENT_WIDTH * 0.4, Math.max(...labels.map((l) => w.fonts.regular.widthOfTextAtSize(l, size)))) + 4;
  const colon = w.fonts.regular.widthOfTextAtSize(': ', size);
  facts.forEach(([, value], i) => {
    const labelLines = wrap(labels[i], w.fonts.regular, size, labelWidth - 4);
    const valueLines = wrap(winAnsiSafe(value, w.fonts.regular), w.fonts.regular, size, CONTENT_WIDTH - labelWidth - colon);
    const count = Math.max(labelLines.length, valueLines.length);
    for (let line = 0; line < count; line++) {
      w.ensure(size * LEADING);
      if (labelLines[line] !== undefined) w.text(labelLines[line], MARGIN.left, size);
      if (line === 0) w.text(':', MARGIN.left + labelWidth, size);
      if (valueLines[line] !== undefined) w.text(valueLines[line], MARGIN.left + labelWidth + colon, size);
      w.y -= size * LEADING;
    }
  });
}

function columnWidths(table: ReportTable): number[] {
  const relative = table.columns.map((_c, i) => Math.max(table.widths?.[i] ?? 1, 0.01));
  const total = relative.reduce((a, b) => a + b, 0);
  return relative.map((r) => (r / total) * CONTENT_WIDTH);
}

function drawTable(w: Writer, table: ReportTable): void {
  const size = SIZE.table;
  const lineHeight = size * LEADING;
  const widths = columnWidths(table);
  const lefts = widths.map((_w, i) => MARGIN.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
  const cellLines = (values: (string | number | null)[], font: PDFFont) =>
    widths.map((width, i) => {
      const value = values[i];
      return wrap(winAnsiSafe(value === null || value === undefined ? '' : String(value), font), font, size, width - 2 * CELL_PAD);
    });
  const header = cellLines(table.columns, w.fonts.bold);
  const headerHeight = Math.max(...header.map((l) => l.length)) * lineHeight + 2 * CELL_PAD;

  let boxes: boolean[] = [];
  /** Draws the lines [from, to) of a row's cells as one band with borders. */
  const band = (lines: string[][], from: number, to: number, bold: boolean) => {
    const height = (to - from) * lineHeight + 2 * CELL_PAD;
    const top = w.y;
    if (bold) w.page.drawRectangle({ x: MARGIN.left, y: top - height, width: CONTENT_WIDTH, height, color: HEADER_FILL });
    lines.forEach((cell, i) => {
      w.page.drawRectangle({ x: lefts[i], y: top - height, width: widths[i], height, borderColor: LINE, borderWidth: 0.5 });
      if (boxes[i] && !bold && from === 0) {
        const side = size;
        w.page.drawRectangle({ x: lefts[i] + (widths[i] - side) / 2, y: top - CELL_PAD - side, width: side, height: side, borderColor: rgb(0, 0, 0), borderWidth: 0.8 });
        return;
      }
      cell.slice(from, to).forEach((line, n) => {
        w.y = top - CELL_PAD - n * lineHeight;
        w.text(line, lefts[i] + CELL_PAD, size, bold);
      });
    });
    w.y = top - height;
  };
  const drawHeader = () => band(header, 0, Math.max(...header.map((l) => l.length)), true);

  if (table.title) {
    w.ensure(SIZE.body * LEADING + headerHeight + lineHeight + 2 * CELL_PAD);
    w.block(table.title, SIZE.body, { bold: true });
    w.y -= 2;
  }
  // Never a header row alone at the foot of a page.
  w.ensure(headerHeight + lineHeight + 2 * CELL_PAD);
  drawHeader();
  for (const row of table.rows) {
    boxes = row.map((value) => value === CHECKBOX);
    const lines = cellLines(row, w.fonts.regular);
    const count = Math.max(1, ...lines.map((l) => l.length));
    let from = 0;
    while (from < count) {
      const fits = Math.floor((w.y - BODY_BOTTOM - 2 * CELL_PAD) / lineHeight);
      // A row goes whole onto the next page; only a row taller than a page is split.
      const rowFitsOnFreshPage = (count - from) * lineHeight + 2 * CELL_PAD <= BODY_TOP - BODY_BOTTOM - headerHeight;
      if (fits < count - from && (rowFitsOnFreshPage || fits < 1)) {
        w.newPage();
        drawHeader();
        if (rowFitsOnFreshPage) continue;
      }
      const to = Math.min(count, from + Math.max(1, Math.floor((w.y - BODY_BOTTOM - 2 * CELL_PAD) / lineHeight)));
      band(lines, from, to, false);
      from = to;
    }
  }
  w.y -= SIZE.body;
}

function drawSignatures(w: Writer, placeDate: string | undefined, signatures: SignatureSlot[]): void {
  const size = SIZE.body;
  const lineHeight = size * LEADING;
  const perRow = Math.min(SIGNATURES_PER_ROW, Math.max(1, signatures.length));
  const slotWidth = CONTENT_WIDTH / perRow;
  const blockHeight = lineHeight * 4 + SIGNATURE_SPACE;
  const rows: SignatureSlot[][] = [];
  for (let i = 0; i < signatures.length; i += perRow) rows.push(signatures.slice(i, i + perRow));
  // The place and date sit over the last slot, as on a letter signed at the bottom right.
  w.ensure(lineHeight * 2 + (rows.length > 0 ? blockHeight : 0));
  w.y -= lineHeight;
  if (placeDate) {
    const lastColumn = rows.length > 0 ? rows[0].length - 1 : perRow - 1;
    w.block(placeDate, size, { x: MARGIN.left + lastColumn * slotWidth, width: slotWidth, center: rows.length > 0 });
  }
  for (const row of rows) {
    w.ensure(blockHeight);
    const top = w.y;
    row.forEach((slot, i) => {
      const x = MARGIN.left + i * slotWidth;
      w.y = top;
      w.block(slot.role, size, { x, width: slotWidth, center: true });
      w.y -= SIGNATURE_SPACE;
      const name = slot.name ? slot.name : '(.................................)';
      w.block(name, size, { x, width: slotWidth, center: true, bold: Boolean(slot.name) });
      w.block(`NIP. ${slot.nip ?? '..............................'}`, size, { x, width: slotWidth, center: true });
    });
    w.y = top - blockHeight;
  }
}

/** The agency header and the page footer, drawn once the page count is known. */
function decorate(pdf: PDFDocument, fonts: Fonts, doc: ReportDoc): void {
  const pages = pdf.getPages();
  const agency = wrap(winAnsiSafe(doc.agency, fonts.bold), fonts.bold, SIZE.agency, CONTENT_WIDTH)[0] ?? '';
  const generated = winAnsiSafe(doc.generatedLabel ?? localDateTime(doc.generatedAt), fonts.regular);
  pages.forEach((page, index) => {
    const agencyWidth = fonts.bold.widthOfTextAtSize(agency, SIZE.agency);
    page.drawText(agency, { x: (A4.width - agencyWidth) / 2, y: A4.height - MARGIN.top - SIZE.agency, size: SIZE.agency, font: fonts.bold });
    const ruleY = A4.height - MARGIN.top - SIZE.agency - 8;
    page.drawLine({ start: { x: MARGIN.left, y: ruleY }, end: { x: A4.width - MARGIN.right, y: ruleY }, thickness: 1 });
    const label = winAnsiSafe(doc.pageLabel(index + 1, pages.length), fonts.regular);
    const footY = MARGIN.bottom - SIZE.footer;
    page.drawLine({ start: { x: MARGIN.left, y: MARGIN.bottom + 4 }, end: { x: A4.width - MARGIN.right, y: MARGIN.bottom + 4 }, thickness: 0.5, color: LINE });
    page.drawText(generated, { x: MARGIN.left, y: footY, size: SIZE.footer, font: fonts.regular, color: GRAY });
    const labelWidth = fonts.regular.widthOfTextAtSize(label, SIZE.footer);
    page.drawText(label, { x: A4.width - MARGIN.right - labelWidth, y: footY, size: SIZE.footer, font: fonts.regular, color: GRAY });
  });
}

export async function renderPdf(doc: ReportDoc): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  // Fixed dates and producer: the same report renders to the same bytes.
  pdf.setTitle(doc.title.replace(/\s+/g, ' '));
  pdf.setAuthor(doc.agency);
  pdf.setProducer('Lemari');
  pdf.setCreator('Lemari');
  pdf.setCreationDate(doc.generatedAt);
  pdf.setModificationDate(doc.generatedAt);
  const fonts = { regular: await pdf.embedFont(StandardFonts.Helvetica), bold: await pdf.embedFont(StandardFonts.HelveticaBold) };
  const w = new Writer(pdf, fonts);
  w.block(doc.title, SIZE.title, { bold: true, center: true });
  if (doc.subtitle) w.block(doc.subtitle, SIZE.subtitle, { center: true });
  w.y -= SIZE.body;
  if (doc.facts && doc.facts.length > 0) {
    drawFacts(w, doc.facts);
    w.y -= SIZE.body / 2;
  }
  for (const paragraph of doc.paragraphs ?? []) {
    w.block(paragraph, SIZE.body);
    w.y -= SIZE.body / 2;
  }
  for (const table of doc.tables) drawTable(w, table);
  if (doc.placeDate || (doc.signatures && doc.signatures.length > 0)) drawSignatures(w, doc.placeDate, doc.signatures ?? []);
  decorate(pdf, fonts, doc);
  return pdf.save();
}

