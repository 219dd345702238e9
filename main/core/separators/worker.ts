// The worker thread separator detection runs on (pool.ts starts it): decoding and searching
// every page of a stack takes tens of milliseconds a page, which on the main thread would
// stall the app's API for the whole stack. One job at a time: {id, pdf, dpi} in, marks out.

import { parentPort } from 'node:worker_threads';
import { detectSeparators } from './detect';
import type { SeparatorLabel } from './format';

export interface DetectJob {
  id: number;
  pdf: Uint8Array;
  dpi: number;
}

export type DetectReply = { id: number; marks: (SeparatorLabel | null)[] } | { id: number; error: string };

parentPort?.on('message', (job: DetectJob) => {
  detectSeparators(job.pdf, job.dpi).then(
    (marks) => parentPort?.postMessage({ id: job.id, marks } satisfies DetectReply),
    (error: unknown) => parentPort?.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) } satisfies DetectReply),
  );
});
