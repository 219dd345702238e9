// The worker thread the optimizer runs on (pool.ts starts it): rendering a 300-dpi page,
// judging it and encoding it again takes seconds a page, which on the main thread would
// stall the app's API for the whole document. One job at a time: {id, pdf} in, a progress
// message per page, then the optimized PDF or the page it failed on.

import { parentPort } from 'node:worker_threads';
import { reencodePdf, type ReencodeOptions, type ReencodeResult } from '../../infra/images/reencode';

export interface ReencodeJob {
  id: number;
  pdf: Uint8Array;
  options?: ReencodeOptions;
}

export type ReencodeReply =
  | { id: number; progress: { index: number; pageCount: number } }
  | { id: number; result: ReencodeResult }
  /** `page`: 1-based, the page being worked on when it failed (null: before any page). */
  | { id: number; error: string; page: number | null };

/** The page a failure belongs to: the one the renderer named, else the one after the last done. */
export function failedPage(error: unknown, lastDone: number): number | null {
  const named = /page (\d+)/.exec(error instanceof Error ? error.message : String(error));
  if (named) return Number(named[1]);
  return lastDone >= 0 ? lastDone + 2 : null;
}

export async function runJob(job: ReencodeJob, post: (reply: ReencodeReply) => void): Promise<void> {
  let lastDone = -1;
  try {
    const result = await reencodePdf(job.pdf, job.options, (index, pageCount) => {
      lastDone = index;
      post({ id: job.id, progress: { index, pageCount } });
    });
    post({ id: job.id, result });
  } catch (error) {
    post({ id: job.id, error: error instanceof Error ? error.message : String(error), page: failedPage(error, lastDone) });
  }
}

parentPort?.on('message', (job: ReencodeJob) => {
  void runJob(job, (reply) => parentPort?.postMessage(reply, 'result' in reply ? [reply.result.pdf.buffer as ArrayBuffer] : []));
});
