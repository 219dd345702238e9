import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertDocument } from '../../../tests/helpers/documents';
import { fixedClock, testDb, translateId } from '../../../tests/helpers/profile';
import { createAuditLog } from '../audit';
import { createReview, type ReviewService } from './index';

const verifier = { id: '198505052010012002' };
let ctx: ReturnType<typeof testDb>;
let review: ReviewService;
let enabled: boolean;
const emitted: number[][] = [];

beforeEach(() => {
  ctx = testDb();
  enabled = true;
  emitted.length = 0;
  review = createReview({
    db: ctx.db,
    clock: fixedClock,
    translate: translateId,
    audit: createAuditLog({ db: ctx.db, clock: fixedClock }),
    events: { emit: (_name, payload) => emitted.push((payload as { ids: number[] }).ids) },
    requireApproval: () => enabled,
  });
});
afterEach(() => ctx.cleanup());

const stateOf = (id: number) => (ctx.db.prepare('SELECT state, reason FROM document_review WHERE document_id = ?').get(id) as { state: string; reason: string | null } | undefined) ?? null;

/** The document as the verifier sees it now. */
function seen(id: number): { id: number; labelledAt: string }[] {
  return [{ id, labelledAt: (ctx.db.prepare('SELECT updated_at FROM documents WHERE id = ?').get(id) as { updated_at: string }).updated_at }];
}

describe('review', () => {
  it('makes a document pending when it becomes ready, and only then', () => {
    const draft = insertDocument(ctx.db);
    const ready = insertDocument(ctx.db, { nip: '199001012015031001', typeCode: 'DRH', state: 'ready' });
    expect(stateOf(draft)).toBeNull();
    expect(stateOf(ready)).toEqual({ state: 'pending', reason: null });
    expect(review.list({ limit: 10, offset: 0 }).items.map((item) => item.id)).toEqual([ready]);
  });

  it('lets a verifier withdraw an approval not yet sent, with a reason', () => {
    const id = insertDocument(ctx.db, { state: 'ready' });
    review.approve(seen(id), verifier);
    expect(review.reject(id, ' Cap dinas tidak terbaca ', verifier)).toMatchObject({ review: 'rejected', reviewReason: 'Cap dinas tidak terbaca' });
    expect(stateOf(id)).toEqual({ state: 'rejected', reason: 'Cap dinas tidak terbaca' });
    expect(review.rejected({ limit: 10, offset: 0 }).total).toBe(1);
    expect(emitted).toEqual([[id], [id]]);
  });

  it('no longer decides on a document sync has taken, unless the server refused it', () => {
    const id = insertDocument(ctx.db, { state: 'ready' });
    ctx.db
      .prepare("INSERT INTO document_sync (document_id, state, version, idempotency_key, sha256, size, queued_at, updated_at) VALUES (?, 'uploading', 1, 'k', 's', 1, 'x', 'x')")
      .run(id);
    expect(() => review.approve(seen(id), verifier)).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(review.list({ limit: 10, offset: 0 }).total).toBe(0);
    ctx.db.prepare("UPDATE document_sync SET state = 'rejected' WHERE document_id = ?").run(id);
    expect(review.approve(seen(id), verifier)).toEqual({ approved: 1 });
  });

  it('waits for nothing and decides nothing while approval is off', () => {
    const id = insertDocument(ctx.db, { state: 'ready' });
    review.reject(id, 'Salah jenis', verifier);
    enabled = false;
    expect(review.list({ limit: 10, offset: 0 })).toEqual({ enabled: false, items: [], total: 0, clerks: [] });
    expect(review.rejected({ limit: 10, offset: 0 })).toEqual({ items: [], total: 0 });
    expect(() => review.approve(seen(id), verifier)).toThrow('Verifikasi tidak diaktifkan');
    expect(() => review.reject(id, 'x', verifier)).toThrow('Verifikasi tidak diaktifkan');
  });
});
