// An S3 protocol stand-in on node:http for the tests of server/blobs/s3.ts: what that
// adapter is tested against, since no real S3 or MinIO is available here. One path-style
// bucket held in memory, and the operations the adapter uses, answered the way S3 answers
// them: HeadBucket; PutObject (Content-Length required, x-amz-checksum-sha256 and
// Content-MD5 checked: BadDigest); GetObject with Range (206, Content-Range; InvalidRange
// 416); HeadObject (404 without a body); DeleteObject (204, absent or not); multipart
// (CreateMultipartUpload, UploadPart, CompleteMultipartUpload with the 5 MiB minimum for
// all but the last part, AbortMultipartUpload); XML error bodies (NoSuchKey, NoSuchBucket,
// NoSuchUpload, ...). Every request must carry a valid AWS Signature Version 4 for the
// configured key: the signature is recomputed and compared (SignatureDoesNotMatch,
// InvalidAccessKeyId), and a signed payload hash is checked against the body.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { S3Config } from '../../server/config';

export interface S3StandInOptions {
  bucket?: string;
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Smallest part but the last of a multipart upload (S3: 5 MiB). */
  minPartSize?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  status: number;
}

export interface S3StandIn {
  url: string;
  /** The blob store configuration that reaches this stand-in. */
  config: S3Config;
  objects: Map<string, Buffer>;
  requests: RecordedRequest[];
  /** Answers the next `count` requests of `method` with 500 InternalError (an outage). */
  failNext(count: number, method: string): void;
  close(): Promise<void>;
}

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const sha256hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const md5 = (data: Buffer) => createHash('md5').update(data).digest();
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding, as SigV4 wants for query names and values. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

class S3Failure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => done(Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

export async function startS3StandIn(options: S3StandInOptions = {}): Promise<S3StandIn> {
  const bucket = options.bucket ?? 'lemari-blobs';
  const region = options.region ?? 'ap-southeast-3';
  const accessKeyId = options.accessKeyId ?? 'AKIALEMARITEST000001';
  const secretAccessKey = options.secretAccessKey ?? 'lemari-test-secret-key-0000000000000000';
  const minPartSize = options.minPartSize ?? 5 * 1024 * 1024;
  const objects = new Map<string, Buffer>();
  const uploads = new Map<string, { key: string; parts: Map<number, Buffer> }>();
  const requests: RecordedRequest[] = [];
  const failures = new Map<string, number>();

  /** Recomputes the request's SigV4 signature from its parts and compares. */
  function verifySignature(req: IncomingMessage, rawPath: string, rawQuery: string): void {
    const auth = req.headers.authorization ?? '';
    const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
    if (!match) throw new S3Failure(403, 'AccessDenied', 'Missing or malformed AWS Signature Version 4 Authorization header.');
    const [, keyId, date, signedRegion, signedHeaders, signature] = match;
    if (keyId !== accessKeyId) throw new S3Failure(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
    if (!amzDate.startsWith(date) || !payloadHash) throw new S3Failure(400, 'AuthorizationHeaderMalformed', 'x-amz-date and x-amz-content-sha256 are required.');
    const names = signedHeaders.split(';');
    if (!names.includes('host') || !names.includes('x-amz-date')) throw new S3Failure(400, 'AuthorizationHeaderMalformed', 'host and x-amz-date must be signed.');
    const query = rawQuery
      ? rawQuery
          .split('&')
          .map((pair) => {
            const [name, value = ''] = pair.split('=');
            return [uriEncode(decodeURIComponent(name)), uriEncode(decodeURIComponent(value))];
          })
          .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
          .map(([name, value]) => `${name}=${value}`)
          .join('&')
      : '';
    const headerLines = names.map((name) => `${name}:${String(req.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
    const canonical = [req.method, rawPath, query, headerLines, signedHeaders, payloadHash].join('\n');
    const scope = `${date}/${signedRegion}/s3/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256hex(canonical)].join('\n');
    const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), signedRegion), 's3'), 'aws4_request');
    if (hmac(key, toSign).toString('hex') !== signature) {
      throw new S3Failure(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    }
    if (signedRegion !== region) throw new S3Failure(400, 'AuthorizationHeaderMalformed', `the region '${signedRegion}' is wrong; expecting '${region}'`, { Region: region });
  }

  /** The body, after the checks S3 makes of it. */
  async function body(req: IncomingMessage): Promise<Buffer> {
    if (req.headers['transfer-encoding'] && req.headers['content-length'] === undefined) {
      throw new S3Failure(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
    }
    const payloadHash = String(req.headers['x-amz-content-sha256']);
    if (payloadHash.startsWith('STREAMING-')) throw new S3Failure(501, 'NotImplemented', `This stand-in does not take ${payloadHash} bodies.`);
    const data = await readBody(req);
    if (/^[0-9a-f]{64}$/.test(payloadHash) && sha256hex(data) !== payloadHash) {
      throw new S3Failure(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    const checksum = req.headers['x-amz-checksum-sha256'];
    if (checksum !== undefined && createHash('sha256').update(data).digest('base64') !== checksum) {
      throw new S3Failure(400, 'BadDigest', 'The SHA256 you specified did not match the calculated checksum.');
    }
    const contentMd5 = req.headers['content-md5'];
    if (contentMd5 !== undefined && md5(data).toString('base64') !== contentMd5) throw new S3Failure(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
    return data;
  }

  function xml(res: ServerResponse, status: number, content: string): void {
    const text = `<?xml version="1.0" encoding="UTF-8"?>\n${content}`;
    res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  function objectHeaders(data: Buffer): Record<string, string> {
    return { etag: `"${md5(data).toString('hex')}"`, 'last-modified': new Date().toUTCString(), 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream' };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, rawQuery: string): Promise<void> {
    verifySignature(req, path, rawQuery);
    const failing = failures.get(req.method ?? '') ?? 0;
    if (failing > 0) {
      failures.set(req.method ?? '', failing - 1);
      throw new S3Failure(500, 'InternalError', 'We encountered an internal error. Please try again.');
    }
    const [, bucketName = '', ...rest] = path.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    if (decodeURIComponent(bucketName) !== bucket) throw new S3Failure(404, 'NoSuchBucket', 'The specified bucket does not exist.', { BucketName: bucketName });
    if (!key) {
      if (req.method === 'HEAD') return void res.writeHead(200).end();
      throw new S3Failure(405, 'MethodNotAllowed', 'This stand-in answers only HeadBucket on a bucket.');
    }
    const uploadId = query.get('uploadId');
    const upload = uploadId === null ? null : uploads.get(uploadId);
    if (uploadId !== null && (!upload || upload.key !== key)) throw new S3Failure(404, 'NoSuchUpload', 'The specified upload does not exist.', { UploadId: uploadId });

    if (req.method === 'POST' && query.has('uploads')) {
      await body(req);
      const id = randomBytes(16).toString('base64url');
      uploads.set(id, { key, parts: new Map() });
      return xml(res, 200, `<InitiateMultipartUploadResult xmlns="${XMLNS}"><Bucket>${esc(bucket)}</Bucket><Key>${esc(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
    }
    if (req.method === 'PUT' && upload) {
      const number = Number(query.get('partNumber'));
      if (!Number.isInteger(number) || number < 1 || number > 10_000) throw new S3Failure(400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000.');
      const data = await body(req);
      upload.parts.set(number, data);
      return void res.writeHead(200, { etag: `"${md5(data).toString('hex')}"` }).end();
    }
    if (req.method === 'POST' && upload) {
      const listed = [...(await body(req)).toString('utf8').matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map(([, part]) => ({
        number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(part)?.[1]),
        etag: /<ETag>(.*?)<\/ETag>/.exec(part)?.[1]?.replace(/&quot;/g, '"'),
      }));
      if (listed.length === 0) throw new S3Failure(400, 'MalformedXML', 'The XML you provided was not well-formed.');
      const chosen = listed.map(({ number, etag }, i) => {
        const data = upload.parts.get(number);
        if (!data || etag !== `"${md5(data).toString('hex')}"`) throw new S3Failure(400, 'InvalidPart', `Part ${number} was not uploaded or its ETag differs.`);
        if (i > 0 && number <= listed[i - 1].number) throw new S3Failure(400, 'InvalidPartOrder', 'The list of parts was not in ascending order.');
        if (i < listed.length - 1 && data.length < minPartSize) throw new S3Failure(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.');
        return data;
      });
      const data = Buffer.concat(chosen);
      objects.set(key, data);
      uploads.delete(uploadId!);
      const etag = `"${md5(Buffer.concat(chosen.map(md5))).toString('hex')}-${chosen.length}"`;
      return xml(res, 200, `<CompleteMultipartUploadResult xmlns="${XMLNS}"><Bucket>${esc(bucket)}</Bucket><Key>${esc(key)}</Key><ETag>${esc(etag)}</ETag></CompleteMultipartUploadResult>`);
    }
    if (req.method === 'DELETE' && upload) {
      uploads.delete(uploadId!);
      return void res.writeHead(204).end();
    }
    if (req.method === 'PUT') {
      if (req.headers['content-length'] === undefined) throw new S3Failure(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
      const data = await body(req);
      objects.set(key, data);
      return void res.writeHead(200, { etag: objectHeaders(data).etag }).end();
    }
    if (req.method === 'DELETE') {
      objects.delete(key);
      return void res.writeHead(204).end();
    }
    const data = objects.get(key);
    if (req.method === 'HEAD') {
      if (!data) return void res.writeHead(404).end(); // HEAD answers carry no body
      return void res.writeHead(200, { ...objectHeaders(data), 'content-length': data.length }).end();
    }
    if (req.method === 'GET') {
      if (!data) throw new S3Failure(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
      const range = req.headers.range;
      if (range === undefined) return void res.writeHead(200, { ...objectHeaders(data), 'content-length': data.length }).end(data);
      const m = /^bytes=(\d*)-(\d*)$/.exec(range);
      let start = m?.[1] ? Number(m[1]) : NaN;
      let end = m?.[2] ? Number(m[2]) : data.length - 1;
      if (m && !m[1] && m[2]) [start, end] = [Math.max(0, data.length - Number(m[2])), data.length - 1];
      if (!m || Number.isNaN(start) || start >= data.length || end < start) {
        throw new S3Failure(416, 'InvalidRange', 'The requested range is not satisfiable', { ActualObjectSize: String(data.length) });
      }
      end = Math.min(end, data.length - 1);
      const slice = data.subarray(start, end + 1);
      return void res
        .writeHead(206, { ...objectHeaders(data), 'content-length': slice.length, 'content-range': `bytes ${start}-${end}/${data.length}` })
        .end(slice);
    }
    throw new S3Failure(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const rawPath = (req.url ?? '/').split('?')[0];
    const rawQuery = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1) : '';
    const record: RecordedRequest = { method: req.method ?? '', path: decodeURIComponent(url.pathname), query: url.searchParams, headers: req.headers, status: 0 };
    requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    handle(req, res, rawPath, url.searchParams, rawQuery).catch((error: unknown) => {
      req.resume(); // a refused request's body is drained, as S3 does
      if (res.headersSent) return void res.destroy();
      const failure = error instanceof S3Failure ? error : new S3Failure(500, 'InternalError', (error as Error).message);
      if (req.method === 'HEAD') return void res.writeHead(failure.status).end();
      const extra = Object.entries(failure.extra).map(([name, value]) => `<${name}>${esc(value)}</${name}>`).join('');
      xml(res, failure.status, `<Error><Code>${failure.code}</Code><Message>${esc(failure.message)}</Message>${extra}<RequestId>${randomBytes(8).toString('hex')}</RequestId></Error>`);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    config: { endpoint: url, region, bucket, accessKeyId, secretAccessKey, forcePathStyle: true },
    objects,
    requests,
    failNext: (count, method) => failures.set(method, count),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
