// Small documents go to the central server in batches (documents.sendBatch): one request
// for several scans, each answered on its own. What a clerk would notice breaking: a
// refused scan among good ones must be rejected with its reason while the others arrive; a
// batch whose answer the link lost must not leave a document twice on the server; an
// older server without the route, or a proxy with a small body limit, must still get
// everything, one scan per request. Real
// server on PostgreSQL, real workstation profile; only the link is intercepted.
import { describe, expect, it } from 'vitest';
import type { SyncReport } from '../../common/contract';
import { DOCUMENT_SEND, DOCUMENT_SEND_BATCH } from '../../common/dms/documents';
import { KNOWN, UNKNOWN_NIP, worldsOn, type SyncWorld } from '../helpers/sync';

const { world } = worldsOn('postgres');

/** The paths of the workstation's POSTs, in order; `answer` may replace what the server's answer becomes. */
function posts(w: SyncWorld, answer?: (path: string, res: Response) => Promise<Response>) {
  const seen: string[] = [];
  w.hook.current = async (url, init, next) => {
    const path = new URL(url).pathname;
    if (init.method === 'POST') seen.push(path);
    const res = await next(url, init);
    return answer ? answer(path, res) : res;
  };
  return seen;
}

const count = (paths: string[], path: string) => paths.filter((p) => p === path).length;

async function expectOnServerOnce(w: SyncWorld, ids: number[]): Promise<void> {
  const local = await Promise.all(ids.map(async (id) => ((await w.call('documents.get', { id })) as { sha256: string }).sha256));
  const onServer = await w.serverDocuments();
  expect(onServer.map((d) => d.sha256).sort()).toEqual([...local].sort());
}

describe('sync in batches', () => {
  it('small documents go in one request; a refused one is rejected with its reason, the others verified', async () => {
    const w = await world();
    const ids = await w.labelled([
      { name: 'minimal-document.pdf', nip: KNOWN[0] },
      { name: 'crazyones-pdfa.pdf', nip: UNKNOWN_NIP },
      { name: 'pdflatex-4-pages.pdf', nip: KNOWN[1] },
    ]);
    const paths = posts(w);
    await w.call('sync.queue', {});
    const report = (await w.call('sync.run', {})) as SyncReport;
    expect(report).toMatchObject({ total: 3, verified: 2, remaining: 0 });
    expect(report.problems).toEqual([expect.objectContaining({ documentId: ids[1], state: 'rejected', code: 'invalid_input' })]);
    expect(report.problems[0].message).toMatch(/nip/);
    expect(count(paths, DOCUMENT_SEND_BATCH.path)).toBe(1);
    expect(count(paths, DOCUMENT_SEND.path)).toBe(0);
    await expectOnServerOnce(w, [ids[0], ids[2]]);
    expect(await w.call('sync.status', {})).toMatchObject({ counts: { verified: 2, rejected: 1 }, pending: 0 });
  });

  it('a batch whose answer the link lost: each document goes again alone under its key, and none is stored twice', async () => {
    const w = await world();
    const ids = await w.labelled([
      { name: 'minimal-document.pdf', nip: KNOWN[0] },
      { name: 'crazyones-pdfa.pdf', nip: KNOWN[1] },
    ]);
    let cut = 0;
    const paths = posts(w, async (path, res) => {
      // The server stored the batch; its answer never reaches the workstation.
      if (path === DOCUMENT_SEND_BATCH.path && cut++ === 0) {
        await res.body?.cancel();
        throw new TypeError('fetch failed');
      }
      return res;
    });
    await w.call('sync.queue', {});
    const report = (await w.call('sync.run', {})) as SyncReport;
    expect(report).toMatchObject({ total: 2, verified: 2, remaining: 0, problems: [] });
    expect(count(paths, DOCUMENT_SEND_BATCH.path)).toBe(1);
    // Sent again one by one; the server answered the documents the batch had made.
    expect(count(paths, DOCUMENT_SEND.path)).toBe(2);
    expect(w.waits).toHaveLength(1); // the first document's try counted and backed off, once
    await expectOnServerOnce(w, ids);
  });

  it('a cancel while a batch is in flight keeps its documents in the queue (they may be on the server); the next run finds each once', async () => {
    const w = await world();
    const ids = await w.labelled([
      { name: 'minimal-document.pdf', nip: KNOWN[0] },
      { name: 'crazyones-pdfa.pdf', nip: KNOWN[1] },
    ]);
    let cancelled: Promise<{ dequeued: number }> | null = null;
    posts(w, async (path, res) => {
      // The server stored the batch; the clerk cancels before the workstation reads its answer.
      if (path === DOCUMENT_SEND_BATCH.path) cancelled ??= w.call('sync.cancel', {});
      return res;
    });
    await w.call('sync.queue', {});
    expect(await w.call('sync.run', {})).toMatchObject({ phase: 'cancelled', verified: 0 });
    expect(await cancelled).toEqual({ dequeued: 0 });
    expect(await w.call('sync.status', {})).toMatchObject({ pending: 2, readyNotQueued: 0 });
    w.hook.current = null;
    expect(await w.call('sync.run', {})).toMatchObject({ total: 2, verified: 2, remaining: 0, problems: [] });
    await expectOnServerOnce(w, ids);
  });

  it.each([
    ['a server without the batch route', 404, JSON.stringify({ error: { code: 'not_found', message: 'Route POST:/v1/documents/send-batch not found' } }), 'application/json'],
    ['a proxy that refuses a body this large', 413, '<html><body><h1>413 Request Entity Too Large</h1></body></html>', 'text/html'],
  ])('%s: every document goes, one per request, and no further batch that run', async (_, status, body, type) => {
    // Chunks of 64 KiB: the 434 KiB scan in the middle goes by tus, so the small ones after it would make a second batch.
    const w = await world({ chunkBytes: 64 * 1024 });
    const ids = await w.labelled([
      { name: 'minimal-document.pdf', nip: KNOWN[0] },
      { name: 'crazyones-pdfa.pdf', nip: KNOWN[1] },
      { name: 'cmyk-image.pdf', nip: KNOWN[0] },
      { name: 'pdflatex-4-pages.pdf', nip: KNOWN[1] },
      { name: 'grayscale-image.pdf', nip: KNOWN[0] },
    ]);
    const paths = posts(w, async (path, res) => {
      if (path !== DOCUMENT_SEND_BATCH.path) return res;
      await res.body?.cancel();
      return new Response(body, { status, headers: { 'content-type': type } });
    });
    await w.call('settings.update', { syncConcurrency: 1 });
    await w.call('sync.queue', {});
    const report = (await w.call('sync.run', {})) as SyncReport;
    expect(report).toMatchObject({ total: 5, verified: 5, remaining: 0, problems: [] });
    expect(count(paths, DOCUMENT_SEND_BATCH.path)).toBe(1);
    expect(count(paths, DOCUMENT_SEND.path)).toBe(4);
    expect(w.waits).toEqual([]);
    await expectOnServerOnce(w, ids);
  });
});
