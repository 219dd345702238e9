// Runs separator detection off the main thread: one worker thread, started on first use and
// reused, taking one stack at a time (the pipeline stages three files at once; they queue
// here). A stack that takes too long ends the worker, and the next stack gets a new one.
// Where no worker can be started (the worker file is missing from a build), detection runs
// in-process as it did before: slower for the app's event loop, never a lost import.

import { SerialLine, WorkerSlot, workerSource } from '../../infra/worker-slot';
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
  // From the sources worker.ts beside this file; from the build the `separators-worker` entry.
  const source = workerSource(import.meta.url, 'separators-worker');
  const slot = source ? new WorkerSlot<DetectReply>(source, (detail) => new Error(`separator worker: ${detail}`)) : null;
  const line = new SerialLine();
  let nextId = 1;

  function run(thread: WorkerSlot<DetectReply>, pdf: Uint8Array, pageCount: number): Promise<Marks> {
    return new Promise<Marks>((resolve, reject) => {
      const id = nextId++;
      const ms = timeoutOf(pageCount);
      const timer = setTimeout(() => thread.kill(new DetectTimeout(ms)), ms);
      const settle = () => {
        clearTimeout(timer);
        thread.done();
      };
      thread.post(id, { id, pdf, dpi } satisfies DetectJob, {
        onReply(reply) {
          settle();
          if ('error' in reply) reject(new Error(reply.error));
          else resolve(reply.marks);
        },
        fail(error) {
          settle();
          reject(error);
        },
      });
    });
  }

  return {
    threaded: slot !== null,
    detect(pdf, pageCount) {
      if (!slot) return detectSeparators(pdf, dpi);
      return line.run(() => run(slot, pdf, pageCount));
    },
    async close() {
      await line.idle();
      await slot?.close();
    },
  };
}
