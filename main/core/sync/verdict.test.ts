import { describe, expect, it } from 'vitest';
import { DmsCallError } from '../../infra/dms';
import { verdictOf } from './verdict';

const failure = (code: ConstructorParameters<typeof DmsCallError>[0], status: number | null) => new DmsCallError(code, code, status);

describe('verdictOf', () => {
  it('retries what the link lost, in every phase: a cut answer may hide a document the server made', () => {
    for (const phase of ['upload', 'commit', 'verify'] as const) {
      expect(verdictOf(failure('network', null), phase).kind).toBe('retry');
      expect(verdictOf(failure('timeout', null), phase).kind).toBe('retry');
      expect(verdictOf(failure('unavailable', 502), phase).kind).toBe('retry');
    }
  });

  it('never rejects a creation over a garbled answer, but does reject an upload the server answered wrongly', () => {
    expect(verdictOf(failure('bad_response', 200), 'commit')).toMatchObject({ kind: 'retry', code: 'bad_response' });
    expect(verdictOf(failure('bad_response', 204), 'upload')).toMatchObject({ kind: 'reject', code: 'bad_response' });
  });

  it('tells a stale tus offset from a real conflict, and other bytes on the server from a lost upload', () => {
    expect(verdictOf(failure('conflict', 409), 'upload').kind).toBe('retry');
    expect(verdictOf(failure('conflict', 409), 'commit').kind).toBe('conflict');
    expect(verdictOf(failure('checksum_mismatch', 422), 'upload').kind).toBe('reupload');
    expect(verdictOf(failure('checksum_mismatch', 422), 'verify').kind).toBe('reject');
  });

  it('refreshes a stale token, stops on a revoked session, and rejects what the server refused on purpose', () => {
    expect(verdictOf(failure('token_expired', 401), 'commit')).toEqual({ kind: 'refresh' });
    expect(verdictOf(failure('session_revoked', 401), 'upload')).toEqual({ kind: 'stop', code: 'session_revoked' });
    expect(verdictOf(failure('invalid_input', 400), 'commit')).toMatchObject({ kind: 'reject', code: 'invalid_input' });
    expect(verdictOf(new Error('blob unreadable'), 'upload')).toMatchObject({ kind: 'retry', code: 'local' });
  });
});
