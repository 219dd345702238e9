// Text recognition with tesseract.js in its own worker thread, so a page being read never
// holds up the main thread. The Indonesian language data comes from the npm package
// @tesseract.js-data/ind and is read from disk: with langPath a local folder and no cache,
// tesseract.js has no reason to reach the network (its default is a CDN download).
// One worker, one page at a time: the machine has two cores and the clerk is using one.
// Raw page pixels are cleaned on that worker before tesseract sees them (despeckle.ts): the
// worker started is a small module that converts the page to grey, removes isolated specks
// and hands tesseract the grey page, then loads tesseract's own worker script.
// A page that takes longer than its timeout terminates the worker (the only way to stop
// tesseract mid-page); the next page starts a fresh one.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { despeckle, rgbaToGrey, type DespeckleOptions } from './despeckle';

export { despeckle, rgbaToGrey, type DespeckleOptions } from './despeckle';

export interface RecognizedWord {
  text: string;
  /** 0-100, tesseract's own estimate. */
  confidence: number;
}

export interface Recognized {
  text: string;
  words: RecognizedWord[];
  /** Mean confidence of the page, 0-100. */
  confidence: number;
}

export interface Recognizer {
  /**
   * PNG/JPEG bytes, or raw RGBA with its size. Raw pages are despeckled on the worker
   * (despeckle.ts); encoded images are read as they are. Rejects with OcrTimeout past timeoutMs.
   */
  recognize(image: OcrImage, options: { timeoutMs: number }): Promise<Recognized>;
  terminate(): Promise<void>;
}

export type OcrImage = Uint8Array | { rgba: Uint8Array; width: number; height: number };

export class OcrTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`OCR took longer than ${timeoutMs} ms`);
    this.name = 'OcrTimeout';
  }
}

type Tesseract = typeof import('tesseract.js');
type Worker = Awaited<ReturnType<Tesseract['createWorker']>>;

const require = createRequire(import.meta.url);

/**
 * In a packaged app the worker and its data are unpacked beside app.asar
 * (electron-builder.yml): a worker thread and its plain fs reads cannot rely on asar.
 */
function unpacked(path: string): string {
  return path.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
}

/** The folder holding ind.traineddata.gz (LSTM-only, integer "best" model, 1.2 MB). */
export function languageDir(): string {
  return unpacked(join(dirname(require.resolve('@tesseract.js-data/ind/package.json')), '4.0.0_best_int'));
}

/** Options that keep tesseract.js on local files: no CDN, no cache written next to the app. */
export function offlineWorkerOptions() {
  return { langPath: languageDir(), gzip: true, cacheMethod: 'none', legacyCore: false, legacyLang: false } as const;
}

/**
 * Raw pixels travel to the worker as a PAM (netpbm P7, RGB_ALPHA): a header before the
 * bytes, nothing to encode on the main thread. The worker's prelude turns it into a cleaned
 * grey PGM (P5); leptonica reads both.
 */
export function pamOf(image: { rgba: Uint8Array; width: number; height: number }): Buffer {
  const header = Buffer.from(`P7\nWIDTH ${image.width}\nHEIGHT ${image.height}\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n`, 'latin1');
  return Buffer.concat([header, image.rgba]);
}

function toBuffer(image: OcrImage): Buffer {
  if (image instanceof Uint8Array) return Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  return pamOf(image);
}

/**
 * The source of the worker module: it takes each recognize job's image first (listeners run
 * in the order added, on the same message object), replaces a PAM page by its cleaned grey
 * PGM, then loads `inner`, tesseract's worker script, which reads the job. Encoded images
 * (PNG, JPEG) pass untouched. The cleaning functions are embedded by their source: they are
 * self-contained (despeckle.ts). `__name` is there for a build that keeps function names.
 */
export function workerModule(inner: string, clean: DespeckleOptions | false): string {
  return `import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
const __name = (target) => target;
const rgbaToGrey = (${rgbaToGrey.toString()});
const despeckle = (${despeckle.toString()});
const clean = ${JSON.stringify(clean)};
parentPort.on('message', (packet) => {
  const image = packet && packet.action === 'recognize' && packet.payload ? packet.payload.image : null;
  if (!(image instanceof Uint8Array) || image[0] !== 0x50 || image[1] !== 0x37) return;
  const head = Buffer.from(image.buffer, image.byteOffset, Math.min(image.length, 128)).toString('latin1');
  const match = /^P7\\nWIDTH (\\d+)\\nHEIGHT (\\d+)\\nDEPTH 4\\nMAXVAL 255\\nTUPLTYPE RGB_ALPHA\\nENDHDR\\n/.exec(head);
  if (!match) return;
  const width = Number(match[1]);
  const height = Number(match[2]);
  const offset = match[0].length;
  if (image.length - offset !== width * height * 4) return;
  // A page that cannot be cleaned is read as sent (leptonica reads the PAM too).
  try {
    const grey = rgbaToGrey(image.subarray(offset), width, height);
    if (clean) despeckle(grey, width, height, clean);
    const header = Buffer.from('P5\\n' + width + ' ' + height + '\\n255\\n', 'latin1');
    packet.payload.image = new Uint8Array(Buffer.concat([header, grey]));
  } catch {
    // left as it was
  }
});
createRequire(${JSON.stringify(inner)})(${JSON.stringify(inner)});
`;
}

interface Block {
  paragraphs: { lines: { words: { text: string; confidence: number }[] }[] }[];
}

function wordsOf(blocks: Block[] | null): RecognizedWord[] {
  return (blocks ?? []).flatMap((block) =>
    block.paragraphs.flatMap((paragraph) => paragraph.lines.flatMap((line) => line.words.map((word) => ({ text: word.text, confidence: word.confidence })))),
  );
}

export interface RecognizerOptions {
  /** tesseract's worker script, run behind the cleaning module; tests wrap it to prove it never reaches the network. */
  workerPath?: string;
  /** How raw pages are despeckled on the worker (despeckle.ts defaults); false: converted to grey only. */
  clean?: DespeckleOptions | false;
}

export function createTesseractRecognizer(options: RecognizerOptions = {}): Recognizer {
  let worker: Promise<Worker> | null = null;

  async function start(): Promise<Worker> {
    const tesseract = (await import('tesseract.js')) as Tesseract & { default?: Tesseract };
    const createWorker = tesseract.createWorker ?? tesseract.default!.createWorker;
    const inner = options.workerPath ?? unpacked(require.resolve('tesseract.js/src/worker-script/node/index.js'));
    // A data: URL starts the cleaning module as it is, from any build (no file of its own to
    // ship or unpack); node's Worker takes the URL object that tesseract.js passes through.
    const workerPath = new URL(`data:text/javascript,${encodeURIComponent(workerModule(inner, options.clean ?? {}))}`) as unknown as string;
    // OEM 1: LSTM only, the engine the best_int model holds.
    return createWorker('ind', 1, { ...offlineWorkerOptions(), workerPath });
  }

  // Settles the page being read when the worker is stopped: a terminated tesseract worker
  // never answers its pending job.
  let abandon: ((error: Error) => void) | null = null;

  async function stop(): Promise<void> {
    const current = worker;
    worker = null;
    abandon?.(new Error('OCR worker stopped'));
    if (current) await (await current.catch(() => null))?.terminate().catch(() => undefined);
  }

  return {
    async recognize(image, { timeoutMs }) {
      worker ??= start();
      const pending = worker;
      pending.catch(() => {
        if (worker === pending) worker = null;
      });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new OcrTimeout(timeoutMs)), timeoutMs);
        abandon = reject;
      });
      try {
        const result = await Promise.race([pending.then((w) => w.recognize(toBuffer(image), {}, { text: true, blocks: true })), timeout]);
        const { text, confidence, blocks } = result.data;
        return { text, confidence, words: wordsOf(blocks as Block[] | null) };
      } catch (error) {
        // A stuck or failed worker is not reused: its state is unknown.
        await stop();
        throw error;
      } finally {
        clearTimeout(timer);
        abandon = null;
      }
    },
    terminate: stop,
  };
}
