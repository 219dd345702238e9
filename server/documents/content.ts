// A document's bytes: what type they are (from their first bytes, not from the name a
// client gave), and the download, streamed from the blob store with one HTTP range,
// an ETag that is the SHA-256 (so If-None-Match and If-Range need no extra state).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BlobStore } from '../blobs';
import { DmsError } from '../http/errors';
import { parseRange } from '../../common/http-range';

const SIGNATURES: [string, number[]][] = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/tiff', [0x49, 0x49, 0x2a, 0x00]],
  ['image/tiff', [0x4d, 0x4d, 0x00, 0x2a]],
];

export async function sniffContentType(blobs: BlobStore, key: string, size: number): Promise<string> {
  if (size === 0) return 'application/octet-stream';
  const chunks: Buffer[] = [];
  for await (const chunk of await blobs.read(key, { start: 0, end: Math.min(size, 8) - 1 })) chunks.push(chunk as Buffer);
  return contentTypeOf(Buffer.concat(chunks));
}

/** The type of bytes that begin with `head` (at least their first 8 bytes, when they have that many). */
export function contentTypeOf(head: Uint8Array): string {
  if (head.length === 0) return 'application/octet-stream';
  return SIGNATURES.find(([, magic]) => magic.every((byte, i) => head[i] === byte))?.[0] ?? 'application/octet-stream';
}

export interface Content {
  sha256: string;
  size: number;
  blobKey: string;
  contentType: string;
  fileName: string;
}

/** RFC 6266 / 8187: an ASCII fallback and the UTF-8 name, so no header injection and no mojibake. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export async function sendContent(blobs: BlobStore, content: Content, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const etag = `"${content.sha256}"`;
  const noneMatch = request.headers['if-none-match'];
  const common = { etag, 'accept-ranges': 'bytes', 'cache-control': 'private, no-cache' };
  if (noneMatch && noneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    return reply.code(304).headers(common).send();
  }
  const ifRange = request.headers['if-range'];
  const range = ifRange !== undefined && ifRange !== etag ? { kind: 'full' as const } : parseRange(request.headers.range, content.size);
  if (range.kind === 'unsatisfiable') {
    throw new DmsError('range_not_satisfiable', `The range lies outside the content (${content.size} bytes).`, { size: content.size }, { 'content-range': `bytes */${content.size}` });
  }
  const partial = range.kind === 'partial' ? range : null;
  reply.headers({ ...common, 'content-type': content.contentType, 'content-disposition': contentDisposition(content.fileName) });
  if (partial) {
    reply.code(206).headers({ 'content-range': `bytes ${partial.start}-${partial.end}/${content.size}`, 'content-length': partial.end - partial.start + 1 });
  } else {
    reply.code(200).header('content-length', content.size);
  }
  // HEAD is routed here too; Fastify sends its headers and discards the stream.
  return reply.send(await blobs.read(content.blobKey, partial ?? undefined));
}
