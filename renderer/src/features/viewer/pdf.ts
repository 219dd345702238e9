// pdf.js for the viewer: one module worker for the app's life, and documents opened from
// bytes with every helper file (WebAssembly decoders, standard fonts, CMaps, ICC profiles)
// served by our own origin: the workstation is offline and the CSP allows nothing else.
import * as pdfjs from 'pdfjs-dist';
import type { PDFDocumentLoadingTask } from 'pdfjs-dist';
import type { DocumentInitParameters } from 'pdfjs-dist/types/src/display/api';

export type { PDFDocumentProxy, PDFPageProxy, RenderTask } from 'pdfjs-dist';

let workerReady = false;

function ensureWorker(): void {
  if (workerReady) return;
  pdfjs.GlobalWorkerOptions.workerPort = new Worker(new URL('pdfjs-dist/build/pdf.worker.min.mjs', import.meta.url), { type: 'module' });
  workerReady = true;
}

/** Where the build put pdf.js's helper files (see the renderer block of electron.vite.config.ts). */
function assetUrl(folder: string): string {
  return new URL(`pdfjs/${folder}/`, document.baseURI).href;
}

/**
 * Opens a PDF from its bytes (pdf.js takes ownership of the buffer). Files come from
 * scanners and strangers: no eval, no document scripts, whatever the build's defaults. pdf.js
 * 6 dropped both options from getDocument (no eval path is left, scripting is a viewer
 * component we do not load); they are set anyway so that stays true if the library changes.
 */
export function openPdf(data: Uint8Array): PDFDocumentLoadingTask {
  ensureWorker();
  const params: DocumentInitParameters & { isEvalSupported: false; enableScripting: false } = {
    data,
    isEvalSupported: false,
    enableScripting: false,
    enableXfa: false,
    wasmUrl: assetUrl('wasm'),
    standardFontDataUrl: assetUrl('standard_fonts'),
    cMapUrl: assetUrl('cmaps'),
    cMapPacked: true,
    iccUrl: assetUrl('iccs'),
    // Same glyphs on every office PC: the bundled standard fonts, not whatever is installed.
    useSystemFonts: false,
  };
  return pdfjs.getDocument(params);
}

export function isCancelled(error: unknown): boolean {
  return error instanceof Error && error.name === 'RenderingCancelledException';
}
