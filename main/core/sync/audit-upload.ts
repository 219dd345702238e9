// Audit upload (issue 5): the local audit entries after the 'audit' cursor (sync_cursors) go
// to the server's audit ingest in batches at each run, so the server sees accesses while
// the office is online. The cursor moves only after the server accepted a batch: a failed
// ingest leaves it, and the next run sends the same entries again (the server skips the ones
// it already holds). The server answers its chain tail; the cursor follows that, never more.
import { MAX_AUDIT_ENTRIES_PER_BATCH } from '../../../common/dms/audit';
import type { AuditLog } from '../audit';
import type { AuthedCall } from './downsync';

export async function uploadAudit(audit: AuditLog, call: AuthedCall, batch = MAX_AUDIT_ENTRIES_PER_BATCH): Promise<{ sent: number }> {
  let sent = 0;
  for (;;) {
    const entries = audit.pending(batch);
    if (entries.length === 0) return { sent };
    const answer = await call('audit.ingest', { body: { entries } });
    // The server's tail is the truth: it may hold fewer (never more) than this batch's last entry.
    const upTo = Math.min(answer.lastId, entries.at(-1)!.id);
    if (upTo < entries[0].id) return { sent }; // nothing of this batch taken: do not loop on it
    audit.markSent(upTo);
    sent += entries.filter((entry) => entry.id <= upTo).length;
    if (entries.length < batch) return { sent };
  }
}
