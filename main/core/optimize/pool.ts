// Runs the optimizer off the main thread: one worker thread, started on first use and
// reused, taking one document at a time (a second "Optimalkan" waits its turn here). Each
// page must be done within a time limit; past it the worker is ended (the only way to stop
// pdf.js or the encoder mid-page) and the next document gets a new one. Where no worker can
// be started (the worker file is missing from a build), the optimizer runs in-process as it
// did before: slower for the app's event loop, never a refused document.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DEFAULT_REENCODE, type ReencodeOptions, type ReencodeResult } from '../../infra/images/reencode';
import { runJob, type ReencodeJob, type ReencodeReply } from './worker';

/** A page took longer than its limit; `page` is 1-based (null: the worker did not start in time). */
export class OptimizeTimeout extends Error {
  constructor(
    readonly ms: number,
    readonly page: number | null,
  ) {
    super(`optimizing took longer than ${ms} ms${page ? ` on page ${page}` : ''}`);
    this.name = 'OptimizeTimeout';
  }
}

/** A page could not be optimized (it does not render, the worker died on it); `page` is 1-based or null. */
export class OptimizePageFailed extends Error {
  constructor(
    readonly page: number | null,
    readonly detail: string,
  ) {
    super(page ? `page ${page}: ${detail}` : detail);
    this.name = 'OptimizePageFailed';
  }
}

/**
 * Per page, worker start-up included in the first: about twenty times a loaded machine's
 * 3 s a page (docs/PERFORMANCE.md, optimizer), so only a stuck page reaches it.
 */
export const PAGE_TIMEOUT_MS = 60_000;

/** Told after each page: `done` pages of `total` are optimized. */
export type OnPage = (done: number, total: number) => void;

export interface ReencodePool {
  /** Rejects with OptimizeTimeout or OptimizePageFailed; the input is never changed. */
  reencode(pdf: Uint8Array, onPage?: OnPage): Promise<ReencodeResult>;
  /** Whether jobs run on a worker thread (false: in-process fallback). */
  readonly threaded: boolean;
  close(): Promise<void>;
}

/**
 * How to start the worker. From the sources (tests, bench, `tsx`), worker.ts beside this
 * file loaded through tsx (the sources use extensionless imports plain Node cannot
 * resolve). From the electron-vite build, the `optimize-worker` entry beside the bundle.
 */
function workerSource(): { code: string } | { file: string } | null {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const entry = pathToFileURL(join(dirname(here), 'worker.ts')).href;
    try {
      const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
      return { code: `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });` };
    } catch {
      return null;
    }
  }
  const file = [join(dirname(here), 'optimize-worker.js'), join(dirname(here), '..', 'optimize-worker.js')].find((path) => existsSync(path));
  return file ? { file } : null;
}

interface Current {
  id: number;
  onReply(reply: ReencodeReply): void;
  fail(error: Error): void;
}

export function createReencodePool(settings: { pageTimeoutMs?: () => number; options?: ReencodeOptions; threaded?: boolean } = {}): ReencodePool {
  const pageTimeoutMs = settings.pageTimeoutMs ?? (() => PAGE_TIMEOUT_MS);
  const options = settings.options ?? DEFAULT_REENCODE;
  const source = settings.threaded === false ? null : workerSource();
  let worker: Worker | null = null;
  let nextId = 1;
  let queue: Promise<unknown> = Promise.resolve();
  let current: Current | null = null;

  function drop(error: Error) {
    const dead = worker;
    worker = null;
    void dead?.terminate();
    const job = current;
    current = null;
    job?.fail(error);
  }

  function deliver(reply: ReencodeReply) {
    if (current && reply.id === current.id) current.onReply(reply);
  }

  function start(): Worker {
    if (worker) return worker;
    const started = source && 'code' in source ? new Worker(source.code, { eval: true }) : new Worker(source!.file);
    started.on('message', deliver);
    started.on('error', (error) => {
      if (worker === started) drop(new OptimizePageFailed(null, error.message));
    });
    started.on('exit', (code) => {
      if (worker === started) drop(new OptimizePageFailed(null, `worker exited (${code})`));
    });
    worker = started;
    return started;
  }

  /** One document, settled by its reply, a page's timeout or the worker's death. */
  function run(pdf: Uint8Array, onPage?: OnPage): Promise<ReencodeResult> {
    const job: ReencodeJob = { id: nextId++, pdf, options };
    return new Promise<ReencodeResult>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let page = 1;
      const arm = () => {
        clearTimeout(timer);
        const ms = pageTimeoutMs();
        timer = setTimeout(() => drop(new OptimizeTimeout(ms, page)), ms);
      };
      const finish = () => {
        clearTimeout(timer);
        current = null;
        // An idle worker must not keep the CLI (or a test) alive.
        worker?.unref();
      };
      current = {
        id: job.id,
        onReply(reply) {
          if ('progress' in reply) {
            page = reply.progress.index + 2;
            onPage?.(reply.progress.index + 1, reply.progress.pageCount);
            arm();
          } else if ('result' in reply) {
            finish();
            resolve(reply.result);
          } else {
            finish();
            reject(new OptimizePageFailed(reply.page, reply.error));
          }
        },
        fail(error) {
          finish();
          reject(error);
        },
      };
      arm();
      if (!source) {
        // In-process: a stuck page cannot be stopped, but progress and failures read the same.
        void runJob(job, deliver);
        return;
      }
      try {
        const thread = start();
        thread.ref();
        thread.postMessage(job);
      } catch (error) {
        current.fail(new OptimizePageFailed(null, error instanceof Error ? error.message : String(error)));
      }
    });
  }

  return {
    threaded: source !== null,
    reencode(pdf, onPage) {
      const job = queue.then(() => run(pdf, onPage));
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
