// The outbox row and the state change it carries commit together: when the transaction
// fails part-way (here, the audit entry), no document is left queued without its outbox
// row, and none has an outbox row without being queued.
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../audit';
import { fixedClock, testDb, translateId } from '../../../tests/helpers/profile';
import { insertDocument } from '../../../tests/helpers/documents';
import type { BlobStore } from '../../infra/blobs';
import { createSync } from '.';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

function setup(failAuditAt: number | null) {
  const { db, cleanup } = testDb();
  cleanups.push(cleanup);
  const audit = createAuditLog({ db, clock: fixedClock });
  let appended = 0;
  const append = audit.append.bind(audit);
  audit.append = (entry) => {
    if (++appended === failAuditAt) throw new Error('disk full');
    return append(entry);
  };
  let n = 0;
  const sync = createSync({
    db,
    blobs: {} as BlobStore,
    clock: fixedClock,
    translate: translateId,
    events: { emit: () => {} },
    audit,
    server: () => null,
    sessions: { read: () => null, write: () => {} },
    uuid: () => `key-${++n}`,
    random: () => 0.5,
    sleep: async () => {},
  });
  return { db, sync };
}

const actor = { id: '199001012015031001' };
const count = (db: ReturnType<typeof setup>['db'], table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('sync.queue', () => {
  it('queues ready documents only, each with its outbox row and its own key', () => {
    const { db, sync } = setup(null);
    const ready = [insertDocument(db, { state: 'ready' }), insertDocument(db, { state: 'ready' })];
    insertDocument(db, { state: 'draft' });
    expect(sync.queue(actor)).toEqual({ queued: 2 });
    const rows = db.prepare('SELECT document_id, state, version, idempotency_key FROM document_sync ORDER BY document_id').all();
    expect(rows).toEqual([
      { document_id: ready[0], state: 'queued', version: 1, idempotency_key: 'key-1' },
      { document_id: ready[1], state: 'queued', version: 1, idempotency_key: 'key-2' },
    ]);
    expect(db.prepare('SELECT document_id FROM sync_outbox ORDER BY id').all()).toEqual(ready.map((document_id) => ({ document_id })));
    expect(sync.queue(actor)).toEqual({ queued: 0 });
    expect(sync.status()).toMatchObject({ counts: { queued: 2 }, pending: 2, readyNotQueued: 0 });
  });

  it('leaves nothing queued when the transaction fails part-way', () => {
    const { db, sync } = setup(2);
    insertDocument(db, { state: 'ready' });
    insertDocument(db, { state: 'ready' });
    expect(() => sync.queue(actor)).toThrow('disk full');
    expect(count(db, 'document_sync')).toBe(0);
    expect(count(db, 'sync_outbox')).toBe(0);
    expect(count(db, 'audit_log')).toBe(0);
  });
});

describe('sync.run', () => {
  it('tells an account that never signed in to the server to activate online, and leaves the queue alone', async () => {
    const { db, sync } = setup(null);
    insertDocument(db, { state: 'ready' });
    sync.queue(actor);
    await expect(sync.run(1, actor)).rejects.toThrow(translateId('sync.no_server_session'));
    expect(sync.status()).toMatchObject({ counts: { queued: 1 }, pending: 1, running: false });
  });
});
