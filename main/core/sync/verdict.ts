// What a sync run does with a step that failed (main/core/sync/index.ts): try again, upload
// again, refresh the session, stop the run, or end the document's trip as rejected or in
// conflict. The phase matters: a 409 from tus is a stale offset, from a commit a real
// conflict. The rule that keeps a document from being created twice on the server: after a
// request that may have created it (the commit phase), only an answer the server gave on
// purpose may reject it. A rejected document is queued again with a new key (sync.queue),
// so a rejection of a document that in fact exists would make a second one.
import { DmsCallError } from '../../infra/dms';

/** How a failed step is handled. */
export type Verdict =
  | { kind: 'retry'; code: string; message: string; waitMs?: number }
  | { kind: 'reupload'; code: string; message: string }
  | { kind: 'refresh' }
  | { kind: 'stop'; code: 'session_revoked' }
  | { kind: 'reject'; code: string; message: string }
  | { kind: 'conflict'; code: string; message: string };

/** Where in a document's trip a step failed: sending bytes, creating (or updating) the server document, reading it back. */
export type Phase = 'upload' | 'commit' | 'verify';

export function verdictOf(error: unknown, phase: Phase): Verdict {
  if (!(error instanceof DmsCallError)) {
    // A local fault (a blob that cannot be read): not the link's, but not the server's verdict either.
    return { kind: 'retry', code: 'local', message: (error as Error).message };
  }
  const { code, message } = error;
  if (code === 'token_expired' || code === 'unauthenticated') return { kind: 'refresh' };
  if (code === 'session_revoked') return { kind: 'stop', code };
  if (error.retryable) return { kind: 'retry', code, message, waitMs: error.retryAfterMs };
  // The server holds other bytes under this document: sending again cannot fix that, a person must look.
  if (phase === 'verify' && code === 'checksum_mismatch') return { kind: 'reject', code, message };
  if (code === 'upload_gone' || code === 'checksum_mismatch' || (phase === 'upload' && code === 'not_found')) return { kind: 'reupload', code, message };
  if (code === 'upload_incomplete' || (phase === 'upload' && code === 'conflict')) return { kind: 'retry', code, message };
  if (code === 'version_conflict' || (phase === 'commit' && code === 'conflict')) return { kind: 'conflict', code, message };
  // A garbled answer to a creation (a proxy's doing) says nothing of whether the document was
  // made: the same key again learns it, up to the attempts allowed.
  if (phase === 'commit' && code === 'bad_response') return { kind: 'retry', code, message };
  return { kind: 'reject', code, message };
}
