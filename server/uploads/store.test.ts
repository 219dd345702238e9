// The upload store's SHA-256: taken while the bytes are written when one store saw them
// all in order, read back from the file whenever it did not (another node appended, a
// write broke off), and in both cases the hash of what the file holds.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Upload } from '@tus/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UploadStore } from './store';

const hooks = { progressed: async () => {}, finished: async () => null };
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const ID = 'a'.repeat(32);

/** A request body that sends `bytes` in pieces, then fails (a cut connection) if asked to. */
function body(bytes: Buffer, failAfter = false): Readable {
  const pieces = [bytes.subarray(0, bytes.length / 2), bytes.subarray(bytes.length / 2)];
  return new Readable({
    read() {
      const next = pieces.shift();
      if (next) this.push(next);
      else if (failAfter) this.destroy(new Error('connection reset'));
      else this.push(null);
    },
  });
}

describe('UploadStore', () => {
  let dir: string;
  const data = randomBytes(96 * 1024);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lemari-upload-store-'));
    await new UploadStore(dir, hooks).create(new Upload({ id: ID, size: data.length, offset: 0 }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('hashes the bytes as it writes them: finishing does not read the file back', async () => {
    const store = new UploadStore(dir, hooks);
    let offset = await store.write(body(data.subarray(0, 32 * 1024)), ID, 0);
    offset = await store.write(body(data.subarray(offset)), ID, offset);
    expect(offset).toBe(data.length);
    // Bytes changed behind the store's back (never happens) show which hash it answers with.
    writeFileSync(store.path(ID), Buffer.alloc(data.length));
    expect(await store.hashAndSync(ID, data.length)).toBe(sha256(data));
  });

  it('reads the file back when another node wrote part of the upload', async () => {
    const node1 = new UploadStore(dir, hooks);
    const node2 = new UploadStore(dir, hooks);
    let offset = await node1.write(body(data.subarray(0, 32 * 1024)), ID, 0);
    offset = await node2.write(body(data.subarray(offset, 64 * 1024)), ID, offset);
    offset = await node1.write(body(data.subarray(offset)), ID, offset);
    expect(offset).toBe(data.length);
    expect(await node1.hashAndSync(ID, data.length)).toBe(sha256(data));
  });

  it('reads the file back after a write that broke off, whatever part of it reached the disk', async () => {
    const store = new UploadStore(dir, hooks);
    await expect(store.write(body(data.subarray(0, 64 * 1024), true), ID, 0)).rejects.toBeDefined();
    const kept = (await store.getUpload(ID)).offset!;
    const offset = await store.write(body(data.subarray(kept)), ID, kept);
    expect(offset).toBe(data.length);
    expect(await store.hashAndSync(ID, data.length)).toBe(sha256(data));
  });

  it('forgets the running hash of a discarded upload', async () => {
    const store = new UploadStore(dir, hooks);
    await store.write(body(data), ID, 0);
    await store.discard(ID);
    await store.create(new Upload({ id: ID, size: data.length, offset: 0 }));
    const zeros = Buffer.alloc(data.length);
    writeFileSync(store.path(ID), zeros);
    expect(await store.hashAndSync(ID, data.length)).toBe(sha256(zeros));
  });
});
