// Reads a generated PDF's text back, page by page (pdf.js in Node), so a test can check
// what a report says, not only that it parses.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

export async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')).replaceAll('\\', '/');
  const task = pdfjs.getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: `${root}/standard_fonts/` });
  const pdf = await task.promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await task.destroy();
  return pages;
}
