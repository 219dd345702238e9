// The upload store: bytes land in the file whatever pieces they arrive in, and its
// SHA-256 is taken while the bytes are written when one store wrote them all in order,
// read back from the file whenever it did not (another node appended, a write broke off),
// and in every case the hash of what the file holds.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Upload } from '@tus/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UploadStore } from './store';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const ID = 'a'.repeat(32);
const MIB = 1024 * 1024;

/** A request body that sends `bytes` in pieces of the given sizes (cycled), then fails (a cut connection) if asked to. */
function body(bytes: Buffer, failAfter = false, sizes = [Math.ceil(bytes.length / 2)]): Readable {
  let at = 0;
  let i = 0;
  return new Readable({
    read() {
      if (at < bytes.length) {
        const n = sizes[i++ % sizes.length];
        this.push(bytes.subarray(at, at + n));
        at += n;
      } else if (failAfter) this.destroy(new Error('connection reset'));
      else this.push(null);
    },
  });
}

describe('UploadStore', () => {
  let dir: string;
  let stores: UploadStore[];
  // Past the worker's 1 MiB report step and read size, and not a multiple of either.
  const data = randomBytes(3 * MIB + 12_345);
  // The uploads table, as service.ts keeps it.
  const hooks = { progressed: async () => {}, row: async () => ({ status: 'receiving', size: data.length, fileName: 'scan.pdf', sha256: sha256(data), createdAt: '2026-11-25T00:00:00.000Z' }) };
  const open = () => {
    const store = new UploadStore(dir, hooks);
    stores.push(store);
    return store;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lemari-upload-store-'));
    stores = [];
    await open().create(new Upload({ id: ID, size: data.length, offset: 0 }));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes and hashes the bytes as they come, on odd chunk boundaries: finishing does not read the file back', async () => {
    const store = open();
    // PATCHes ending off any power of two, each body in odd-sized socket reads.
    let offset = await store.write(body(data.subarray(0, 1_000_003), false, [1, 65_537, 3, 40_961]), ID, 0);
    offset = await store.write(body(data.subarray(offset, 2 * MIB + 7), false, [7_777]), ID, offset);
    offset = await store.write(body(data.subarray(offset), false, [MIB + 1, 5]), ID, offset);
    expect(offset).toBe(data.length);
    expect(readFileSync(store.path(ID)).equals(data)).toBe(true);
    // Bytes changed behind the store's back (never happens) show which hash it answers with.
    writeFileSync(store.path(ID), Buffer.alloc(data.length));
    expect(await store.hashAndSync(ID, data.length)).toBe(sha256(data));
    expect(store.readBacks).toBe(0);
  });

  it('reads the file back when another node wrote part of the upload', async () => {
    const node1 = open();
    const node2 = open();
    let offset = await node1.write(body(data.subarray(0, MIB)), ID, 0);
    offset = await node2.write(body(data.subarray(offset, 2 * MIB)), ID, offset);
    offset = await node1.write(body(data.subarray(offset)), ID, offset);
    expect(offset).toBe(data.length);
    expect(await node1.hashAndSync(ID, data.length)).toBe(sha256(data));
    expect(node1.readBacks).toBe(1);
  });

  it('drops the running hash when a write breaks off mid-file and reads the file back, whatever part reached the disk', async () => {
    const store = open();
    await expect(store.write(body(data.subarray(0, 2 * MIB + 1), true, [300_001]), ID, 0)).rejects.toBeDefined();
    const kept = (await store.getUpload(ID)).offset!;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(2 * MIB + 1);
    const offset = await store.write(body(data.subarray(kept)), ID, kept);
    expect(offset).toBe(data.length);
    expect(await store.hashAndSync(ID, data.length)).toBe(sha256(data));
    expect(store.readBacks).toBe(1);
  });

  it('forgets the running hash of a discarded upload', async () => {
    const store = open();
    await store.write(body(data), ID, 0);
    await store.discard(ID);
    await store.create(new Upload({ id: ID, size: data.length, offset: 0 }));
    const zeros = Buffer.alloc(data.length);
    writeFileSync(store.path(ID), zeros);
    expect(await store.hashAndSync(ID, data.length)).toBe(sha256(zeros));
    expect(store.readBacks).toBe(1);
  });
});
