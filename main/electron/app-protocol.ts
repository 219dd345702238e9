// The app:// request handler: the built renderer's files and a document's PDF bytes and
// thumbnail, as fetch Responses. It uses only web and Node APIs, not Electron, so tests
// drive it with plain Request objects; index.ts hands it to protocol.handle.

import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { AppError, type ErrorCode } from '../../common/errors';
import type { Logger } from '../api';
import type { Session } from '../access';
import { contentTypeFor, parseRange } from '../shells/http';
import { routeAppUrl } from './app-url';
import { DOCUMENT_HEADERS, RENDERER_HEADERS } from './csp';

/** The part of the profile app:// reads document bytes from. */
export interface DocumentSource {
  documentContent(id: number, session: Session): Promise<{ size: number; stream(range?: { start: number; end: number }): NodeJS.ReadableStream }>;
  thumbnail(id: number, session: Session): Promise<Buffer | null>;
}

export interface AppProtocolOptions {
  /** Absolute path of the built renderer (out/renderer). */
  rendererDir: string;
  documents: DocumentSource;
  /** Read per request: the window's session, whose user can change while the window stays open. */
  session: () => Session;
  logger: Logger;
}

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  not_found: 404,
  forbidden: 403,
  unauthenticated: 401,
  invalid_input: 400,
};

function empty(status: number, headers: Record<string, string> = {}): Response {
  return new Response(null, { status, headers: { ...DOCUMENT_HEADERS, ...headers } });
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR';
}

type Body = ConstructorParameters<typeof Response>[0];

function toBody(stream: NodeJS.ReadableStream): Body {
  const readable = stream instanceof Readable ? stream : Readable.from(stream);
  // When the renderer aborts a fetch (pdf.js does, for ranges it no longer needs), the web
  // stream is cancelled and toWeb destroys the file stream with it.
  return Readable.toWeb(readable);
}

export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  const { rendererDir, documents, session, logger } = options;

  async function serveFile(path: string, fallback: string | null, head: boolean): Promise<Response> {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if (!isMissing(error)) throw error;
      if (fallback === null) return empty(404);
      return serveFile(fallback, null, head);
    }
    return new Response(head ? null : new Uint8Array(bytes), {
      status: 200,
      headers: { ...RENDERER_HEADERS, 'Content-Type': contentTypeFor(path), 'Content-Length': String(bytes.length) },
    });
  }

  async function serveContent(id: number, request: Request, head: boolean): Promise<Response> {
    const content = await documents.documentContent(id, session());
    const range = parseRange(request.headers.get('range'), content.size);
    const headers: Record<string, string> = { 'Content-Type': 'application/pdf', 'Accept-Ranges': 'bytes' };
    if (range.kind === 'unsatisfiable') return empty(416, { ...headers, 'Content-Range': `bytes */${content.size}` });
    if (range.kind === 'partial') {
      const length = range.end - range.start + 1;
      return new Response(head ? null : toBody(content.stream({ start: range.start, end: range.end })), {
        status: 206,
        headers: { ...DOCUMENT_HEADERS, ...headers, 'Content-Range': `bytes ${range.start}-${range.end}/${content.size}`, 'Content-Length': String(length) },
      });
    }
    return new Response(head ? null : toBody(content.stream()), {
      status: 200,
      headers: { ...DOCUMENT_HEADERS, ...headers, 'Content-Length': String(content.size) },
    });
  }

  async function serveThumbnail(id: number, head: boolean): Promise<Response> {
    const png = await documents.thumbnail(id, session());
    if (!png) return empty(404);
    return new Response(head ? null : new Uint8Array(png), {
      status: 200,
      headers: { ...DOCUMENT_HEADERS, 'Content-Type': 'image/png', 'Content-Length': String(png.length) },
    });
  }

  return async (request) => {
    const head = request.method === 'HEAD';
    if (request.method !== 'GET' && !head) return empty(405, { Allow: 'GET, HEAD' });
    const route = routeAppUrl(request.url, rendererDir);
    try {
      switch (route.kind) {
        case 'forbidden':
          return empty(403);
        case 'not-found':
          return empty(404);
        case 'file':
          return await serveFile(route.path, route.fallback, head);
        case 'document-content':
          return await serveContent(route.id, request, head);
        case 'document-thumbnail':
          return await serveThumbnail(route.id, head);
      }
    } catch (error) {
      if (error instanceof AppError) return empty(STATUS_OF[error.code] ?? 500);
      logger.error(`app:// ${request.method} ${request.url} failed`, error);
      return empty(500);
    }
  };
}
