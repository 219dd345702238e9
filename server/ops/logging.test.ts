// The log redaction on its own: secrets go at any depth a handler may nest them, while the
// fields an operator needs (error codes, NIPs, the request line) stay readable.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions, redactUrl, requestId } from './logging';

function logged(object: Record<string, unknown>): string {
  const lines: string[] = [];
  pino(loggerOptions('info'), { write: (line: string) => void lines.push(line) }).info(object, 'x');
  return lines.join('');
}

describe('log redaction', () => {
  it('hides credentials at any depth up to four levels and keeps the rest', () => {
    const line = JSON.parse(
      logged({
        password: 'p1',
        body: { nip: '198503152010012003', newPassword: 'p2', stepToken: 't1', totp: '111111' },
        request: { headers: { authorization: 'Bearer t2', cookie: 's=t3', 'user-agent': 'Lemari/0.1' } },
        a: { b: { c: { refreshToken: 't4', recoveryCodes: ['r1', 'r2'] } } },
      }),
    );
    expect(line.password).toBe('[Redacted]');
    expect(line.body).toEqual({ nip: '198503152010012003', newPassword: '[Redacted]', stepToken: '[Redacted]', totp: '[Redacted]' });
    expect(line.request.headers).toEqual({ authorization: '[Redacted]', cookie: '[Redacted]', 'user-agent': 'Lemari/0.1' });
    expect(line.a.b.c).toEqual({ refreshToken: '[Redacted]', recoveryCodes: '[Redacted]' });
  });

  it('hides a `code` that is a secret and keeps one that is an error code', () => {
    const line = JSON.parse(logged({ body: { code: '918273' }, error: { code: 'invalid_input' }, err: { code: 'FST_ERR_CTP_INVALID_JSON_BODY' }, io: { code: 'ECONNREFUSED' } }));
    expect(line.body.code).toBe('[Redacted]');
    expect(line.error.code).toBe('invalid_input');
    expect(line.err.code).toBe('FST_ERR_CTP_INVALID_JSON_BODY');
    expect(line.io.code).toBe('ECONNREFUSED');
  });

  it('replaces the values of secret query parameters in a logged URL', () => {
    expect(redactUrl('/v1/documents/changes?since=5&limit=10')).toBe('/v1/documents/changes?since=5&limit=10');
    expect(redactUrl('/x?Token=abc&code=123&since=1&flag')).toBe('/x?Token=[Redacted]&code=[Redacted]&since=1&flag');
  });
});

describe('request ids', () => {
  it('keep a plain caller id and replace anything else with a UUID', () => {
    const req = (id?: string) => ({ headers: id === undefined ? {} : { 'x-request-id': id } }) as Parameters<typeof requestId>[0];
    expect(requestId(req('wk-7.abc:123_X'))).toBe('wk-7.abc:123_X');
    for (const bad of [undefined, '', 'a b', 'x'.repeat(129), 'line\nbreak']) expect(requestId(req(bad))).toMatch(/^[0-9a-f-]{36}$/);
  });
});
