// One reusable worker thread for jobs that must not block the main thread (separator
// detection, the optimizer): started on first use, kept for the next job, one job at a time
// in the order asked, and ended when a job must be stopped (a stuck pdf.js page can only be
// stopped with its thread). An idle worker is unref'd so it never keeps the CLI or a test
// alive. What a job's replies mean, and its time limits, stay with the caller.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export type WorkerSource = { code: string } | { file: string };

/**
 * How to start the worker of the module at `callerUrl`. From the sources (tests, bench,
 * `tsx`): worker.ts beside it, loaded through tsx (the sources use extensionless imports
 * plain Node cannot resolve). From the electron-vite build: the `bundleName`.js entry beside
 * the bundle. Null where neither is there: the caller then runs its jobs in-process.
 */
export function workerSource(callerUrl: string, bundleName: string): WorkerSource | null {
  const here = fileURLToPath(callerUrl);
  if (here.endsWith('.ts')) {
    const entry = pathToFileURL(join(dirname(here), 'worker.ts')).href;
    try {
      const tsx = pathToFileURL(createRequire(callerUrl).resolve('tsx/esm/api')).href;
      return { code: `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });` };
    } catch {
      return null;
    }
  }
  const file = [join(dirname(here), `${bundleName}.js`), join(dirname(here), '..', `${bundleName}.js`)].find((path) => existsSync(path));
  return file ? { file } : null;
}

/** Runs tasks one after another, in the order given; a failed task does not stop the line. */
export class SerialLine {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const job = this.tail.then(task);
    this.tail = job.catch(() => undefined);
    return job;
  }

  /** Settles once every task given so far has. */
  async idle(): Promise<void> {
    await this.tail;
  }
}

export interface JobHandlers<Reply> {
  /** A message of the worker about this job (its replies carry the job's id). */
  onReply(reply: Reply): void;
  /** The worker died or was ended while this job ran. */
  fail(error: Error): void;
}

export class WorkerSlot<Reply extends { id: number }> {
  private worker: Worker | null = null;
  private current: ({ id: number } & JobHandlers<Reply>) | null = null;

  /** `deathError`: what a job is failed with when the thread errs or exits under it. */
  constructor(
    private readonly source: WorkerSource,
    private readonly deathError: (detail: string) => Error,
  ) {}

  /** Posts job `id`'s message; its replies go to `handlers` until `done()`, a death or `kill`. */
  post(id: number, message: unknown, handlers: JobHandlers<Reply>): void {
    this.current = { id, ...handlers };
    try {
      const thread = this.start();
      thread.ref();
      thread.postMessage(message);
    } catch (error) {
      this.current = null;
      handlers.fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** The current job is settled: the worker waits, idle, without keeping the process alive. */
  done(): void {
    this.current = null;
    this.worker?.unref();
  }

  /** Ends the worker (the only way to stop a stuck job) and fails the current job with `error`; the next job starts a new thread. */
  kill(error: Error): void {
    const dead = this.worker;
    this.worker = null;
    void dead?.terminate();
    const job = this.current;
    this.current = null;
    job?.fail(error);
  }

  async close(): Promise<void> {
    const dead = this.worker;
    this.worker = null;
    await dead?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const source = this.source;
    const started = 'code' in source ? new Worker(source.code, { eval: true }) : new Worker(source.file);
    started.on('message', (reply: Reply) => {
      if (this.current && reply.id === this.current.id) this.current.onReply(reply);
    });
    started.on('error', (error) => {
      if (this.worker === started) this.kill(this.deathError(error.message));
    });
    started.on('exit', (code) => {
      if (this.worker === started) this.kill(this.deathError(`worker exited (${code})`));
    });
    this.worker = started;
    return started;
  }
}
