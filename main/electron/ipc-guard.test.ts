import { newSession, type Session } from '../access';
import { describe, expect, it } from 'vitest';
import { ok, type Result } from '../../common/errors';
import type { Api, CallContext } from '../api';
import { createCallHandler, isTrustedSender, type SenderInfo } from './ipc-guard';

const trusted: SenderInfo = { senderUrl: 'app://lemari/index.html', isMainFrame: true, isOwnWindow: true };

const sari: Session = { ...newSession(0), user: { id: 1, nip: '199001012015032001', nama: 'Sari', role: 'clerk' }, mfa: true };

describe('isTrustedSender', () => {
  it('trusts the main frame of our own window showing app://lemari', () => {
    expect(isTrustedSender(trusted)).toBe(true);
    expect(isTrustedSender({ ...trusted, senderUrl: 'app://lemari/employees/199001012015031001#detail' })).toBe(true);
  });

  it('refuses foreign origins, file://, http(s)://, look-alikes and gone frames', () => {
    for (const senderUrl of [
      'https://evil.example/',
      'http://127.0.0.1:5173/',
      'http://localhost/index.html',
      'file:///home/sari/Downloads/phish.html',
      'app://lemari.evil/index.html',
      'app://evil/index.html',
      'app://lemari@evil/',
      'about:blank',
      'data:text/html,x',
      'devtools://devtools/bundled/inspector.html',
      '',
      null,
      undefined,
    ]) {
      expect(isTrustedSender({ ...trusted, senderUrl }), String(senderUrl)).toBe(false);
    }
  });

  it('refuses subframes, even of our own origin', () => {
    expect(isTrustedSender({ ...trusted, isMainFrame: false })).toBe(false);
  });

  it('refuses pages of any other webContents', () => {
    expect(isTrustedSender({ ...trusted, isOwnWindow: false })).toBe(false);
  });
});

describe('createCallHandler', () => {
  function recordingApi() {
    const calls: { method: string; input: unknown; context: CallContext }[] = [];
    const api: Api = {
      async call(method, input, context): Promise<Result<unknown>> {
        calls.push({ method, input, context });
        return ok({ echoed: method });
      },
    };
    return { api, calls };
  }
  const quiet = { error: () => {} };

  it('forwards a trusted call with the window session', async () => {
    const { api, calls } = recordingApi();
    const handle = createCallHandler(api, () => sari, quiet);
    await expect(handle(trusted, 'documents.get', { id: 3 })).resolves.toEqual({ ok: true, value: { echoed: 'documents.get' } });
    expect(calls).toEqual([{ method: 'documents.get', input: { id: 3 }, context: { session: sari } }]);
  });

  it('answers an untrusted frame with forbidden and never reaches the api', async () => {
    const { api, calls } = recordingApi();
    const logged: string[] = [];
    const handle = createCallHandler(api, () => sari, { error: (message) => logged.push(message) });
    const result = await handle({ ...trusted, isMainFrame: false }, 'maintenance.verify', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const foreign = await handle({ ...trusted, senderUrl: 'https://evil.example/' }, 'documents.get', { id: 1 });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
    expect(logged).toHaveLength(2);
  });

  it('turns a non-string method into an unknown one for the api to refuse', async () => {
    const { api, calls } = recordingApi();
    await createCallHandler(api, () => sari, quiet)(trusted, { toString: () => 'documents.get' }, {});
    expect(calls[0].method).toBe('');
  });
});
