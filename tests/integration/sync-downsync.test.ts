// Down-sync and audit upload against a real central server (issue 5), on PGlite and
// PostgreSQL: a fresh workstation pulls the instansi's employees, document types and the
// server's document index (following each feed's cursor, so a second pull reads nothing),
// shows "sudah di DMS" for what another workstation sent, marks a document the server
// deleted instead of dropping it; and the audit log reaches the server at each run, its
// cursor moving only once the server accepted the entries.
import { afterEach, describe, expect, it } from 'vitest';
import type { PullReport, ServerDocument } from '../../common/contract';
import { KNOWN, syncWorld, type SyncWorld } from '../helpers/sync';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const CLERK_B = '199203142019032005';

async function auditCursor(w: SyncWorld): Promise<number> {
  return (w.profile.db.prepare("SELECT last_id FROM sync_cursors WHERE name = 'audit'").get() as { last_id: number }).last_id;
}

async function serverAudit(w: SyncWorld): Promise<{ id: number; action: string; hash: string }[]> {
  const { rows } = await w.server.deps.db.query<{ id: number; action: string; hash: string }>('select id, action, hash from audit_entries order by id');
  return rows;
}

describe.each(['pglite', 'postgres'] as const)('down-sync on %s', (kind) => {
  it('pulls employees, document types and the document index; shows "already in the DMS"; marks a deleted document', async () => {
    const a = await syncWorld(kind);
    cleanups.push(() => a.close());
    const b = await syncWorld(kind, { second: { sameServerAs: a, clerkNip: CLERK_B } });
    cleanups.push(() => b.close());
    await a.labelled([{ name: 'minimal-document.pdf', nip: KNOWN[0] }]);
    await a.call('sync.queue', {});
    expect(await a.call('sync.run', {})).toMatchObject({ verified: 1 });

    expect(await b.refused('employees.get', { nip: KNOWN[0] })).toMatchObject({ code: 'not_found' });
    const pulled = (await b.call('sync.pull', {})) as PullReport;
    expect(pulled).toMatchObject({ employees: 2, documents: 1 });
    expect(pulled.documentTypes).toBeGreaterThan(10);
    expect(await b.call('employees.get', { nip: KNOWN[0] })).toMatchObject({ employee: { nip: KNOWN[0], nama: 'Pegawai 1' } });
    const { items } = (await b.call('documents.onServer', { nip: KNOWN[0] })) as { items: ServerDocument[] };
    expect(items).toEqual([expect.objectContaining({ typeCode: 'SK_PNS', version: 1, local: false })]);
    expect(await b.call('documents.onServer', { nip: KNOWN[1] })).toEqual({ items: [] });
    // The cursors were kept: nothing new, nothing read twice.
    expect(await b.call('sync.pull', {})).toEqual({ employees: 0, documentTypes: 0, documents: 0 });

    // The document is deleted on the server: the next pull marks it, and it no longer counts as in the DMS.
    const deleted = await a.server.call('PATCH', `/v1/documents/${items[0].serverId}`, { token: a.adminToken, body: { expectedVersion: 1, deleted: true } });
    expect(deleted.status).toBe(200);
    expect(await b.call('sync.pull', {})).toMatchObject({ documents: 1 });
    expect(await b.call('documents.onServer', { nip: KNOWN[0] })).toEqual({ items: [] });
    expect(b.profile.db.prepare('SELECT deleted, version FROM dms_documents WHERE server_id = ?').get(items[0].serverId)).toEqual({ deleted: 1, version: 2 });
  });

  it('sends the audit log at each run; a refused ingest keeps the cursor and the next run sends the same entries', async () => {
    const w = await syncWorld(kind);
    cleanups.push(() => w.close());
    await w.labelled([{ name: 'minimal-document.pdf', nip: KNOWN[0] }]);
    await w.call('sync.queue', {});
    let ingests = 0;
    w.hook.current = async (url, init, next) => {
      if (init.method === 'POST' && new URL(url).pathname === '/v1/audit/entries') {
        ingests++;
        return new Response(JSON.stringify({ error: { code: 'unavailable', message: 'down for maintenance' } }), { status: 503, headers: { 'content-type': 'application/json' } });
      }
      return next(url, init);
    };
    expect(await w.call('sync.run', {})).toMatchObject({ verified: 1, problems: [] });
    expect(ingests).toBe(1);
    expect(await auditCursor(w)).toBe(0);
    expect(await serverAudit(w)).toEqual([]);

    w.hook.current = null;
    await w.call('sync.run', {});
    const local = w.profile.db.prepare('SELECT id, action, hash FROM audit_log ORDER BY id').all() as { id: number; action: string; hash: string }[];
    const onServer = await serverAudit(w);
    const cursor = await auditCursor(w);
    // Everything up to the second run's own closing entry went, in order, hashes intact.
    expect(cursor).toBe(local.length - 1);
    expect(onServer.map((e) => e.hash)).toEqual(local.slice(0, cursor).map((e) => e.hash));
    expect(onServer.map((e) => e.action)).toEqual(expect.arrayContaining(['document.labelled', 'document.synced']));
  });
});
