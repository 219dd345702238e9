// The directory blob store: a finished upload linked into place (the upload file stays the
// caller's), a private temp file moved into place (nothing left behind), both readable
// whole and by range, and both still stored after someone removed the shard folder this
// node had made before (the folder is remembered, so it must be made again on ENOENT).
import { randomBytes, createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import { blobKey } from './index';
import { DirectoryBlobStore } from './directory';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'lemari-dirblobs-'));
  dirs.push(dir);
  const store = new DirectoryBlobStore(join(dir, 'blobs'));
  const file = (bytes: Buffer, name: string) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  return { dir, store, file };
}

const facts = (bytes: Buffer) => ({ size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });

describe('DirectoryBlobStore', () => {
  it('links a finished upload into place and leaves the upload file to its owner', async () => {
    const { store, file } = setup();
    const bytes = randomBytes(5000);
    const path = file(bytes, 'upload');
    const key = blobKey(facts(bytes).sha256);
    expect(await store.putFile(key, path, facts(bytes))).toEqual({ size: 5000 });
    expect(existsSync(path)).toBe(true);
    expect(Buffer.compare(await buffer(await store.read(key)), bytes)).toBe(0);
    // The same bytes again: already there.
    expect(await store.putFile(key, path, facts(bytes))).toEqual({ size: 5000 });
  });

  it('moves a temp file into place and leaves nothing behind, also over a blob already stored', async () => {
    const { store, file } = setup();
    const bytes = randomBytes(7000);
    const key = blobKey(facts(bytes).sha256);
    const first = file(bytes, 'temp-1');
    expect(await store.moveFile(key, first, facts(bytes))).toEqual({ size: 7000 });
    expect(existsSync(first)).toBe(false);
    const second = file(bytes, 'temp-2');
    expect(await store.moveFile(key, second, facts(bytes))).toEqual({ size: 7000 });
    expect(existsSync(second)).toBe(false);
    expect(Buffer.compare(await buffer(await store.read(key, { start: 100, end: 199 })), bytes.subarray(100, 200))).toBe(0);
  });

  it('makes a shard folder again when it was removed after this node made it', async () => {
    const { dir, store, file } = setup();
    // Two blobs in one shard folder: the second finds the folder remembered but gone.
    const a = Buffer.from('aa');
    const key = blobKey(facts(a).sha256);
    await store.moveFile(key, file(a, 'a'), facts(a));
    rmSync(dirname(join(dir, 'blobs', key)), { recursive: true });
    await store.moveFile(key, file(a, 'a2'), facts(a));
    expect(readFileSync(join(dir, 'blobs', key)).equals(a)).toBe(true);
    rmSync(dirname(join(dir, 'blobs', key)), { recursive: true });
    await store.putFile(key, file(a, 'a3'), facts(a));
    expect(readFileSync(join(dir, 'blobs', key)).equals(a)).toBe(true);
  });
});
