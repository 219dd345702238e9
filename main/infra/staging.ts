// Files a browser uploads before a contract call names them (the browser host cannot hand
// main a path). Each upload is a file in <dataDir>/staging named by a random id; it is
// removed after use and swept when stale.

import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';

const ID = /^[a-f0-9]{32}$/;

export class StagingArea {
  constructor(readonly dir: string) {}

  async init(): Promise<this> {
    await mkdir(this.dir, { recursive: true });
    return this;
  }

  /** Streams a body into a new staged file, stopping at maxBytes; returns its id. */
  async receive(body: Readable, maxBytes: number): Promise<{ id: string; size: number }> {
    const id = randomBytes(16).toString('hex');
    const path = join(this.dir, id);
    let size = 0;
    const counter = async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        size += chunk.length;
        if (size > maxBytes) throw new RangeError(`upload exceeds ${maxBytes} bytes`);
        yield chunk;
      }
    };
    try {
      await pipeline(body, counter, createWriteStream(path, { mode: 0o600 }));
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    return { id, size };
  }

  pathOf(id: string): string | null {
    return ID.test(id) ? join(this.dir, id) : null;
  }

  async remove(id: string): Promise<void> {
    const path = this.pathOf(id);
    if (path) await rm(path, { force: true });
  }

  /** Removes uploads older than maxAgeMs (left by a closed tab or a crash). */
  async sweep(now: number, maxAgeMs: number): Promise<void> {
    for (const name of await readdir(this.dir)) {
      const path = join(this.dir, name);
      const info = await stat(path).catch(() => null);
      if (info && now - info.mtimeMs > maxAgeMs) await rm(path, { force: true });
    }
  }
}
