import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock, testDb } from '../../../tests/helpers/profile';
import { entryHash } from './chain';
import { createAuditLog, type AuditLog } from './index';

let ctx: ReturnType<typeof testDb>;
let audit: AuditLog;
beforeEach(() => {
  ctx = testDb();
  audit = createAuditLog({ db: ctx.db, clock: fixedClock });
  for (let i = 1; i <= 5; i++) audit.append({ actor: 'sari', action: 'document.viewed', documentId: i, nip: '199001012015031001', detail: { n: i } });
});
afterEach(() => ctx.cleanup());

/** Tampering as an attacker with the file would: another connection, triggers dropped. */
function tamper(sql: string): void {
  const raw = new Database(join(ctx.dir, 'lemari.db'));
  raw.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
  raw.exec(sql);
  raw.close();
}

describe('audit log', () => {
  it('chains every entry and verifies', () => {
    expect(audit.verify()).toEqual({ entries: 5, firstBreak: null });
    const rows = ctx.db.prepare('SELECT prev_hash, hash FROM audit_log ORDER BY id').all() as { prev_hash: string; hash: string }[];
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
  });

  it('refuses UPDATE and DELETE through SQL', () => {
    expect(() => ctx.db.prepare("UPDATE audit_log SET actor = 'x' WHERE id = 2").run()).toThrow(/append-only/);
    expect(() => ctx.db.prepare('DELETE FROM audit_log WHERE id = 2').run()).toThrow(/append-only/);
  });

  it('names the first edited entry', () => {
    tamper("UPDATE audit_log SET actor = 'orang lain' WHERE id = 3");
    expect(audit.verify().firstBreak).toEqual({ id: 3, reason: 'hash' });
  });

  it('names the entry after a deleted one', () => {
    tamper('DELETE FROM audit_log WHERE id = 2');
    expect(audit.verify().firstBreak).toEqual({ id: 3, reason: 'prev_hash' });
  });

  it('catches reordered entries', () => {
    tamper('UPDATE audit_log SET id = 100 WHERE id = 2; UPDATE audit_log SET id = 2 WHERE id = 4; UPDATE audit_log SET id = 4 WHERE id = 100;');
    expect(audit.verify().firstBreak?.id).toBe(2);
  });

  it('catches an entry recomputed without its successor being', () => {
    // An attacker who rehashes an edited entry still breaks the next link.
    const row = ctx.db.prepare('SELECT * FROM audit_log WHERE id = 3').get() as Record<string, unknown>;
    const edited = { ...row, actor: 'orang lain' } as unknown as Parameters<typeof entryHash>[1];
    tamper(`UPDATE audit_log SET actor = 'orang lain', hash = '${entryHash(row.prev_hash as string, edited)}' WHERE id = 3`);
    expect(audit.verify().firstBreak).toEqual({ id: 4, reason: 'prev_hash' });
  });

  it('lists entries newest first with filters', () => {
    audit.append({ actor: 'budi', action: 'login.succeeded' });
    expect(audit.list({ actor: 'budi', limit: 10, offset: 0 })).toMatchObject({ total: 1, items: [{ actor: 'budi', action: 'login.succeeded' }] });
    expect(audit.list({ action: 'document.viewed', limit: 2, offset: 0 }).items.map((e) => e.documentId)).toEqual([5, 4]);
  });

  it('queues every entry for the server until it is marked sent', () => {
    expect(audit.pending(100).map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
    audit.markSent(3);
    expect(audit.pending(100).map((e) => e.id)).toEqual([4, 5]);
    audit.markSent(2); // a late acknowledgement never moves the cursor back
    expect(audit.pending(1).map((e) => e.id)).toEqual([4]);
    expect(audit.pending(1)[0].prev_hash).toBe((ctx.db.prepare('SELECT hash FROM audit_log WHERE id = 3').get() as { hash: string }).hash);
  });
});
