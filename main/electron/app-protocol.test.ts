import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../common/errors';
import { newSession, type Session } from '../access';
import { createAppProtocolHandler, type DocumentSource } from './app-protocol';
import { RENDERER_CSP } from './csp';

const PDF = Buffer.from('%PDF-1.7\n' + 'x'.repeat(1000) + '\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let root: string;
let rendererDir: string;
const sari: Session = { ...newSession(0), user: { id: 1, nip: '199001012015032001', nama: 'Sari', role: 'clerk' }, mfa: true };
const opened: { id: number; actor: string | undefined }[] = [];
const errors: string[] = [];

const documents: DocumentSource = {
  async documentContent(id, session) {
    if (id === 403) throw new AppError('forbidden', 'no');
    if (id === 500) throw new Error('disk on fire');
    if (id !== 1) throw new AppError('not_found', `Document #${id} not found`);
    opened.push({ id, actor: session.user?.nip });
    return {
      size: PDF.length,
      // The blob store's contract: end inclusive, like fs.createReadStream.
      stream: (range) => Readable.from([range ? PDF.subarray(range.start, range.end + 1) : PDF]),
    };
  },
  async thumbnail(id) {
    return id === 1 ? PNG : null;
  },
};

let handle: (request: Request) => Promise<Response>;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lemari-app-protocol-'));
  rendererDir = join(root, 'out', 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Lemari</title>');
  writeFileSync(join(rendererDir, 'assets', 'index.js'), 'console.log(1)');
  writeFileSync(join(rendererDir, 'assets', 'decoder.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]));
  // Secrets beside the renderer folder, which no app:// URL may reach.
  writeFileSync(join(root, 'out', 'secret.txt'), 'secret');
  writeFileSync(join(root, 'config.json'), '{"secret":true}');
  handle = createAppProtocolHandler({ rendererDir, documents, session: () => sari, logger: { error: (message) => errors.push(message), info: () => {} } });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const get = (url: string, headers: Record<string, string> = {}) => handle(new Request(url, { headers }));

describe('app:// renderer files', () => {
  it('serves the renderer with the strict CSP and exact content types', async () => {
    const page = await get('app://lemari/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Lemari</title>');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');

    const script = await get('app://lemari/assets/index.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect((await get('app://lemari/assets/decoder.wasm')).headers.get('content-type')).toBe('application/wasm');
  });

  it('serves index.html for client-side routes and 404 for missing assets', async () => {
    const route = await get('app://lemari/employees/199001012015031001');
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>Lemari</title>');
    expect((await get('app://lemari/assets/missing.js')).status).toBe(404);
    expect((await get('app://lemari/assets')).status).toBe(200); // a route-like path, not a directory listing
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const url of [
      'app://lemari/..%2fsecret.txt',
      'app://lemari/..%2f..%2fconfig.json',
      'app://lemari/assets/..%5c..%5csecret.txt',
      'app://lemari/%2e%2e/secret.txt',
      'app://lemari/../../config.json',
      'app://evil/index.html',
    ]) {
      const response = await get(url);
      const body = await response.text();
      expect(body, url).not.toContain('secret');
      expect([403, 404, 200], url).toContain(response.status);
      if (response.status === 200) expect(body, url).toContain('<title>Lemari</title>');
    }
  });

  it('answers only GET and HEAD', async () => {
    const post = await handle(new Request('app://lemari/index.html', { method: 'POST', body: 'x' }));
    expect(post.status).toBe(405);
    const head = await handle(new Request('app://lemari/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('app:// document bytes', () => {
  it('streams the whole PDF, audited under the current actor, never cached', async () => {
    opened.length = 0;
    const response = await get('app://lemari/documents/1/content');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('content-length')).toBe(String(PDF.length));
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await response.arrayBuffer()).equals(PDF)).toBe(true);
    expect(opened).toEqual([{ id: 1, actor: '199001012015032001' }]);
  });

  it('answers Range requests the way pdf.js asks for them', async () => {
    const first = await get('app://lemari/documents/1/content', { Range: 'bytes=0-8' });
    expect(first.status).toBe(206);
    expect(first.headers.get('content-range')).toBe(`bytes 0-8/${PDF.length}`);
    expect(first.headers.get('content-length')).toBe('9');
    expect(await first.text()).toBe('%PDF-1.7\n');

    const tail = await get('app://lemari/documents/1/content', { Range: 'bytes=-7' });
    expect(tail.status).toBe(206);
    expect(await tail.text()).toBe(PDF.subarray(-7).toString());

    const past = await get('app://lemari/documents/1/content', { Range: `bytes=${PDF.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${PDF.length}`);
    // Open-ended and past the end, or a start past the end with an end below it: still 416,
    // never the whole file (the browser host answers the same, through the same parser).
    for (const range of [`bytes=${PDF.length + 50}-`, `bytes=${PDF.length + 50}-3`]) {
      const response = await get('app://lemari/documents/1/content', { Range: range });
      expect(response.status, range).toBe(416);
      expect(response.headers.get('content-range'), range).toBe(`bytes */${PDF.length}`);
    }
  });

  it('maps expected failures to HTTP statuses and hides unexpected ones', async () => {
    expect((await get('app://lemari/documents/2/content')).status).toBe(404);
    expect((await get('app://lemari/documents/403/content')).status).toBe(403);
    errors.length = 0;
    const broken = await get('app://lemari/documents/500/content');
    expect(broken.status).toBe(500);
    expect(await broken.text()).toBe('');
    expect(errors).toHaveLength(1);
  });

  it('serves thumbnails as PNG, 404 when there is none', async () => {
    const thumb = await get('app://lemari/documents/1/thumbnail');
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await thumb.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await get('app://lemari/documents/9/thumbnail')).status).toBe(404);
  });
});
