// The tus 1.0 endpoint at /v1/uploads: @tus/server mounted inside Fastify. The routes
// live in their own Fastify scope whose only content-type parser leaves the body unread,
// so the request stream reaches tus untouched (a PATCH may carry gigabytes). Each request
// is authenticated like every other API route before tus sees it, and must concern an
// upload of the caller's instansi. Every error, tus's own included, leaves in the API's
// JSON error shape with a code from common/dms/errors.ts, so the workstation's client
// reads tus failures the way it reads any other.
//
// Supported: creation (Upload-Length required, at most config.maxUploadBytes), creation
// with upload, HEAD, PATCH. Not offered: deferred length, concatenation, termination
// (an abandoned upload expires), GET of an upload's bytes (documents are read through
// the documents routes), and CORS (the clients are workstations, not browsers).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ERRORS, Server, StreamLimiter, type CancellationContext, type DataStore, type ServerOptions, type Upload } from '@tus/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NodeRequest } from 'srvx/node';
import type { DmsErrorCode } from '../../common/dms/errors';
import { TUS_PATH, TUS_VERSION } from '../../common/dms/uploads';
import { authenticate, type Principal } from '../auth/tokens';
import type { ServerDeps } from '../deps';
import { DmsError } from '../http/errors';
import type { UploadService } from './service';

type TusError = { status_code: number; body: string };

/** tus's own errors, in the API's words. */
function tusErrors(maxBytes: number): Map<TusError, DmsError> {
  const e = (code: DmsErrorCode, message: string, details?: Record<string, unknown>) => new DmsError(code, message, details);
  return new Map<TusError, DmsError>([
    [ERRORS.MISSING_OFFSET, e('invalid_input', 'PATCH needs an Upload-Offset header.')],
    [ERRORS.INVALID_CONTENT_TYPE, e('unsupported_media_type', 'PATCH needs Content-Type: application/offset+octet-stream.')],
    [ERRORS.FILE_NOT_FOUND, e('not_found', 'No such upload.')],
    [ERRORS.FILE_NO_LONGER_EXISTS, e('upload_gone', 'The bytes of this upload are gone; upload the file again.')],
    [ERRORS.INVALID_OFFSET, e('conflict', "Upload-Offset is not the upload's offset: ask with HEAD and resume there.")],
    [ERRORS.ERR_SIZE_EXCEEDED, e('payload_too_large', "More bytes than the upload's Upload-Length.")],
    [ERRORS.ERR_MAX_SIZE_EXCEEDED, e('payload_too_large', `An upload may have at most ${maxBytes} bytes.`, { maxBytes })],
    [ERRORS.INVALID_LENGTH, e('invalid_input', 'Upload-Length is required.')],
    [ERRORS.UNSUPPORTED_CREATION_DEFER_LENGTH_EXTENSION, e('invalid_input', 'Upload-Length is required (deferred length is not supported).')],
    [ERRORS.INVALID_METADATA, e('invalid_input', 'Upload-Metadata is malformed: comma-separated "key base64value" pairs.')],
    [ERRORS.UNSUPPORTED_CONCATENATION_EXTENSION, e('invalid_input', 'Upload-Concat is not supported.')],
    [ERRORS.ERR_LOCK_TIMEOUT, e('conflict', 'Another request is still writing this upload; try again shortly.')],
    [ERRORS.ABORTED, e('conflict', 'This request was ended because another request took over the upload.')],
  ]);
}

/** An error answer tus wrote itself (not thrown), by its status. */
function fromStatus(status: number, text: string): DmsError {
  if (status === 412) return new DmsError('unsupported_tus_version', `This server speaks tus ${TUS_VERSION}.`);
  if (status === 404) return new DmsError('not_found', 'No such upload.');
  if (/content-type/i.test(text)) return new DmsError('unsupported_media_type', 'PATCH needs Content-Type: application/offset+octet-stream.');
  if (status === 413) return new DmsError('payload_too_large', text.trim() || 'Too large.');
  if (status >= 500) return new DmsError('internal', 'Internal server error.');
  return new DmsError('invalid_input', text.trim() || `Bad tus request (${status}).`);
}

/** Writes a tus answer on the raw response; error bodies become the API's JSON. */
async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  let body: Buffer | null = response.body ? Buffer.from(await response.arrayBuffer()) : null;
  let status = response.status;
  if (status >= 400) {
    const text = body?.toString('utf8') ?? '';
    if (!text.startsWith('{"error"')) {
      const error = fromStatus(status, text);
      status = error.status;
      body = Buffer.from(JSON.stringify(error.body()));
    }
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  if (body) headers['content-length'] = String(body.length);
  res.writeHead(status, headers);
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** The Node request behind a request srvx adapted for tus. */
function nodeRequestOf(req: Request): IncomingMessage | undefined {
  return (req as { runtime?: { node?: { req: IncomingMessage } } }).runtime?.node?.req;
}

/**
 * tus's PATCH handler, reading the body straight from the socket. tus takes a body as a
 * web ReadableStream, so the Node request went through two adapters (srvx's
 * Readable.toWeb, then tus's Readable.fromWeb) for every 64 KiB that arrived: about a
 * sixth of the server's CPU per uploaded byte (docs/PERFORMANCE.md, server-upload).
 * Everything else is tus's own (offsets, locks, hooks, answers). The body step keeps
 * tus's semantics: an error of the request ends the write as ABORTED without destroying
 * the request, and a request asked to let its lock go stops at the bytes it has (they
 * count; the next request resumes after them). It overrides the protected writeToStore
 * of @tus/server 2.x; the integration tests cover PATCH, resume and lock hand-over.
 */
function directPatchHandler(tus: Server, datastore: DataStore): Server['handlers']['PATCH'] {
  type PatchHandler = Server['handlers']['PATCH'];
  const TusPatchHandler = tus.handlers.PATCH.constructor as new (store: DataStore, options: ServerOptions) => PatchHandler;
  const bodies = new WeakMap<CancellationContext, IncomingMessage>();

  class DirectPatchHandler extends TusPatchHandler {
    override async send(req: Request, context: CancellationContext, headers?: Headers): Promise<Response> {
      const body = nodeRequestOf(req);
      if (body) bodies.set(context, body);
      return super.send(req, context, headers);
    }

    protected override async writeToStore(_webStream: ReadableStream | null, upload: Upload, maxFileSize: number, context: CancellationContext): Promise<number> {
      const body = bodies.get(context);
      if (!body) throw new Error('PATCH without its Node request');
      if (context.signal.aborted) throw ERRORS.ABORTED;
      // The proxy ends the write without ending the request (whose socket may serve the next one).
      const proxy = new PassThrough();
      let sourceError: unknown;
      const onError = (error: unknown) => {
        sourceError = error;
        body.unpipe(proxy);
        if (!context.signal.aborted) proxy.destroy(error as Error);
      };
      const onAbort = () => {
        body.unpipe(proxy);
        if (!proxy.destroyed) proxy.end();
      };
      body.on('error', onError);
      context.signal.addEventListener('abort', onAbort, { once: true });
      try {
        const limiter = new StreamLimiter(maxFileSize);
        // The last step gets the limiter itself (pipeline hands a stream step's output as is).
        return await pipeline(body.pipe(proxy), limiter, () => datastore.write(limiter, upload.id, upload.offset ?? 0));
      } catch (error) {
        body.unpipe(proxy);
        throw (sourceError !== undefined && error === sourceError) || (error instanceof Error && error.name === 'AbortError') ? ERRORS.ABORTED : error;
      } finally {
        body.off('error', onError);
        context.signal.removeEventListener('abort', onAbort);
      }
    }
  }
  return new DirectPatchHandler(datastore, tus.options);
}

export async function mountTus(app: FastifyInstance, deps: ServerDeps, service: UploadService): Promise<void> {
  const principals = new WeakMap<object, Principal>();
  const known = tusErrors(deps.config.maxUploadBytes);
  const principalOf = (req: object) => {
    const principal = principals.get(req);
    if (!principal) throw new DmsError('unauthenticated', 'This route needs an access token (Authorization: Bearer).');
    return principal;
  };

  const tus = new Server({
    path: TUS_PATH,
    datastore: service.store,
    locker: service.locker,
    maxSize: deps.config.maxUploadBytes,
    relativeLocation: true,
    allowedOrigins: () => false,
    namingFunction: () => randomBytes(16).toString('hex'),
    onUploadCreate: async (req, upload: Upload) => {
      await service.create(principalOf(req), upload);
      return {};
    },
    onUploadFinish: async (_req, upload: Upload) => {
      await service.finish(upload.id);
      return {};
    },
    onResponseError: (req, error) => {
      const mapped = error instanceof DmsError ? error : known.get(error as TusError);
      if (mapped) return { status_code: mapped.status, body: JSON.stringify(mapped.body()) };
      deps.log.error({ err: error, method: req.method, url: req.url }, 'tus request failed');
      return { status_code: 500, body: JSON.stringify(new DmsError('internal', 'Internal server error.').body()) };
    },
  });
  tus.handlers.PATCH = directPatchHandler(tus, service.store);

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = await authenticate(deps.db, deps.signer, request.headers.authorization);
    if (request.method !== 'OPTIONS' && request.headers['tus-resumable'] !== TUS_VERSION) {
      throw new DmsError('unsupported_tus_version', `This server speaks tus ${TUS_VERSION} (Tus-Resumable header).`, undefined, { 'Tus-Version': TUS_VERSION });
    }
    const { id } = request.params as { id?: string };
    if (id !== undefined) await service.checkTusAccess(principal, id, request.method === 'PATCH');
    reply.hijack();
    const raw = reply.raw;
    try {
      const req = new NodeRequest({ req: request.raw as IncomingMessage, res: raw });
      // A PATCH body is read from the Node request (directPatchHandler): no web stream may start reading it first.
      if (request.method === 'PATCH') Object.defineProperty(req, 'body', { value: null });
      principals.set(req, principal);
      await send(raw, await tus.handleWeb(req));
    } catch (error) {
      request.log.error({ err: error }, 'tus request failed outside tus');
      if (!raw.headersSent) {
        raw.writeHead(500, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
        raw.end(JSON.stringify(new DmsError('internal', 'Internal server error.').body()));
      } else {
        raw.destroy();
      }
    }
  };

  await app.register(async (scope) => {
    // tus reads the body itself, as a stream: no parser may buffer it first.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    scope.route({ method: ['POST', 'OPTIONS'], url: TUS_PATH, handler: handle });
    scope.route({ method: ['HEAD', 'PATCH', 'OPTIONS'], url: `${TUS_PATH}/:id`, handler: handle });
  });
}
