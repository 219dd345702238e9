// How many round trips a document costs the sync (issue 5, throughput): a document of at most
// one chunk goes in ONE request (documents.send: bytes and label together); a larger fresh
// upload goes with its creation carrying the first chunk, asks neither status nor HEAD, and
// is verified from the commit's answer; only an upload left by an earlier try asks where it
// stands. And the answer is still checked: a send or commit answered with other bytes'
// SHA-256 is not verified.
// The request sequence is the workstation engine's, not the server's SQL, so this runs on
// PostgreSQL only (tests/integration/sync.test.ts covers both engines).
import { describe, expect, it } from 'vitest';
import type { SyncReport } from '../../common/contract';
import { KNOWN, worldsOn, type SyncWorld } from '../helpers/sync';

const { world } = worldsOn('postgres');

/** Each request the workstation made to the server, as `METHOD /path` with ids blanked. */
function requests(w: SyncWorld): string[] {
  const seen: string[] = [];
  w.hook.current = async (url, init, next) => {
    const path = new URL(url).pathname.replace(/\/[0-9a-f]{32}(?=\/|$)/, '/:upload').replace(/\/[0-9a-f-]{36}$/, '/:id');
    seen.push(`${init.method ?? 'GET'} ${path}`);
    return next(url, init);
  };
  return seen;
}

const CHUNK = 64 * 1024;
const size = async (w: SyncWorld, id: number) => ((await w.call('documents.get', { id })) as { size: number }).size;
const perDocument = (seen: string[]) => seen.filter((r) => /\/v1\/(uploads|documents)(\/|$)/.test(r) && r !== 'GET /v1/documents/changes');

describe('sync round trips', () => {
  it('a small document costs one request; a larger one its creation (with the first chunk), the PATCHes of the rest and its commit: no status, HEAD or read-back', async () => {
    const w = await world({ chunkBytes: CHUNK });
    await w.call('settings.update', { syncConcurrency: 1 });
    const ids = await w.labelled([
      { name: 'minimal-document.pdf', nip: KNOWN[0] },
      { name: 'cmyk-image.pdf', nip: KNOWN[1] },
    ]);
    const big = await size(w, ids[1]);
    expect(big).toBeGreaterThan(2 * CHUNK);
    const seen = requests(w);
    await w.call('sync.queue', {});
    expect(await w.call('sync.run', {})).toMatchObject({ verified: 2, problems: [], remaining: 0 });
    const patches = Math.ceil(big / CHUNK) - 1;
    expect(perDocument(seen)).toEqual([
      'POST /v1/documents/send',
      'POST /v1/uploads',
      ...Array<string>(patches).fill('PATCH /v1/uploads/:upload'),
      'POST /v1/documents',
    ]);
  });

  it('an upload left by a cancelled run asks its status and offset once, then goes on', async () => {
    const w = await world({ chunkBytes: CHUNK });
    const [id] = await w.labelled([{ name: 'cmyk-image.pdf', nip: KNOWN[0] }]);
    const big = await size(w, id);
    const controller = new AbortController();
    const seen = requests(w);
    const inner = w.hook.current!;
    w.hook.current = async (url, init, next) => {
      const res = await inner(url, init, next);
      if (init.method === 'PATCH') controller.abort();
      return res;
    };
    await w.call('sync.queue', {});
    expect(await w.call('sync.run', {}, controller.signal)).toMatchObject({ cancelled: true, verified: 0 });
    seen.length = 0;
    w.hook.current = inner;
    const second = (await w.call('sync.run', {})) as SyncReport;
    expect(second).toMatchObject({ verified: 1, remaining: 0, bytesSent: big - 2 * CHUNK });
    expect(perDocument(seen)).toEqual([
      'GET /v1/uploads/:upload/status',
      'HEAD /v1/uploads/:upload',
      ...Array<string>(Math.ceil(big / CHUNK) - 2).fill('PATCH /v1/uploads/:upload'),
      'POST /v1/documents',
    ]);
  });

  it.each([
    ['send', {}],
    ['commit', { chunkBytes: 4096 }],
  ] as const)("a %s answered with another SHA-256 than the local one is not verified: the document is rejected with the server's hash", async (_route, options) => {
    const w = await world(options);
    const [id] = await w.labelled([{ name: 'minimal-document.pdf', nip: KNOWN[0] }]);
    const other = 'f'.repeat(64);
    w.hook.current = async (url, init, next) => {
      const res = await next(url, init);
      if (init.method !== 'POST' || !['/v1/documents', '/v1/documents/send'].includes(new URL(url).pathname)) return res;
      const body = (await res.json()) as { document: { sha256: string } };
      body.document.sha256 = other;
      return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
    };
    await w.call('sync.queue', {});
    const report = (await w.call('sync.run', {})) as SyncReport;
    expect(report).toMatchObject({ verified: 0, remaining: 0 });
    expect(report.problems).toEqual([expect.objectContaining({ documentId: id, state: 'rejected', code: 'checksum_mismatch' })]);
    expect(report.problems[0].message).toContain(other);
  });
});
