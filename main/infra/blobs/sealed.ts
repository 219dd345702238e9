// The at-rest format of an encrypted blob: a header ("LMB1" + a random 12-byte nonce) then
// the content in 64 KiB chunks, each sealed with AES-256-GCM under its own nonce and
// authenticated with its index and whether it is the last one, so chunks cannot be
// reordered, dropped or the file cut short unnoticed. Chunks make a byte range readable
// without decrypting the whole file (the viewer asks for ranges).

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const MAGIC = Buffer.from('LMB1');
export const NONCE_BYTES = 12;
export const HEADER_BYTES = MAGIC.length + NONCE_BYTES;
export const CHUNK_BYTES = 64 * 1024;
export const TAG_BYTES = 16;
const SEALED_CHUNK = CHUNK_BYTES + TAG_BYTES;

export class SealedBlobError extends Error {}

function chunkNonce(base: Buffer, index: number): Buffer {
  const nonce = Buffer.from(base);
  nonce.writeUInt32BE((nonce.readUInt32BE(NONCE_BYTES - 4) ^ index) >>> 0, NONCE_BYTES - 4);
  return nonce;
}

function chunkAad(index: number, last: boolean): Buffer {
  const aad = Buffer.alloc(5);
  aad.writeUInt32BE(index, 0);
  aad[4] = last ? 1 : 0;
  return aad;
}

/** How many chunks hold `plainSize` bytes (an empty blob still has one, to seal its end). */
export function chunkCount(plainSize: number): number {
  return Math.max(1, Math.ceil(plainSize / CHUNK_BYTES));
}

export function sealedSize(plainSize: number): number {
  return HEADER_BYTES + plainSize + chunkCount(plainSize) * TAG_BYTES;
}

/** The content size of a sealed file of `fileSize` bytes. */
export function plainSizeOf(fileSize: number): number {
  const body = fileSize - HEADER_BYTES;
  if (body < TAG_BYTES) throw new SealedBlobError('sealed blob too short');
  const chunks = Math.ceil(body / SEALED_CHUNK);
  return body - chunks * TAG_BYTES;
}

/**
 * The sealed file as its pieces in order (header, then each chunk's ciphertext and tag),
 * for a vectored write: concatenated, they would be one more copy of the whole blob.
 */
export function sealedParts(key: Buffer, plain: Uint8Array, random: (n: number) => Buffer = randomBytes): Buffer[] {
  const nonce = random(NONCE_BYTES);
  const count = chunkCount(plain.length);
  const parts: Buffer[] = [MAGIC, nonce];
  for (let i = 0; i < count; i++) {
    const cipher = createCipheriv('aes-256-gcm', key, chunkNonce(nonce, i));
    cipher.setAAD(chunkAad(i, i === count - 1));
    parts.push(cipher.update(plain.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES)));
    const rest = cipher.final(); // empty for GCM, kept should that ever change
    if (rest.length > 0) parts.push(rest);
    parts.push(cipher.getAuthTag());
  }
  return parts;
}

export function readHeader(header: Buffer): Buffer {
  if (header.length < HEADER_BYTES || !header.subarray(0, MAGIC.length).equals(MAGIC)) throw new SealedBlobError('not a sealed blob');
  return header.subarray(MAGIC.length, HEADER_BYTES);
}

/** Where chunk `index` sits in the file, and how long it is sealed. */
export function chunkSpan(index: number, plainSize: number): { offset: number; length: number } {
  const plainLength = Math.min(CHUNK_BYTES, plainSize - index * CHUNK_BYTES);
  return { offset: HEADER_BYTES + index * SEALED_CHUNK, length: Math.max(0, plainLength) + TAG_BYTES };
}

export function openChunk(key: Buffer, nonce: Buffer, index: number, count: number, sealed: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, chunkNonce(nonce, index));
  decipher.setAAD(chunkAad(index, index === count - 1));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    const plain = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
    const rest = decipher.final(); // empty for GCM: no copy of the chunk to join it
    return rest.length === 0 ? plain : Buffer.concat([plain, rest]);
  } catch {
    throw new SealedBlobError(`chunk ${index} failed authentication`);
  }
}
