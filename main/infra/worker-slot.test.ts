import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SerialLine, WorkerSlot, workerSource } from './worker-slot';

/** A worker that echoes, hangs or exits as each message asks. */
const WORKER = `
const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.kind === 'echo') setTimeout(() => parentPort.postMessage({ id: m.id, threadId, value: m.value }), m.ms ?? 0);
  if (m.kind === 'exit') process.exit(3);
  // 'hang': never answers
});
`;

type Reply = { id: number; threadId: number; value: string };

const slots: WorkerSlot<Reply>[] = [];
afterEach(async () => {
  for (const slot of slots.splice(0)) await slot.close();
});

function newSlot() {
  const slot = new WorkerSlot<Reply>({ code: WORKER }, (detail) => new Error(`died: ${detail}`));
  slots.push(slot);
  return slot;
}

/** One job through the slot: its first reply, or its failure. */
function ask(slot: WorkerSlot<Reply>, id: number, message: Record<string, unknown>): Promise<Reply> {
  return new Promise((resolve, reject) =>
    slot.post(id, { id, ...message }, {
      onReply(reply) {
        slot.done();
        resolve(reply);
      },
      fail: reject,
    }),
  );
}

describe('WorkerSlot', () => {
  it('reuses one thread for job after job', async () => {
    const slot = newSlot();
    const first = await ask(slot, 1, { kind: 'echo', value: 'a' });
    const second = await ask(slot, 2, { kind: 'echo', value: 'b' });
    expect([first.value, second.value]).toEqual(['a', 'b']);
    expect(second.threadId).toBe(first.threadId);
  });

  it('kills a stuck job with the error given, and the next job gets a new thread', async () => {
    const slot = newSlot();
    const before = await ask(slot, 1, { kind: 'echo', value: 'a' });
    const stuck = ask(slot, 2, { kind: 'hang' });
    slot.kill(new Error('too slow'));
    await expect(stuck).rejects.toThrow('too slow');
    const after = await ask(slot, 3, { kind: 'echo', value: 'c' });
    expect(after.value).toBe('c');
    expect(after.threadId).not.toBe(before.threadId);
  });

  it('fails the job under a thread that exits with the death error', async () => {
    const slot = newSlot();
    await expect(ask(slot, 1, { kind: 'exit' })).rejects.toThrow('died: worker exited (3)');
    expect((await ask(slot, 2, { kind: 'echo', value: 'again' })).value).toBe('again');
  });

  it('ignores a reply of a job that is no longer current', async () => {
    const slot = newSlot();
    const late = ask(slot, 1, { kind: 'echo', value: 'late', ms: 50 });
    // Job 1 given up without ending the thread (as a caller whose own timer fired would): job 2 must not get its reply.
    slot.done();
    const second = await ask(slot, 2, { kind: 'echo', value: 'own', ms: 100 });
    expect(second.value).toBe('own');
    void late;
  });
});

describe('SerialLine', () => {
  it('runs tasks one at a time in order, and a failure does not stop the line', async () => {
    const line = new SerialLine();
    const seen: string[] = [];
    const task = (name: string, ms: number, fail = false) => () =>
      new Promise<string>((resolve, reject) => setTimeout(() => (seen.push(name), fail ? reject(new Error(name)) : resolve(name)), ms));
    const results = Promise.allSettled([line.run(task('a', 30)), line.run(task('b', 1, true)), line.run(task('c', 1))]);
    await line.idle();
    expect(seen).toEqual(['a', 'b', 'c']);
    expect((await results).map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});

describe('workerSource', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('loads worker.ts through tsx from the sources, the named bundle from a build, and nothing where neither is', () => {
    const fromSources = workerSource(pathToFileURL(join(import.meta.dirname, 'pool.ts')).href, 'x-worker');
    expect(fromSources && 'code' in fromSources && fromSources.code).toContain(pathToFileURL(join(import.meta.dirname, 'worker.ts')).href);
    const build = mkdtempSync(join(tmpdir(), 'lemari-build-'));
    dirs.push(build);
    const chunk = pathToFileURL(join(build, 'chunks', 'profile.js')).href;
    expect(workerSource(chunk, 'x-worker')).toBeNull();
    writeFileSync(join(build, 'x-worker.js'), '');
    expect(workerSource(chunk, 'x-worker')).toEqual({ file: join(build, 'x-worker.js') });
  });
});
