// End-of-day sync against a real central server (PGlite and PostgreSQL): real PDFs of the
// corpus are imported and labelled on a workstation, queued and sent with tus, committed
// with their idempotency key and verified by hash. Then the ways a day goes wrong: a link
// that drops mid-upload (resumed from the server's offset), a commit whose answer is lost
// (sent again with the same key: still one document), a 502, a document the server refuses
// (recorded with its reason, the next one still goes, fixed and sent again), an access
// token that expired (refreshed silently) and a revoked device (the run stops, the queue stays).
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncReport, SyncStatus } from '../../common/contract';
import { fromBase32, totpCode } from '../../common/auth/totp';
import { runCli } from '../../main/cli/run';
import { readServerSession } from '../../main/core/auth';
import { KeyFileSecretStore } from '../../main/infra/secrets';
import { CLERK_NIP, KNOWN, requestBody, sha256, syncWorld, UNKNOWN_NIP, type SyncWorld } from '../helpers/sync';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function world(kind: 'pglite' | 'postgres', options?: Parameters<typeof syncWorld>[1]): Promise<SyncWorld> {
  const w = await syncWorld(kind, options);
  cleanups.push(() => w.close());
  return w;
}

/** Every local document is on the server exactly once, and its downloaded bytes hash to the local SHA-256. */
async function expectOnServerOnce(w: SyncWorld, ids: number[]): Promise<void> {
  const onServer = await w.serverDocuments();
  for (const id of ids) {
    const local = (await w.call('documents.get', { id })) as { sha256: string };
    const copies = onServer.filter((doc) => doc.sha256 === local.sha256);
    expect(copies, `document #${id} on the server`).toHaveLength(1);
    expect(sha256(await w.download(copies[0].id))).toBe(local.sha256);
  }
}

describe.each(['pglite', 'postgres'] as const)('sync on %s', (kind) => {
  it('sends every ready document once, verified by hash; a second run sends nothing', async () => {
    const w = await world(kind);
    const ids = await w.labelled([
      { name: 'cmyk-image.pdf', nip: KNOWN[0] },
      { name: 'minimal-document.pdf', nip: KNOWN[1] },
      { name: 'pdflatex-4-pages.pdf', nip: KNOWN[0] },
    ]);
    const progress: { done: number; total: number; bytesDone: number; bytesTotal: number; current: string | null }[] = [];
    const unsubscribe = w.profile.events.subscribe((name, payload) => name === 'sync.onDidProgress' && progress.push(payload as (typeof progress)[number]));

    expect(await w.call('sync.queue', {})).toEqual({ queued: 3 });
    const queued = (await w.call('sync.status', {})) as SyncStatus;
    expect(queued).toMatchObject({ counts: { queued: 3, verified: 0 }, pending: 3, readyNotQueued: 0, problems: [] });

    const report = (await w.call('sync.run', {})) as SyncReport;
    unsubscribe();
    expect(report).toMatchObject({ total: 3, verified: 3, problems: [], remaining: 0, cancelled: false, stopped: null });
    const sizes = await Promise.all(ids.map(async (id) => ((await w.call('documents.get', { id })) as { size: number }).size));
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(report.bytesSent).toBe(total);
    await expectOnServerOnce(w, ids);
    expect(await w.serverDocuments()).toHaveLength(3);

    // Progress went file by file up to every byte, naming the file being sent.
    expect(progress.at(-1)).toMatchObject({ done: 3, total: 3, bytesDone: total, bytesTotal: total, current: null });
    expect(progress.some((p) => p.current === 'cmyk-image.pdf' && p.bytesDone > 0 && p.bytesDone < sizes[0])).toBe(true);

    expect(await w.call('sync.status', {})).toMatchObject({ counts: { queued: 0, uploading: 0, committed: 0, verified: 3 }, pending: 0, problems: [] });
    expect(await w.call('sync.queue', {})).toEqual({ queued: 0 });
    const again = (await w.call('sync.run', {})) as SyncReport;
    expect(again).toMatchObject({ total: 0, verified: 0, bytesSent: 0, remaining: 0, problems: [] });
    expect(await w.serverDocuments()).toHaveLength(3);
  });
});

/** Each request carrying bytes the server answered (an upload's creation with its first chunk, then PATCHes): its offset and body size (-1 for a cut body). */
type Hooked = { patches: { offset: number; bytes: number }[]; attempts: number };

/** Records each request carrying bytes the server answered; `cut` may replace the body of the n-th one tried. */
function recordPatches(w: SyncWorld, cut?: (index: number, body: Uint8Array) => ReadableStream<Uint8Array> | null): Hooked {
  const seen: Hooked = { patches: [], attempts: 0 };
  w.hook.current = async (url, init, next) => {
    const creation = init.method === 'POST' && new URL(url).pathname === '/v1/uploads';
    if (init.method !== 'PATCH' && !creation) return next(url, init);
    const body = await requestBody(init);
    const offset = creation ? 0 : Number((init.headers as Record<string, string>)['upload-offset']);
    const replaced = cut?.(seen.attempts++, body) ?? null;
    const res = await next(url, replaced ? ({ ...init, body: replaced, duplex: 'half' } as RequestInit) : ({ ...init, body } as RequestInit));
    seen.patches.push({ offset, bytes: replaced ? -1 : body.length });
    return res;
  };
  return seen;
}

const CHUNK = 64 * 1024;

describe.each(['pglite', 'postgres'] as const)('sync over a bad link on %s', (kind) => {
  it('resumes from the server offset after the connection drops mid-chunk, and ends with one document', async () => {
    const w = await world(kind, { chunkBytes: CHUNK });
    const [id] = await w.labelled([{ name: 'cmyk-image.pdf', nip: KNOWN[0] }]);
    const { size } = (await w.call('documents.get', { id })) as { size: number };
    // The third PATCH sends 10,000 bytes, then the link drops.
    const seen = recordPatches(w, (index, body) => {
      if (index !== 2) return null;
      let pulls = 0;
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (pulls++ === 0) return controller.enqueue(body.subarray(0, 10_000));
          await new Promise((resolve) => setTimeout(resolve, 50));
          controller.error(new Error('link dropped'));
        },
      });
    });
    await w.call('sync.queue', {});
    const report = (await w.call('sync.run', {})) as SyncReport;
    expect(report).toMatchObject({ total: 1, verified: 1, problems: [], remaining: 0 });
    expect(w.waits.length).toBeGreaterThanOrEqual(1); // backed off before trying again

    // After the cut, the next PATCH starts where the server said, not at 0 and not before the bytes it had.
    expect(seen.attempts).toBe(seen.patches.length + 1); // exactly one PATCH failed: the cut one
    expect(seen.patches[2].offset).toBeGreaterThanOrEqual(2 * CHUNK);
    expect(seen.patches.slice(2).every((p) => p.offset >= 2 * CHUNK)).toBe(true);
    const resent = seen.patches.filter((p) => p.bytes > 0).reduce((sum, p) => sum + p.bytes, 0);
    expect(resent).toBeLessThan(size + CHUNK);
    await expectOnServerOnce(w, [id]);
    expect(await w.serverDocuments()).toHaveLength(1);
  });

  it('a cancelled run keeps its place: the next run resumes at the server offset and sends no byte twice', async () => {
    const w = await world(kind, { chunkBytes: CHUNK });
    const [id] = await w.labelled([{ name: 'cmyk-image.pdf', nip: KNOWN[0] }]);
    const { size } = (await w.call('documents.get', { id })) as { size: number };
    const controller = new AbortController();
    const seen = recordPatches(w);
    const inner = w.hook.current!;
    w.hook.current = async (url, init, next) => {
      const res = await inner(url, init, next);
      if (init.method === 'PATCH' && seen.patches.length === 2) controller.abort();
      return res;
    };
    await w.call('sync.queue', {});
    const first = (await w.call('sync.run', {}, controller.signal)) as SyncReport;
    expect(first).toMatchObject({ cancelled: true, verified: 0, remaining: 1 });
    expect(await w.call('sync.status', {})).toMatchObject({ counts: { uploading: 1 }, pending: 1 });

    const second = (await w.call('sync.run', {})) as SyncReport;
    expect(second).toMatchObject({ cancelled: false, verified: 1, remaining: 0 });
    expect(seen.patches[2].offset).toBe(2 * CHUNK);
    expect(seen.patches.reduce((sum, p) => sum + p.bytes, 0)).toBe(size);
    expect(first.bytesSent + second.bytesSent).toBe(size);
    await expectOnServerOnce(w, [id]);
  });

  it('a commit whose answer is lost is sent again with the same key, and a 502 is waited out: still one document each', async () => {
    // Chunks smaller than the files: they go by tus and documents.commit (the next test covers documents.send).
    const w = await world(kind, { chunkBytes: 4096 });
    const ids = await w.labelled([
      { name: 'minimal-document.pdf', nip: KNOWN[0] },
      { name: 'crazyones-pdfa.pdf', nip: KNOWN[1] },
    ]);
    let commits = 0;
    let gets = 0;
    w.hook.current = async (url, init, next) => {
      const path = new URL(url).pathname;
      if (init.method === 'POST' && path === '/v1/documents' && commits++ === 0) {
        await next(url, init); // the server commits ...
        throw new TypeError('fetch failed'); // ... and the answer never arrives
      }
      // The retry asks where its upload stands (a fresh upload never does): a proxy in the way answers 502 once.
      if (init.method === 'GET' && /^\/v1\/uploads\/[0-9a-f]{32}\/status$/.test(path) && gets++ === 0) {
        return new Response('<html>502 Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } });
      }
      return next(url, init);
    };
    await w.call('sync.queue', {});
    const report = (await w.call('sync.run', {})) as SyncReport;
    expect(report).toMatchObject({ verified: 2, problems: [], remaining: 0 });
    expect(commits).toBe(3); // the lost one, its repeat, and the second document's
    expect(gets).toBe(2); // the 502, then the answer: complete
    expect(w.waits.length).toBe(2);
    const onServer = await w.serverDocuments();
    expect(onServer).toHaveLength(2);
    expect(new Set(onServer.map((d) => d.idempotency_key)).size).toBe(2);
    await expectOnServerOnce(w, ids);
  });

  it('a small document whose send is cut mid-body, answered 502 or whose answer is lost goes again whole with the same key: one document each', async () => {
    // One document per request (no batch; tests/integration/sync-batch.test.ts has those).
    const w = await world(kind, { batchItems: 1 });
    const ids = await w.labelled([
      { name: 'minimal-document.pdf', nip: KNOWN[0] },
      { name: 'crazyones-pdfa.pdf', nip: KNOWN[1] },
    ]);
    const keys = new Map<string, number>();
    let sends = 0;
    w.hook.current = async (url, init, next) => {
      if (init.method !== 'POST' || new URL(url).pathname !== '/v1/documents/send') return next(url, init);
      const label = JSON.parse(decodeURIComponent((init.headers as Record<string, string>)['lemari-document'])) as { idempotencyKey: string };
      keys.set(label.idempotencyKey, (keys.get(label.idempotencyKey) ?? 0) + 1);
      const n = sends++;
      if (n === 0) {
        // The connection drops with half the body sent (Content-Length announced the whole): the server keeps nothing.
        const body = await requestBody(init);
        const half = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(body.subarray(0, body.length >> 1));
            setTimeout(() => controller.error(new Error('link dropped')), 20);
          },
        });
        const headers = { ...(init.headers as Record<string, string>), 'content-length': String(body.length) };
        return next(url, { ...init, headers, body: half, duplex: 'half' } as RequestInit);
      }
      if (n === 1) return new Response('<html>502 Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } });
      if (n === 2) {
        await next(url, init); // the server makes the document ...
        throw new TypeError('fetch failed'); // ... and its answer never arrives
      }
      return next(url, init);
    };
    await w.call('sync.queue', {});
    const report = (await w.call('sync.run', {})) as SyncReport;
    expect(report).toMatchObject({ verified: 2, problems: [], remaining: 0 });
    expect(w.waits.length).toBe(3);
    expect(keys.size).toBe(2);
    expect([...keys.values()].reduce((a, b) => a + b)).toBe(sends);
    const onServer = await w.serverDocuments();
    expect(onServer).toHaveLength(2);
    expect(new Set(onServer.map((d) => d.idempotency_key))).toEqual(new Set(keys.keys()));
    await expectOnServerOnce(w, ids);
  });

  it.each([
    ['documents.send', '/v1/documents/send', {}],
    ['documents.commit', '/v1/documents', { chunkBytes: 4096 }],
  ] as const)('a run cut off between the %s and its answer keeps the idempotency key: the next run finds the same document', async (_name, route, options) => {
    const w = await world(kind, options);
    const ids = await w.labelled([{ name: 'minimal-document.pdf', nip: KNOWN[0] }]);
    const controller = new AbortController();
    const keys: string[] = [];
    w.hook.current = async (url, init, next) => {
      if (init.method !== 'POST' || new URL(url).pathname !== route) return next(url, init);
      const label = route === '/v1/documents' ? (init.body as string) : decodeURIComponent((init.headers as Record<string, string>)['lemari-document']);
      keys.push((JSON.parse(label) as { idempotencyKey: string }).idempotencyKey);
      if (keys.length > 1) return next(url, init);
      await next(url, init);
      controller.abort(); // the process is stopped before the answer is written down
      throw new DOMException('aborted', 'AbortError');
    };
    await w.call('sync.queue', {});
    expect(await w.call('sync.run', {}, controller.signal)).toMatchObject({ cancelled: true, verified: 0, remaining: 1 });
    expect(await w.serverDocuments()).toHaveLength(1);
    // documents.send carries the bytes again (at most one chunk); a commit only its label.
    const { size } = (await w.call('documents.get', { id: ids[0] })) as { size: number };
    expect(await w.call('sync.run', {})).toMatchObject({ verified: 1, remaining: 0, bytesSent: route === '/v1/documents' ? 0 : size });
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(await w.serverDocuments()).toHaveLength(1);
    await expectOnServerOnce(w, ids);
  });

  it('a document whose send may have reached the server goes by documents.send again even when a bandwidth cap makes the chunk smaller than it', async () => {
    const w = await world(kind);
    const ids = await w.labelled([{ name: 'minimal-document.pdf', nip: KNOWN[0] }]);
    const { size } = (await w.call('documents.get', { id: ids[0] })) as { size: number };
    expect(size).toBeGreaterThan(16 * 1024); // the smallest chunk a cap gives (throttle.ts chunkFor)
    const controller = new AbortController();
    const routes: string[] = [];
    w.hook.current = async (url, init, next) => {
      const path = new URL(url).pathname;
      if (init.method === 'POST' && /^\/v1\/(documents|uploads)/.test(path)) routes.push(path);
      if (path !== '/v1/documents/send' || routes.length > 1) return next(url, init);
      await next(url, init);
      controller.abort(); // stopped before the answer is written down
      throw new DOMException('aborted', 'AbortError');
    };
    await w.call('sync.queue', {});
    expect(await w.call('sync.run', {}, controller.signal)).toMatchObject({ cancelled: true, verified: 0 });
    // A cap of 64 kbit/s: 16 KiB chunks. Its key is bound to the send's content; a commit of it would be a conflict.
    await w.call('settings.update', { syncBandwidthKbps: 64 });
    expect(await w.call('sync.run', {})).toMatchObject({ verified: 1, remaining: 0, problems: [] });
    expect(routes).toEqual(['/v1/documents/send', '/v1/documents/send']);
    await expectOnServerOnce(w, ids);
  });

  it('a document the server refuses is recorded with its reason, does not hold up the next, and goes once fixed', async () => {
    const w = await world(kind);
    const ids = await w.labelled([
      { name: 'minimal-document.pdf', nip: UNKNOWN_NIP },
      { name: 'crazyones-pdfa.pdf', nip: KNOWN[1] },
    ]);
    await w.call('sync.queue', {});
    const report = (await w.call('sync.run', {})) as SyncReport;
    expect(report).toMatchObject({ total: 2, verified: 1, remaining: 0 });
    expect(report.problems).toEqual([expect.objectContaining({ documentId: ids[0], name: 'minimal-document.pdf', state: 'rejected', code: 'invalid_input' })]);
    expect(report.problems[0].message).toMatch(/nip/i);
    expect(w.waits).toEqual([]); // no retry loop on a refusal
    const status = (await w.call('sync.status', {})) as SyncStatus;
    expect(status).toMatchObject({ counts: { rejected: 1, verified: 1 }, pending: 0 });
    expect(status.problems).toEqual(report.problems);

    // The clerk fixes the NIP and sends it again: the server kept nothing of the refused send (the
    // label is checked before the body is read), so the small file goes again whole, once.
    await w.call('documents.label', { id: ids[0], nip: KNOWN[0], typeCode: 'SK_PNS', fields: { nomor: '823.4/112/BKD/2011', tanggal: '2011-03-01', tmt: '2011-03-01' } });
    expect(await w.call('sync.retry', {})).toEqual({ requeued: 1 });
    const again = (await w.call('sync.run', {})) as SyncReport;
    const { size } = (await w.call('documents.get', { id: ids[0] })) as { size: number };
    expect(again).toMatchObject({ total: 1, verified: 1, problems: [], bytesSent: size });
    await expectOnServerOnce(w, ids);
    expect(((await w.call('sync.status', {})) as SyncStatus).problems).toEqual([]);
  });

  it('a file that keeps failing is left queued with its error while the others go; retry sends it', async () => {
    const w = await world(kind, { maxAttempts: 3 });
    // One at a time: the hook breaks the first upload created, which must be the first document's.
    await w.call('settings.update', { syncConcurrency: 1 });
    const ids = await w.labelled([
      { name: 'minimal-document.pdf', nip: KNOWN[0] },
      { name: 'crazyones-pdfa.pdf', nip: KNOWN[1] },
    ]);
    // Every request carrying the first document fails: the batch of both (its manifest names it), then its sends alone.
    w.hook.current = async (url, init, next) => {
      const path = init.method === 'POST' ? new URL(url).pathname : '';
      if (path === '/v1/documents/send-batch') {
        const body = await requestBody(init);
        if (Buffer.from(body).includes('"minimal-document.pdf"')) return new Response('', { status: 503 });
        return next(url, { ...init, body } as RequestInit);
      }
      const label = decodeURIComponent((init.headers as Record<string, string> | undefined)?.['lemari-document'] ?? '');
      if (path === '/v1/documents/send' && label.includes('"minimal-document.pdf"')) return new Response('', { status: 503 });
      return next(url, init);
    };
    await w.call('sync.queue', {});
    const report = (await w.call('sync.run', {})) as SyncReport;
    expect(report).toMatchObject({ total: 2, verified: 1, remaining: 1 });
    expect(report.problems).toEqual([expect.objectContaining({ documentId: ids[0], state: 'uploading', code: 'unavailable', attempts: 3 })]);
    expect(w.waits).toHaveLength(2); // backoff between the three tries, none after the last

    w.hook.current = null;
    expect(await w.call('sync.retry', { ids: [ids[0]] })).toEqual({ requeued: 1 });
    expect(((await w.call('sync.status', {})) as SyncStatus).problems).toEqual([]);
    const again = (await w.call('sync.run', {})) as SyncReport;
    expect(again).toMatchObject({ total: 1, verified: 1, problems: [], remaining: 0 });
    await expectOnServerOnce(w, ids);
  });

  it('an expired access token is refreshed silently and the rotated refresh token is stored', async () => {
    const w = await world(kind);
    const [first] = await w.labelled([{ name: 'minimal-document.pdf', nip: KNOWN[0] }]);
    await w.call('sync.queue', {});
    expect(await w.call('sync.run', {})).toMatchObject({ verified: 1 });
    const secrets = new KeyFileSecretStore(w.dataDir);
    const before = readServerSession(w.profile.db, secrets, w.localUserId)!.refreshToken;

    // The server's clock passes the access token's expiry; the workstation still holds the token.
    w.clocks.server += (w.server.config.accessTokenSeconds + 60) * 1000;
    const expired: string[] = [];
    w.hook.current = async (url, init, next) => {
      const res = await next(url, init);
      if (res.status === 401) expired.push(((await res.clone().json()) as { error: { code: string } }).error.code);
      return res;
    };
    const [second] = await w.labelled([{ name: 'crazyones-pdfa.pdf', nip: KNOWN[1] }]);
    await w.call('sync.queue', {});
    const report = (await w.call('sync.run', {})) as SyncReport;
    expect(report).toMatchObject({ verified: 1, problems: [], stopped: null });
    expect(expired).toEqual(['token_expired']);
    const after = readServerSession(w.profile.db, secrets, w.localUserId)!.refreshToken;
    expect(after).not.toBe(before);
    await expectOnServerOnce(w, [first, second]);
  });

  it('a revoked device stops the run and keeps the queue', async () => {
    const w = await world(kind);
    await w.labelled([
      { name: 'minimal-document.pdf', nip: KNOWN[0] },
      { name: 'crazyones-pdfa.pdf', nip: KNOWN[1] },
    ]);
    const { deviceId } = readServerSession(w.profile.db, new KeyFileSecretStore(w.dataDir), w.localUserId)!;
    const revoked = await w.server.call('POST', `/v1/devices/${deviceId}/revoke`, { token: w.adminToken });
    expect(revoked.status).toBe(200);
    await w.call('sync.queue', {});
    const report = (await w.call('sync.run', {})) as SyncReport;
    expect(report).toMatchObject({ verified: 0, stopped: 'session_revoked', remaining: 2, problems: [] });
    expect(await w.call('sync.status', {})).toMatchObject({ counts: { queued: 2 }, pending: 2 });
    expect(await w.serverDocuments()).toEqual([]);
  });
});

describe('lemari sync', () => {
  it('queues and sends for the OS scheduler, printing the report, and exits 1 while something could not be sent', async () => {
    const w = await world('pglite');
    const ids = await w.labelled([
      { name: 'minimal-document.pdf', nip: UNKNOWN_NIP },
      { name: 'crazyones-pdfa.pdf', nip: KNOWN[1] },
    ]);
    const sync = async (step: number) => {
      // A later 30-second step each time: a code is good for one login only.
      const clock = { now: () => new Date(w.clocks.workstation + step * 30_000) };
      const env = { LEMARI_USER: CLERK_NIP, LEMARI_PASSWORD: w.password, LEMARI_OTP: totpCode(fromBase32(w.totpSecret), clock.now()) };
      let stdout = '';
      let stderr = '';
      const code = await runCli(['sync', '--json', '--data-dir', w.dataDir], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, isTty: false, clock });
      return { code, stdout, stderr };
    };
    const first = await sync(1);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(1);
    const report = JSON.parse(first.stdout) as SyncReport;
    expect(report).toMatchObject({ total: 2, verified: 1, remaining: 0 });
    expect(report.problems).toEqual([expect.objectContaining({ documentId: ids[0], state: 'rejected', code: 'invalid_input' })]);
    await expectOnServerOnce(w, [ids[1]]);

    // Fixed in the UI and re-queued: the next scheduled run sends it and exits 0.
    await w.call('documents.label', { id: ids[0], nip: KNOWN[0], typeCode: 'SK_PNS', fields: { nomor: '1/2011', tanggal: '2011-03-01', tmt: '2011-03-01' } });
    await w.call('sync.retry', {});
    const second = await sync(2);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ verified: 1, problems: [], remaining: 0 });
    await expectOnServerOnce(w, ids);
  });
});
