// The browser host over a real profile (SQLite file, blob store, staging) in a temp dir, on
// port 0, in-process: who may reach it (token, session cookie, Host and Origin checks), that
// every cookie is its own login, the contract round trip, an upload through staging into
// capture.import, the audited PDF bytes with Range, thumbnails, the event stream and the
// static files with their headers.

import { request } from 'node:http';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../main/api';
import { fromBase32, totpCode } from '../../main/core/auth/totp';
import { findResourcesDir } from '../../main/infra/reference';
import { KeyFileSecretStore } from '../../main/infra/secrets';
import { ConfSettingsStore } from '../../main/infra/settings';
import { openProfile, type Profile } from '../../main/profile';
import { startWebServer, type WebServer } from '../../main/web/server';

const NIP = '199001012015031001';
const ADMIN = { nip: '198001012005011001', nama: 'Admin Arsip', password: 'lemari kayu jati tua' };
const quiet: Logger = { error: () => {}, info: () => {} };

interface Env {
  root: string;
  profile: Profile;
  settings: ConfSettingsStore;
  server: WebServer;
  auth: Record<string, string>;
}
const envs: Env[] = [];

afterEach(async () => {
  for (const env of envs.splice(0)) {
    await env.server.close();
    await env.profile.close();
    await rm(env.root, { recursive: true, force: true });
  }
});

async function setup(): Promise<Env> {
  const root = await mkdtemp(join(tmpdir(), 'lemari-web-'));
  const dataDir = join(root, 'data');
  const rendererDir = join(root, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await mkdir(join(rendererDir, 'pdfjs', 'wasm'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Lemari</title>');
  await writeFile(join(rendererDir, 'assets', 'worker.mjs'), 'export {};');
  await writeFile(join(rendererDir, 'pdfjs', 'wasm', 'openjpeg.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  await writeFile(join(root, 'secret.txt'), 'not for the browser');
  const settings = new ConfSettingsStore(dataDir);
  const profile = await openProfile({ dataDir, host: 'web', resourcesDir: findResourcesDir(import.meta.dirname), settings, logger: quiet, secrets: new KeyFileSecretStore(dataDir) });
  const server = await startWebServer({ profile, rendererDir, settings, logger: quiet, port: 0 });
  const env = { root, profile, settings, server, auth: { Authorization: `Bearer ${server.token}` } };
  envs.push(env);
  return env;
}

/** The first admin, created and enrolled through the Bearer token's own session; returns the TOTP secret. */
async function signIn(env: Env): Promise<Uint8Array> {
  const boot = (await (await call(env, 'auth.bootstrap', ADMIN)).json()) as { ok: true; value: { enrolment: { secret: string } } };
  const secret = fromBase32(boot.value.enrolment.secret);
  // The previous step's code (inside the drift window), so the current one is still unused.
  const confirmed = await call(env, 'auth.confirmEnrolment', { code: totpCode(secret, new Date(Date.now() - 30_000)) });
  expect(confirmed.status).toBe(200);
  return secret;
}

async function setupSignedIn(): Promise<Env & { secret: Uint8Array }> {
  const env = await setup();
  return { ...env, secret: await signIn(env) };
}

async function makePdf(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText(text, { x: 50, y: 780, size: 20, font });
  return new Uint8Array(await doc.save());
}

/** node:http, because fetch will not send a Host header of our choosing. */
function raw(
  server: WebServer,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function call(env: Env, method: string, input: unknown, headers: Record<string, string> = env.auth) {
  return fetch(`${env.server.origin}/api/call/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(input) });
}

async function stageAndImport(env: Env, name: string, bytes: Uint8Array<ArrayBuffer>) {
  const staged = await fetch(`${env.server.origin}/api/staging?name=${encodeURIComponent(name)}`, { method: 'PUT', headers: env.auth, body: bytes });
  expect(staged.status).toBe(200);
  const { value } = (await staged.json()) as { ok: true; value: { stagedId: string; size: number } };
  expect(value.size).toBe(bytes.length);
  const response = await call(env, 'capture.import', { files: [{ stagedId: value.stagedId, name }] });
  return (await response.json()) as { ok: boolean; value: { imported: { documentId: number; guess: { nip: string | null; typeCode: string | null } }[] } };
}

describe('web host: who may call', () => {
  it('prints a URL carrying the origin and the token in the fragment', async () => {
    const { server } = await setup();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{40,}$/);
    expect(server.url).toBe(`${server.origin}/#token=${server.token}`);
  });

  it('refuses /api/* without the token or a session, and with a wrong token', async () => {
    const env = await setup();
    const none = await call(env, 'app.info', {}, {});
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect((await call(env, 'app.info', {}, { Authorization: 'Bearer nope' })).status).toBe(401);
    expect((await fetch(`${env.server.origin}/api/events`)).status).toBe(401);
    expect((await fetch(`${env.server.origin}/api/documents/1/content`)).status).toBe(401);
    expect((await fetch(`${env.server.origin}/api/staging?name=a.pdf`, { method: 'PUT', body: 'x' })).status).toBe(401);
  });

  it('trades the token for an HttpOnly SameSite=Strict session cookie, its own login', async () => {
    const env = await setupSignedIn();
    expect((await fetch(`${env.server.origin}/api/session`, { method: 'POST' })).status).toBe(401);
    const opened = await fetch(`${env.server.origin}/api/session`, { method: 'POST', headers: env.auth });
    expect(opened.status).toBe(200);
    const cookie = opened.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(env.server.token);
    const pair = cookie.split(';')[0];
    const info = await call(env, 'app.info', {}, { Cookie: pair });
    expect(info.status).toBe(200);
    // A made-up session id is nobody's.
    expect((await call(env, 'app.info', {}, { Cookie: `${pair.split('=')[0]}=forged` })).status).toBe(401);

    // The cookie is a browser tab of its own: logged out although the token's session is not.
    const search = { text: '', limit: 10, offset: 0 };
    expect((await call(env, 'search.query', search)).status).toBe(200);
    const refused = await call(env, 'search.query', search, { Cookie: pair });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'Silakan masuk dulu' } });
    expect((await fetch(`${env.server.origin}/api/staging?name=a.pdf`, { method: 'PUT', headers: { Cookie: pair }, body: 'x' })).status).toBe(401);
    expect((await fetch(`${env.server.origin}/api/events`, { headers: { Cookie: pair } })).status).toBe(401);

    // Signing in on the cookie (password, then the next TOTP step) opens it.
    const begun = (await (await call(env, 'auth.beginLogin', { nip: ADMIN.nip, password: ADMIN.password }, { Cookie: pair })).json()) as { value: { next: string; ticket: string } };
    expect(begun.value.next).toBe('code');
    const done = await call(env, 'auth.completeLogin', { ticket: begun.value.ticket, code: totpCode(env.secret, new Date()) }, { Cookie: pair });
    expect(done.status).toBe(200);
    expect((await call(env, 'search.query', search, { Cookie: pair })).status).toBe(200);

    await call(env, 'auth.logout', {}, { Cookie: pair });
    expect((await call(env, 'search.query', search, { Cookie: pair })).status).toBe(401);
  });

  it('refuses a Host other than its own (DNS rebinding) and a foreign Origin', async () => {
    const env = await setup();
    const path = '/api/call/app.info';
    const ok = await raw(env.server, { method: 'POST', path, headers: { ...env.auth, Host: `localhost:${env.server.port}` }, body: '{}' });
    expect(ok.status).toBe(200);
    const rebound = await raw(env.server, { method: 'POST', path, headers: { ...env.auth, Host: `evil.example:${env.server.port}` }, body: '{}' });
    expect(rebound.status).toBe(403);
    const otherPort = await raw(env.server, { method: 'POST', path, headers: { ...env.auth, Host: '127.0.0.1:1' }, body: '{}' });
    expect(otherPort.status).toBe(403);
    const foreign = await raw(env.server, { method: 'POST', path, headers: { ...env.auth, Origin: 'http://evil.example' }, body: '{}' });
    expect(foreign.status).toBe(403);
    const own = await raw(env.server, { method: 'POST', path, headers: { ...env.auth, Origin: env.server.origin }, body: '{}' });
    expect(own.status).toBe(200);
  });
});

describe('web host: the contract over HTTP', () => {
  it('round-trips a call and returns failures as Results', async () => {
    const env = await setupSignedIn();
    const info = await call(env, 'app.info', {});
    expect(await info.json()).toMatchObject({ ok: true, value: { host: 'web', settings: { locale: 'id' } } });

    const bad = await call(env, 'documents.get', { id: 'x' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    const missing = await call(env, 'documents.get', { id: 999 });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ ok: false, error: { code: 'not_found', message: 'Dokumen #999 tidak ditemukan' } });

    const unknown = await call(env, 'nope.nothing', {});
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'not_found' } });

    const notJson = await fetch(`${env.server.origin}/api/call/app.info`, { method: 'POST', headers: env.auth, body: '{' });
    expect(await notJson.json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('imports an upload through staging and capture.import by staged id', async () => {
    const env = await setupSignedIn();
    const report = await stageAndImport(env, `${NIP}_SK_PNS.pdf`, await makePdf('SK PNS'));
    expect(report.ok).toBe(true);
    expect(report.value.imported).toHaveLength(1);
    expect(report.value.imported[0].guess).toEqual({ nip: NIP, typeCode: 'SK_PNS' });
    const id = report.value.imported[0].documentId;
    const detail = await (await call(env, 'documents.get', { id })).json();
    expect(detail).toMatchObject({ ok: true, value: { originalName: `${NIP}_SK_PNS.pdf`, state: 'draft' } });
  });

  it('refuses an upload larger than the profile allows, with the import message', async () => {
    const env = await setupSignedIn();
    env.settings.set({ maxFileBytes: 1024 });
    const response = await fetch(`${env.server.origin}/api/staging?name=big.pdf`, { method: 'PUT', headers: env.auth, body: new Uint8Array(4096) });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { ok: false; error: { message: string } };
    expect(body.error.message).toBe('Berkas 4 KB melebihi batas 1 KB');
  });

  it('streams events to a subscriber while an import runs', async () => {
    const env = await setupSignedIn();
    const controller = new AbortController();
    const stream = await fetch(`${env.server.origin}/api/events`, { headers: env.auth, signal: controller.signal });
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = stream.body!.getReader();
    let text = '';
    const seen = (async () => {
      while (!text.includes('event: capture.onDidProgress')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    })();
    await stageAndImport(env, 'a.pdf', await makePdf('A'));
    await seen;
    controller.abort();
    const data = /event: capture\.onDidProgress\ndata: (.*)\n/.exec(text)![1];
    expect(JSON.parse(data)).toMatchObject({ total: 1 });
  });
});

describe('web host: document bytes', () => {
  it('serves the stored PDF inline, uncached, with Range, and audits every opening', async () => {
    const env = await setupSignedIn();
    const pdf = await makePdf('isi dokumen');
    const id = (await stageAndImport(env, `${NIP}_SPMT.pdf`, pdf)).value.imported[0].documentId;
    const audited = () =>
      (env.profile.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'document.viewed' AND document_id = ? AND actor = ?").get(id, ADMIN.nip) as { n: number }).n;
    expect(audited()).toBe(0);

    const full = await fetch(`${env.server.origin}/api/documents/${id}/content`, { headers: env.auth });
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('application/pdf');
    expect(full.headers.get('content-disposition')).toMatch(/^inline; filename="199001012015031001_SPMT\.pdf"/);
    expect(full.headers.get('cache-control')).toBe('no-store');
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    const bytes = new Uint8Array(await full.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    expect(audited()).toBe(1);

    const part = await fetch(`${env.server.origin}/api/documents/${id}/content`, { headers: { ...env.auth, Range: 'bytes=0-3' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-3/${bytes.length}`);
    expect(await part.text()).toBe('%PDF');
    const beyond = await fetch(`${env.server.origin}/api/documents/${id}/content`, { headers: { ...env.auth, Range: `bytes=${bytes.length + 10}-` } });
    expect(beyond.status).toBe(416);
    expect(audited()).toBe(3);

    const none = await fetch(`${env.server.origin}/api/documents/9999/content`, { headers: env.auth });
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('serves a thumbnail as PNG once rendered, and 404 for a document without one', async () => {
    const env = await setupSignedIn();
    const id = (await stageAndImport(env, 'a.pdf', await makePdf('A'))).value.imported[0].documentId;
    await env.profile.idle();
    const thumb = await fetch(`${env.server.origin}/api/documents/${id}/thumbnail`, { headers: env.auth });
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/png');
    const png = new Uint8Array(await thumb.arrayBuffer());
    expect([...png.slice(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
    expect((await fetch(`${env.server.origin}/api/documents/9999/thumbnail`, { headers: env.auth })).status).toBe(404);
  });
});

describe('web host: static files', () => {
  it('serves the renderer without a session, with the CSP and the right content types', async () => {
    const env = await setup();
    const page = await fetch(`${env.server.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect((await fetch(`${env.server.origin}/assets/worker.mjs`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${env.server.origin}/pdfjs/wasm/openjpeg.wasm`)).headers.get('content-type')).toBe('application/wasm');
    expect((await fetch(`${env.server.origin}/nothing.js`)).status).toBe(404);
  });

  it('refuses every way out of the renderer folder', async () => {
    const env = await setup();
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/..%2fsecret.txt', '/..%5csecret.txt']) {
      const response = await raw(env.server, { path, headers: { Host: `127.0.0.1:${env.server.port}` } });
      expect(response.status, path).toBeGreaterThanOrEqual(403);
      expect(response.body, path).not.toContain('not for the browser');
    }
  });
});
