import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileBlobStore, sha256Hex } from './index';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
async function store() {
  const dir = mkdtempSync(join(tmpdir(), 'lemari-blobs-'));
  dirs.push(dir);
  return { dir, blobs: await new FileBlobStore(dir).init() };
}

describe('FileBlobStore', () => {
  it('stores bytes under their sha256 and reads them back', async () => {
    const { blobs } = await store();
    const bytes = new TextEncoder().encode('%PDF-1.7 isi dokumen');
    const sha = await blobs.put(bytes);
    expect(sha).toBe(sha256Hex(bytes));
    expect(Buffer.compare(await blobs.read(sha), Buffer.from(bytes))).toBe(0);
    expect(await blobs.hashOnDisk(sha)).toBe(sha);
    expect(statSync(blobs.pathOf(sha)).mode & 0o777).toBe(0o600);
  });

  it('writes the same bytes once', async () => {
    const { blobs } = await store();
    const bytes = new Uint8Array([1, 2, 3]);
    await blobs.put(bytes);
    await blobs.put(bytes);
    const all = [];
    for await (const sha of blobs.list()) all.push(sha);
    expect(all).toHaveLength(1);
  });

  it('clears half-written temp files left by a crash on start', async () => {
    const { dir, blobs } = await store();
    writeFileSync(join(dir, 'tmp', 'abc.partial'), 'half');
    await new FileBlobStore(dir).init();
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    expect(await blobs.has('0'.repeat(64))).toBe(false);
  });

  it('reports a blob whose bytes changed on disk', async () => {
    const { blobs } = await store();
    const sha = await blobs.put(new Uint8Array([9, 9, 9]));
    writeFileSync(blobs.pathOf(sha), 'tampered');
    expect(await blobs.hashOnDisk(sha)).not.toBe(sha);
  });
});
