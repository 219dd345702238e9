import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

  it('stores into a shard folder removed after it was first used', async () => {
    const { dir, blobs } = await store();
    const first = await blobs.put(Buffer.from('pertama'));
    rmSync(join(dir, first.slice(0, 2)), { recursive: true });
    // Bytes that hash into the same shard as the first blob.
    let i = 0;
    let bytes: Buffer;
    do bytes = Buffer.from(`dokumen ${i++}`);
    while (sha256Hex(bytes).slice(0, 2) !== first.slice(0, 2));
    const sha = await blobs.put(bytes);
    expect(Buffer.compare(await blobs.read(sha), bytes)).toBe(0);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
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

describe('FileBlobStore with a key (sealed at rest)', () => {
  async function sealedStore() {
    const dir = mkdtempSync(join(tmpdir(), 'lemari-blobs-'));
    dirs.push(dir);
    return { dir, blobs: await new FileBlobStore(dir, randomBytes(32)).init() };
  }
  // Three and a bit chunks, with text a reader would recognise if it leaked.
  const content = Buffer.from('NIP 199001012015031001 SK PNS '.repeat(7000));

  it('stores no plaintext and reads the content back whole and by ranges', async () => {
    const { blobs } = await sealedStore();
    const sha = await blobs.put(content);
    const onDisk = readFileSync(blobs.pathOf(sha));
    expect(onDisk.includes(Buffer.from('199001012015031001'))).toBe(false);
    expect(Buffer.compare(await blobs.read(sha), content)).toBe(0);
    expect(await blobs.size(sha)).toBe(content.length);
    expect(await blobs.hashOnDisk(sha)).toBe(sha);
    for (const [start, end] of [[0, 9], [65530, 65545], [100, content.length - 1], [content.length - 3, content.length + 50]]) {
      const parts: Buffer[] = [];
      for await (const part of blobs.stream(sha, { start, end })) parts.push(part as Buffer);
      expect(Buffer.concat(parts).equals(content.subarray(start, end + 1)), `${start}-${end}`).toBe(true);
    }
  });

  it('reports a flipped byte, a truncated file and a swapped key as unreadable', async () => {
    const { dir, blobs } = await sealedStore();
    const sha = await blobs.put(content);
    const path = blobs.pathOf(sha);
    const original = readFileSync(path);
    const flipped = Buffer.from(original);
    flipped[70000] ^= 1;
    writeFileSync(path, flipped);
    expect(await blobs.hashOnDisk(sha)).toBe('unreadable');
    writeFileSync(path, original.subarray(0, original.length - 20000));
    expect(await blobs.hashOnDisk(sha)).toBe('unreadable');
    writeFileSync(path, original);
    expect(await new FileBlobStore(dir, randomBytes(32)).hashOnDisk(sha)).toBe('unreadable');
  });

  it('writes a blob of more sealed pieces than one vectored write takes, whole', async () => {
    const { blobs } = await sealedStore();
    // 300 chunks: header plus two pieces a chunk is more than one writev's 512 pieces.
    const big = randomBytes(300 * 64 * 1024 - 7);
    const sha = await blobs.put(big);
    expect(Buffer.compare(await blobs.read(sha), big)).toBe(0);
    expect(await blobs.hashOnDisk(sha)).toBe(sha);
  });

  it('reads ranges across its batched reads, each piece its own buffer', async () => {
    const { blobs } = await sealedStore();
    // 40 chunks and a bit: three reads of up to 16 sealed chunks each.
    const big = randomBytes(40 * 64 * 1024 + 1234);
    const sha = await blobs.put(big);
    const chunk = 64 * 1024;
    for (const [start, end] of [[0, big.length - 1], [16 * chunk - 5, 16 * chunk + 5], [3 * chunk + 7, 35 * chunk + 11], [32 * chunk, big.length + 100], [big.length - 1, big.length - 1]]) {
      // Kept as yielded, not copied: a piece sharing memory with a later read would show here.
      const pieces: Buffer[] = [];
      for await (const piece of blobs.pieces(sha, { start, end })) pieces.push(piece);
      expect(Buffer.concat(pieces).equals(big.subarray(start, end + 1)), `${start}-${end}`).toBe(true);
    }
  });

  it('reads blobs at once and one after another through its kept read buffers, every piece its own', async () => {
    const { blobs } = await sealedStore();
    const contents = [randomBytes(20 * 64 * 1024 + 3), randomBytes(5 * 64 * 1024), randomBytes(1000), randomBytes(17 * 64 * 1024 - 1)];
    const shas = await Promise.all(contents.map((bytes) => blobs.put(bytes)));
    const kept: Buffer[][] = contents.map(() => []);
    // Interleaved: each reader takes a piece in turn, so their read buffers are in use together.
    const readers = shas.map((sha) => blobs.pieces(sha)[Symbol.asyncIterator]());
    for (let open = readers.length; open > 0; ) {
      open = 0;
      for (const [index, reader] of readers.entries()) {
        const { value, done } = await reader.next();
        if (done) continue;
        kept[index].push(value);
        open++;
      }
    }
    // Then each again, alone: buffers handed on from the readers above.
    for (const [index, sha] of shas.entries()) for await (const piece of blobs.pieces(sha)) kept[index].push(piece);
    for (const [index, bytes] of contents.entries()) expect(Buffer.concat(kept[index]).equals(Buffer.concat([bytes, bytes])), `blob ${index}`).toBe(true);
  });

  it('seals an empty blob too', async () => {
    const { blobs } = await sealedStore();
    const sha = await blobs.put(new Uint8Array());
    expect((await blobs.read(sha)).length).toBe(0);
    expect(await blobs.hashOnDisk(sha)).toBe(sha);
  });
});
