// A small tus 1.0 client for the upload tests: creation, HEAD and PATCH over fetch, and a
// PATCH over node:http whose body the test feeds (and cuts) chunk by chunk.
import { createHash } from 'node:crypto';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export interface TusAnswer {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- error bodies of many shapes
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export function metadataHeader(meta: Record<string, string | null>): string {
  return Object.entries(meta)
    .map(([key, value]) => (value === null ? key : `${key} ${b64(value)}`))
    .join(',');
}

async function answer(res: Response): Promise<TusAnswer> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, body };
}

export class TusClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string | null,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { 'tus-resumable': '1.0.0', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra };
  }

  /** POST /v1/uploads; `location` is the upload's absolute URL when created. */
  async create(p: { size: number | null; metadata: Record<string, string | null>; headers?: Record<string, string> }): Promise<TusAnswer & { url: string | null }> {
    const headers = this.headers({
      ...(p.size === null ? { 'upload-defer-length': '1' } : { 'upload-length': String(p.size) }),
      ...(Object.keys(p.metadata).length ? { 'upload-metadata': metadataHeader(p.metadata) } : {}),
      ...p.headers,
    });
    const res = await answer(await fetch(`${this.baseUrl}/v1/uploads`, { method: 'POST', headers }));
    const location = res.headers.get('location');
    return { ...res, url: location ? new URL(location, this.baseUrl).href : null };
  }

  /** Creates an upload of `bytes` with their true SHA-256 (or the one given). */
  async start(bytes: Buffer, p: { filename?: string; sha256?: string } = {}): Promise<string> {
    const res = await this.create({ size: bytes.length, metadata: { filename: p.filename ?? 'scan.pdf', sha256: p.sha256 ?? sha256(bytes) } });
    if (res.status !== 201 || !res.url) throw new Error(`creation failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.url;
  }

  async head(url: string): Promise<TusAnswer> {
    return answer(await fetch(url, { method: 'HEAD', headers: this.headers() }));
  }

  async offset(url: string): Promise<number> {
    const res = await this.head(url);
    if (res.status !== 200) throw new Error(`HEAD ${url}: ${res.status}`);
    return Number(res.headers.get('upload-offset'));
  }

  async patch(url: string, offset: number, bytes: Buffer, headers: Record<string, string> = {}): Promise<TusAnswer> {
    return answer(
      await fetch(url, {
        method: 'PATCH',
        headers: this.headers({ 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream', ...headers }),
        body: Uint8Array.from(bytes),
      }),
    );
  }

  /** Uploads `bytes` in PATCHes of `chunk` bytes from the server's offset; the last answer. */
  async send(url: string, bytes: Buffer, chunk = 64 * 1024): Promise<TusAnswer> {
    let offset = await this.offset(url);
    for (;;) {
      const last = await this.patch(url, offset, bytes.subarray(offset, Math.min(bytes.length, offset + chunk)));
      offset = Number(last.headers.get('upload-offset'));
      if (last.status !== 204 || offset >= bytes.length) return last;
    }
  }

  /**
   * Starts a PATCH of `total` bytes whose body the caller writes; `answer` settles when the
   * server answers (or rejects when the connection is cut).
   */
  openPatch(url: string, offset: number, total: number): { req: ClientRequest; answer: Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> } {
    const req = request(url, {
      method: 'PATCH',
      headers: this.headers({ 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream', 'content-length': String(total) }),
    });
    const answered = new Promise<{ status: number; headers: IncomingMessage['headers']; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
    });
    req.flushHeaders();
    return { req, answer: answered };
  }
}

/** Polls `probe` until it returns true (or throws after `ms`). */
export async function eventually(probe: () => Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
