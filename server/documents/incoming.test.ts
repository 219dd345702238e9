// BodyReader: a body in chunks of any size read back as pieces of the sizes asked for, in
// order, whatever the chunk boundaries; a body that ends, or fails, before a piece does is
// invalid_input for that piece.
import { describe, expect, it } from 'vitest';
import { DmsError } from '../http/errors';
import { BodyReader } from './incoming';

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
