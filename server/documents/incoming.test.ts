// BodyReader: a body in chunks of any size read back as pieces of the sizes asked for, in
// order, whatever the chunk boundaries; a body that ends, or fails, before a piece does is
// invalid_input for that piece. receive: a file is left only for bytes that hash as declared.
// byteCount: a Content-Length or manifest length, a whole number and nothing else.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DmsError } from '../http/errors';
import { BodyReader, byteCount, receive } from './incoming';

async function* chunks(...parts: (string | Error)[]): AsyncGenerator<Buffer> {
  for (const part of parts) {
    if (part instanceof Error) throw part;
    yield Buffer.from(part);
  }
}

const text = async (pieces: AsyncIterable<Buffer>) => {
  const parts: Buffer[] = [];
  for await (const part of pieces) parts.push(part);
  return Buffer.concat(parts).toString();
};

describe('BodyReader', () => {
  it('cuts the body into pieces across chunk boundaries, skipping and streaming as asked', async () => {
    const body = new BodyReader(chunks('{"a":1}ab', 'cdef', '', 'gh', 'ijk'));
    expect((await body.bytes(7)).toString()).toBe('{"a":1}');
    expect(await text(body.piece(3))).toBe('abc');
    await body.skip(3);
    expect(await text(body.piece(0))).toBe('');
    expect((await body.bytes(4)).toString()).toBe('ghij');
    expect((await body.bytes(1)).toString()).toBe('k');
  });

  it('fails the piece the body ends in, or breaks in, with invalid_input', async () => {
    const short = new BodyReader(chunks('abc'));
    expect((await short.bytes(2)).toString()).toBe('ab');
    await expect(short.skip(2)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/ended before Content-Length/) });
    const broken = new BodyReader(chunks('abc', new Error('aborted')));
    await expect(text(broken.piece(5))).rejects.toBeInstanceOf(DmsError);
  });
});

describe('receive', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const target = () => {
    const dir = mkdtempSync(join(tmpdir(), 'lemari-receive-'));
    dirs.push(dir);
    return join(dir, 'in');
  };
  const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  async function* pieces(bytes: Buffer, size: number, fail?: Error): AsyncGenerator<Buffer> {
    for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
    if (fail) throw fail;
  }

  it('keeps bytes that hash as declared, small or written in several goes, and answers their first bytes', async () => {
    for (const bytes of [Buffer.from('%PDF-1.7 small'), randomBytes(2.5 * 1024 * 1024), Buffer.alloc(0)]) {
      const path = target();
      expect(await receive(pieces(bytes, 65_536), path, bytes.length, sha(bytes))).toEqual(bytes.subarray(0, 8));
      expect(readFileSync(path).equals(bytes)).toBe(true);
    }
  });

  it('leaves no file for a mismatch, a body shorter than announced, or one that breaks off', async () => {
    const bytes = randomBytes(1.5 * 1024 * 1024);
    const cases: [AsyncIterable<Buffer>, number, string, string][] = [
      [pieces(bytes, 65_536), bytes.length, sha(randomBytes(8)), 'checksum_mismatch'],
      [pieces(bytes, 65_536), bytes.length + 1, sha(bytes), 'invalid_input'],
      [pieces(bytes, 65_536, new Error('aborted')), bytes.length * 2, sha(bytes), 'invalid_input'],
    ];
    for (const [body, size, declared, code] of cases) {
      const path = target();
      await expect(receive(body, path, size, declared)).rejects.toMatchObject({ code });
      expect(existsSync(path), code).toBe(false);
    }
  });
});

describe('byteCount', () => {
  it('reads a whole number of bytes and nothing else', () => {
    expect(byteCount('0')).toBe(0);
    expect(byteCount(' 1024 ')).toBe(1024);
    for (const bad of [undefined, '', 'abc', '-1', '1.5', '1e3', '9999999999999999', ['1', '2']]) expect(byteCount(bad), String(bad)).toBeNull();
  });
});
