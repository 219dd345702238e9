// hardenSession and hardenContents against stand-ins for Electron's Session and WebContents
// that record the handlers registered, so each refusal is checked without Electron: other
// origins cannot be navigated to or redirected to, no window opens, no webview attaches,
// every permission is refused, and the renderer cannot reach the network or file://.
import { EventEmitter } from 'node:events';
import type { Session, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { hardenContents, hardenSession } from './hardening';

const logger = { info: () => {}, error: () => {} };

type Handler = (...args: never[]) => unknown;

function fakeSession() {
  const handlers: Record<string, Handler> = {};
  let filter: { urls: string[] } | undefined;
  const session = {
    setPermissionRequestHandler: (h: Handler) => (handlers.request = h),
    setPermissionCheckHandler: (h: Handler) => (handlers.check = h),
    setDevicePermissionHandler: (h: Handler) => (handlers.device = h),
    webRequest: {
      onBeforeRequest: (f: { urls: string[] }, h: Handler) => {
        filter = f;
        handlers.request_filter = h;
      },
    },
  };
  return { session: session as unknown as Session, handlers, filter: () => filter };
}

function fakeContents() {
  const emitter = new EventEmitter();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = Object.assign(emitter, {
    setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
  });
  /** Emits `name` with an event for `url`; returns whether a handler prevented it. */
  const emit = (name: string, url: string) => {
    let prevented = false;
    emitter.emit(name, { url, preventDefault: () => (prevented = true) });
    return prevented;
  };
  return { contents: contents as unknown as WebContents, emit, open: (url: string) => openHandler!({ url }) };
}

describe('hardenContents', () => {
  const { contents, emit, open } = fakeContents();
  hardenContents(contents, logger);

  it('lets our own pages navigate and stops every other navigation or redirect', () => {
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(emit(name, 'app://lemari/employees/1'), name).toBe(false);
      for (const url of ['https://evil.example/', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'app://lemari.evil/', 'javascript:alert(1)', 'data:text/html,x']) {
        expect(emit(name, url), `${name} ${url}`).toBe(true);
      }
    }
  });

  it('opens no window, for any URL, our own included', () => {
    for (const url of ['https://evil.example/', 'app://lemari/index.html', 'about:blank']) expect(open(url)).toEqual({ action: 'deny' });
  });

  it('attaches no <webview>', () => {
    expect(emit('will-attach-webview', 'app://lemari/')).toBe(true);
  });
});

describe('hardenSession', () => {
  const { session, handlers, filter } = fakeSession();
  hardenSession(session, logger);

  it('refuses every permission request and check', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem']) {
      let granted: boolean | undefined;
      (handlers.request as (c: unknown, p: string, cb: (ok: boolean) => void) => void)(null, permission, (ok) => (granted = ok));
      expect(granted, permission).toBe(false);
      expect((handlers.check as (...a: unknown[]) => boolean)(null, permission, 'app://lemari')).toBe(false);
    }
    expect((handlers.device as () => boolean)()).toBe(false);
  });

  it('cancels the renderer requests to the network and to file://', () => {
    expect(filter()!.urls).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file:///*']));
    let result: unknown;
    (handlers.request_filter as (d: { url: string }, cb: (r: unknown) => void) => void)({ url: 'https://evil.example/x' }, (r) => (result = r));
    expect(result).toEqual({ cancel: true });
  });
});
