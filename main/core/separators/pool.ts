// Runs separator detection off the main thread: one worker thread, started on first use and
// reused, taking one stack at a time (the pipeline stages three files at once; they queue
// here). A stack that takes too long ends the worker, and the next stack gets a new one.
// Where no worker can be started (the worker file is missing from a build), detection runs
// in-process as it did before: slower for the app's event loop, never a lost import.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DETECT_DPI, detectSeparators } from './detect';
import type { SeparatorLabel } from './format';
import type { DetectJob, DetectReply } from './worker';

type Marks = (SeparatorLabel | null)[];

export class DetectTimeout extends Error {
  constructor(readonly ms: number) {
    super(`separator detection took longer than ${ms} ms`);
    this.name = 'DetectTimeout';
  }
}

/** Generous: about ten times a loaded machine's pdf.js render per page, plus start-up. */
export function defaultTimeoutMs(pageCount: number): number {
  return 30_000 + 5_000 * pageCount;
}

/**
 * How to start the worker. From the sources (tests, bench, `tsx`), worker.ts next to this
 * file, loaded through tsx (the sources use extensionless imports plain Node cannot
 * resolve). From the electron-vite build, the `separators-worker` entry beside the bundle.
 */
function workerSource(): { code: string; eval: true } | { file: string } | null {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const entry = pathToFileURL(join(dirname(here), 'worker.ts')).href;
    let tsx: string;
    try {
      tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
    } catch {
      return null;
    }
    return { code: `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`, eval: true };
  }
  const file = [join(dirname(here), 'separators-worker.js'), join(dirname(here), '..', 'separators-worker.js')].find((path) => existsSync(path));
  return file ? { file } : null;
}

export interface DetectPool {
  /** Per page of the PDF: its separator label, or null. Rejects on a timeout or a crashed worker. */
  detect(pdf: Uint8Array, pageCount: number): Promise<Marks>;
  /** Whether jobs run on a worker thread (false: in-process fallback). */
  readonly threaded: boolean;
  close(): Promise<void>;
}

export function createDetectPool(options: { timeoutMs?: (pageCount: number) => number; dpi?: number } = {}): DetectPool {
  const timeoutOf = options.timeoutMs ?? defaultTimeoutMs;
  const dpi = options.dpi ?? DETECT_DPI;
  const source = workerSource();
  let worker: Worker | null = null;
  let nextId = 1;
  let queue: Promise<unknown> = Promise.resolve();
  let current: { id: number; resolve: (marks: Marks) => void; reject: (error: Error) => void } | null = null;

  function drop(error: Error) {
    const dead = worker;
    worker = null;
    void dead?.terminate();
    current?.reject(error);
    current = null;
  }

  function start(): Worker {
    if (worker) return worker;
    const started = source && 'code' in source ? new Worker(source.code, { eval: true }) : new Worker(source!.file);
    started.on('message', (reply: DetectReply) => {
      if (!current || reply.id !== current.id) return;
      if ('error' in reply) current.reject(new Error(reply.error));
      else current.resolve(reply.marks);
      current = null;
    });
    started.on('error', (error) => {
      if (worker === started) drop(error);
    });
    started.on('exit', (code) => {
      if (worker === started) drop(new Error(`separator worker exited (${code})`));
    });
    worker = started;
    return started;
  }

  function run(pdf: Uint8Array, pageCount: number): Promise<Marks> {
    return new Promise<Marks>((resolve, reject) => {
      const id = nextId++;
      const ms = timeoutOf(pageCount);
      const timer = setTimeout(() => drop(new DetectTimeout(ms)), ms);
      const settle = () => {
        clearTimeout(timer);
        // An idle worker must not keep the CLI (or a test) alive.
        worker?.unref();
      };
      current = {
        id,
        resolve: (marks) => (settle(), resolve(marks)),
        reject: (error) => (settle(), reject(error)),
      };
      try {
        const thread = start();
        thread.ref();
        thread.postMessage({ id, pdf, dpi } satisfies DetectJob);
      } catch (error) {
        current.reject(error instanceof Error ? error : new Error(String(error)));
        current = null;
      }
    });
  }

  return {
    threaded: source !== null,
    detect(pdf, pageCount) {
      if (!source) return detectSeparators(pdf, dpi);
      const job = queue.then(() => run(pdf, pageCount));
      queue = job.catch(() => undefined);
      return job;
    },
    async close() {
      await queue;
      const dead = worker;
      worker = null;
      await dead?.terminate();
    },
  };
}
