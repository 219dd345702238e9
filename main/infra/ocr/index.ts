// Text recognition with tesseract.js in its own worker thread, so a page being read never
// holds up the main thread. The Indonesian language data comes from the npm package
// @tesseract.js-data/ind and is read from disk: with langPath a local folder and no cache,
// tesseract.js has no reason to reach the network (its default is a CDN download).
// One worker, one page at a time: the machine has two cores and the clerk is using one.
// A page that takes longer than its timeout terminates the worker (the only way to stop
// tesseract mid-page); the next page starts a fresh one.

import { createCanvas } from '@napi-rs/canvas';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

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
  /** PNG/JPEG bytes, or raw RGBA with its size. Rejects with OcrTimeout past timeoutMs. */
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

function toBuffer(image: OcrImage): Buffer {
  if (image instanceof Uint8Array) return Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  // tesseract.js reads encoded images only; raw pixels are wrapped as a PNG first.
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  const data = context.createImageData(image.width, image.height);
  data.data.set(image.rgba);
  context.putImageData(data, 0, 0);
  return canvas.toBuffer('image/png');
}

interface Block {
  paragraphs: { lines: { words: { text: string; confidence: number }[] }[] }[];
}

function wordsOf(blocks: Block[] | null): RecognizedWord[] {
  return (blocks ?? []).flatMap((block) =>
    block.paragraphs.flatMap((paragraph) => paragraph.lines.flatMap((line) => line.words.map((word) => ({ text: word.text, confidence: word.confidence })))),
  );
}

/** `workerPath`: tests wrap tesseract's worker script to prove it never reaches the network. */
export function createTesseractRecognizer(options: { workerPath?: string } = {}): Recognizer {
  let worker: Promise<Worker> | null = null;

  async function start(): Promise<Worker> {
    const tesseract = (await import('tesseract.js')) as Tesseract & { default?: Tesseract };
    const createWorker = tesseract.createWorker ?? tesseract.default!.createWorker;
    // OEM 1: LSTM only, the engine the best_int model holds.
    const workerPath = options.workerPath ?? unpacked(require.resolve('tesseract.js/src/worker-script/node/index.js'));
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
