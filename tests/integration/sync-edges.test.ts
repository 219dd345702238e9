// Edges of sync (issue 5) against a real central server: a label changed while its send is
// in flight, or while the document sits committed and not yet verified, still reaches the
// server; a document type the instansi added on the server is usable for labelling after a
// pull, while a shipped type keeps its shipped definition; and labelling tells the shells
// (documents.onDidChange), so the sync indicator refreshes.
import { afterEach, describe, expect, it } from 'vitest';
import type { ReferenceData } from '../../common/doctypes';
import { KNOWN, SK_PNS_FIELDS, syncWorld, type SyncWorld } from '../helpers/sync';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function world(): Promise<SyncWorld> {
  const w = await syncWorld('pglite');
  cleanups.push(() => w.close());
  return w;
}

const relabel = (w: SyncWorld, id: number, nomor: string) => w.call('documents.label', { id, nip: KNOWN[0], typeCode: 'SK_PNS', fields: { ...SK_PNS_FIELDS, nomor } });

async function serverFields(w: SyncWorld): Promise<{ version: number; nomor: string }[]> {
  const { rows } = await w.server.deps.db.query<{ version: number; fields: string | Record<string, string> }>("select version, fields from documents where instansi_id = 'A1'");
  return rows.map((row) => ({ version: row.version, nomor: (typeof row.fields === 'string' ? (JSON.parse(row.fields) as Record<string, string>) : row.fields).nomor }));
}

describe('sync edges', () => {
  it('re-sends a label changed while its commit was in flight, or while it sat committed and not yet verified', async () => {
    const w = await world();
    const [id] = await w.labelled([{ name: 'minimal-document.pdf', nip: KNOWN[0] }]);
    await w.call('sync.queue', {});
    // The clerk corrects the nomor while the server is committing the document with the old one.
    let relabelled = false;
    w.hook.current = async (url, init, next) => {
      const answer = await next(url, init);
      if (!relabelled && init.method === 'POST' && /\/v1\/documents(\/send)?$/.test(url)) {
        relabelled = true;
        await relabel(w, id, '800/KOREKSI/2011');
      }
      return answer;
    };
    expect(await w.call('sync.run', {})).toMatchObject({ verified: 1, problems: [] });
    expect(relabelled).toBe(true);
    expect(await serverFields(w)).toEqual([{ version: 1, nomor: SK_PNS_FIELDS.nomor }]);
    // Not left verified with the old label: queued again as an edit of version 1.
    expect(await w.call('sync.status', {})).toMatchObject({ counts: { queued: 1 }, pending: 1 });
    w.hook.current = null;
    expect(await w.call('sync.run', {})).toMatchObject({ verified: 1, problems: [], bytesSent: 0 });
    expect(await serverFields(w)).toEqual([{ version: 2, nomor: '800/KOREKSI/2011' }]);

    // A run that stopped (a crash) right after the server took the update leaves it committed, not verified.
    w.profile.db.prepare(`UPDATE document_sync SET state = 'committed' WHERE document_id = ?`).run(id);
    w.profile.db.prepare(`INSERT INTO sync_outbox (document_id, kind, created_at) VALUES (?, 'commit', '2026-11-24T09:00:00Z')`).run(id);
    await relabel(w, id, '800/KOREKSI-2/2011');
    expect(w.profile.db.prepare('SELECT state FROM document_sync WHERE document_id = ?').get(id)).toEqual({ state: 'committed' });
    expect(await w.call('sync.run', {})).toMatchObject({ verified: 1, problems: [] });
    expect(await w.call('sync.status', {})).toMatchObject({ counts: { queued: 1 }, pending: 1 });
    expect(await w.call('sync.run', {})).toMatchObject({ verified: 1, problems: [] });
    expect(await serverFields(w)).toEqual([{ version: 3, nomor: '800/KOREKSI-2/2011' }]);
    expect(await w.call('sync.status', {})).toMatchObject({ pending: 0 });
  });

  it('leaves a verified document alone until its label changes, and tells the shells when it does (the sync indicator refreshes)', async () => {
    const w = await world();
    const [id] = await w.labelled([{ name: 'minimal-document.pdf', nip: KNOWN[0] }]);
    await w.call('sync.queue', {});
    expect(await w.call('sync.run', {})).toMatchObject({ verified: 1 });
    expect(await w.call('sync.status', {})).toMatchObject({ pending: 0 });
    expect(await serverFields(w)).toEqual([{ version: 1, nomor: SK_PNS_FIELDS.nomor }]);

    const seen: unknown[] = [];
    const unsubscribe = w.profile.events.subscribe((name, payload) => {
      if (name === 'documents.onDidChange') seen.push(payload);
    });
    await relabel(w, id, '800/LAIN/2011');
    unsubscribe();
    expect(seen).toEqual([{ ids: [id] }]);
    expect(await w.call('sync.status', {})).toMatchObject({ pending: 1 });
  });

  it('lets a clerk label with a document type pulled from the server, and keeps the shipped definition of a shipped type', async () => {
    const w = await world();
    const before = (await w.call('reference.get', {})) as ReferenceData;
    const drh = before.documentTypes.find((type) => type.code === 'DRH')!;
    const custom = { name: { id: 'SK Tugas Tambahan', en: 'Additional duty decree' }, idRefDokumen: null, jenisRiwayat: null, category: 'pendukung', fields: [{ key: 'nomor', required: true }, { key: 'tanggal', required: true }], maxBytes: 1048576, aliases: ['tugas tambahan'] };
    const put = await w.server.call('PUT', '/v1/reference/document-types/SK_TUGAS_TAMBAHAN', { token: w.adminToken, body: custom });
    expect(put.status).toBe(200);
    const { code: _code, ...drhBody } = { ...drh, name: { id: 'DRH versi server', en: 'Server DRH' } };
    expect((await w.server.call('PUT', '/v1/reference/document-types/DRH', { token: w.adminToken, body: drhBody })).status).toBe(200);

    const [id] = await w.labelled([{ name: 'minimal-document.pdf', nip: KNOWN[0] }]);
    expect((await w.refused('documents.label', { id, nip: KNOWN[0], typeCode: 'SK_TUGAS_TAMBAHAN', fields: { nomor: '1/2026', tanggal: '2026-01-05' } })).code).toBe('invalid_input');
    await w.call('sync.pull', {});

    const after = (await w.call('reference.get', {})) as ReferenceData;
    expect(after.documentTypes.find((type) => type.code === 'SK_TUGAS_TAMBAHAN')).toEqual({ code: 'SK_TUGAS_TAMBAHAN', ...custom });
    expect(after.documentTypes.find((type) => type.code === 'DRH')).toEqual(drh);
    expect(after.documentTypes.slice(0, before.documentTypes.length)).toEqual(before.documentTypes);
    // Required fields of the server's definition are enforced here too.
    expect((await w.refused('documents.label', { id, nip: KNOWN[0], typeCode: 'SK_TUGAS_TAMBAHAN', fields: { nomor: '1/2026' } })).code).toBe('invalid_input');
    expect(await w.call('documents.label', { id, nip: KNOWN[0], typeCode: 'SK_TUGAS_TAMBAHAN', fields: { nomor: '1/2026', tanggal: '2026-01-05' } })).toMatchObject({ typeCode: 'SK_TUGAS_TAMBAHAN', state: 'ready' });
    // And it goes to the server under that type.
    await w.call('sync.queue', {});
    expect(await w.call('sync.run', {})).toMatchObject({ verified: 1, problems: [] });
  });
});
