import { posix, win32 } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppUrl, routeAppUrl } from './app-url';

describe('isAppUrl', () => {
  it('accepts only the app://lemari origin', () => {
    expect(isAppUrl('app://lemari/index.html')).toBe(true);
    expect(isAppUrl('app://lemari/')).toBe(true);
    for (const url of [
      'app://lemari.evil/index.html',
      'app://evil/index.html',
      'app://lemari@evil/index.html',
      'app://lemari:8080/index.html',
      'app://user:pw@lemari/index.html',
      'file:///tmp/index.html',
      'http://lemari/index.html',
      'https://lemari/index.html',
      'http://127.0.0.1:5173/',
      'devtools://devtools/bundled/inspector.html',
      'about:blank',
      'data:text/html,<script>alert(1)</script>',
      'javascript:alert(1)',
      'not a url',
      '',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
    expect(isAppUrl(null)).toBe(false);
    expect(isAppUrl(undefined)).toBe(false);
  });
});

describe('routeAppUrl', () => {
  const dir = '/opt/lemari/out/renderer';

  it('serves index.html for the root and files of the renderer folder', () => {
    expect(routeAppUrl('app://lemari/', dir, posix)).toEqual({ kind: 'file', path: `${dir}/index.html`, fallback: null });
    expect(routeAppUrl('app://lemari/index.html', dir, posix)).toEqual({ kind: 'file', path: `${dir}/index.html`, fallback: null });
    expect(routeAppUrl('app://lemari/assets/index-abc.js?v=1#x', dir, posix)).toEqual({ kind: 'file', path: `${dir}/assets/index-abc.js`, fallback: null });
    expect(routeAppUrl('app://lemari/assets/nama%20file.css', dir, posix)).toEqual({ kind: 'file', path: `${dir}/assets/nama file.css`, fallback: null });
  });

  it('falls back to index.html for client-side routes, not for missing assets', () => {
    expect(routeAppUrl('app://lemari/employees/199001012015031001', dir, posix)).toEqual({
      kind: 'file',
      path: `${dir}/employees/199001012015031001`,
      fallback: `${dir}/index.html`,
    });
    expect(routeAppUrl('app://lemari/documents/12', dir, posix)).toMatchObject({ kind: 'file', fallback: `${dir}/index.html` });
  });

  it('routes document bytes and thumbnails by positive integer id', () => {
    expect(routeAppUrl('app://lemari/documents/42/content', dir, posix)).toEqual({ kind: 'document-content', id: 42 });
    expect(routeAppUrl('app://lemari/documents/7/thumbnail', dir, posix)).toEqual({ kind: 'document-thumbnail', id: 7 });
    for (const url of ['app://lemari/documents/0/content', 'app://lemari/documents/-1/content', 'app://lemari/documents/1e3/content', 'app://lemari/documents/007/content']) {
      expect(routeAppUrl(url, dir, posix).kind, url).not.toMatch(/^document/);
    }
  });

  it('refuses encoded separators, NUL, drive letters, bad escapes and other hosts', () => {
    for (const url of [
      'app://lemari/..%2f..%2fetc%2fpasswd',
      'app://lemari/assets/..%5c..%5cmain%5celectron.js',
      'app://lemari/%00index.html',
      'app://lemari/bad%E0%A4%A',
      'app://lemari/C:/Windows/win.ini',
      'app://lemari/index.html::$DATA',
      'app://evil/index.html',
      'http://lemari/index.html',
    ]) {
      expect(routeAppUrl(url, dir, posix).kind, url).toBe('forbidden');
    }
  });

  it('never names a file outside the renderer folder, whatever dot segments a URL carries', () => {
    for (const url of [
      'app://lemari/../../etc/passwd',
      'app://lemari/%2e%2e/%2e%2e/etc/passwd',
      'app://lemari/assets/%2E%2E/%2E%2E/main/electron.js',
      'app://lemari/assets/.%2e/.%2e/.%2e/package.json',
      'app://lemari/./assets/../../../../x',
    ]) {
      const route = routeAppUrl(url, dir, posix);
      if (route.kind !== 'forbidden') {
        expect(route.kind, url).toBe('file');
        expect(route.kind === 'file' && route.path.startsWith(`${dir}/`), url).toBe(true);
      }
    }
  });

  it('applies the same rules to Windows paths', () => {
    const windir = 'C:\\Program Files\\Lemari\\resources\\app.asar\\out\\renderer';
    expect(routeAppUrl('app://lemari/assets/a.js', windir, win32)).toEqual({ kind: 'file', path: `${windir}\\assets\\a.js`, fallback: null });
    expect(routeAppUrl('app://lemari/..%5c..%5c..%5cWindows%5cwin.ini', windir, win32).kind).toBe('forbidden');
    expect(routeAppUrl('app://lemari/D:%5cdata', windir, win32).kind).toBe('forbidden');
  });
});
