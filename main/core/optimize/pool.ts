// Runs the optimizer off the main thread: one worker thread, started on first use and
// reused, taking one document at a time (a second "Optimalkan" waits its turn here). Each
// page must be done within a time limit; past it the worker is ended (the only way to stop
// pdf.js or the encoder mid-page) and the next document gets a new one. Where no worker can
// be started (the worker file is missing from a build), the optimizer runs in-process as it
// did before: slower for the app's event loop, never a refused document.

import { SerialLine, WorkerSlot, workerSource, type JobHandlers } from '../../infra/worker-slot';
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

export function createReencodePool(settings: { pageTimeoutMs?: () => number; options?: ReencodeOptions; threaded?: boolean } = {}): ReencodePool {
  const pageTimeoutMs = settings.pageTimeoutMs ?? (() => PAGE_TIMEOUT_MS);
  const options = settings.options ?? DEFAULT_REENCODE;
  // From the sources worker.ts beside this file; from the build the `optimize-worker` entry.
  const source = settings.threaded === false ? null : workerSource(import.meta.url, 'optimize-worker');
  const slot = source ? new WorkerSlot<ReencodeReply>(source, (detail) => new OptimizePageFailed(null, detail)) : null;
  const line = new SerialLine();
  let nextId = 1;

  /** One document, settled by its reply, a page's timeout or the worker's death. */
  function run(pdf: Uint8Array, onPage?: OnPage): Promise<ReencodeResult> {
    const job: ReencodeJob = { id: nextId++, pdf, options };
    return new Promise<ReencodeResult>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let page = 1;
      let settled = false;
      const finish = () => {
        settled = true;
        clearTimeout(timer);
        slot?.done();
      };
      const handlers: JobHandlers<ReencodeReply> = {
        onReply(reply) {
          if (settled) return;
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
          if (settled) return;
          finish();
          reject(error);
        },
      };
      // Past a page's limit the worker is ended; in-process a stuck page cannot be stopped, but the job still fails in time.
      const stop = (error: Error) => (slot ? slot.kill(error) : handlers.fail(error));
      function arm() {
        clearTimeout(timer);
        const ms = pageTimeoutMs();
        timer = setTimeout(() => stop(new OptimizeTimeout(ms, page)), ms);
      }
      arm();
      if (slot) slot.post(job.id, job, handlers);
      else void runJob(job, (reply) => handlers.onReply(reply));
    });
  }

  return {
    threaded: slot !== null,
    reencode(pdf, onPage) {
      return line.run(() => run(pdf, onPage));
    },
    async close() {
      await line.idle();
      await slot?.close();
    },
  };
}
