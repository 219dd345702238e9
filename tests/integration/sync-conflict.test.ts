// Two workstations against one real central server on PostgreSQL (issue 5): both send the
// same scan (the second finds it on the server by its bytes and sends no second document),
// A edits the label and syncs (an update, version 2), B edits the same document and syncs:
// the conflict appears on B with both sides, and B chooses. Keeping the local label sends it
// over the server's current version; taking the server's adopts its label here. Either way
// the server ends with the chosen version and exactly one document.
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncConflict, SyncReport } from '../../common/contract';
import { KNOWN, SK_PNS_FIELDS, syncWorld, type SyncWorld } from '../helpers/sync';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** The second clerk (a valid NIP that is no employee and no other account). */
const CLERK_B = '199203142019032005';

interface ServerDoc {
  id: string;
  version: number;
  fields: Record<string, string>;
  sha256: string;
}

async function serverDocs(w: SyncWorld): Promise<ServerDoc[]> {
  const { rows } = await w.server.deps.db.query<ServerDoc>("select id, version, fields, sha256 from documents where instansi_id = 'A1' order by created_at");
  return rows.map((row) => ({ ...row, fields: typeof row.fields === 'string' ? (JSON.parse(row.fields) as Record<string, string>) : row.fields }));
}

async function relabel(w: SyncWorld, id: number, nomor: string): Promise<void> {
  await w.call('documents.label', { id, nip: KNOWN[0], typeCode: 'SK_PNS', fields: { ...SK_PNS_FIELDS, nomor } });
}

/** A and B both hold the same verified document, then each edits it; B's sync ends in conflict. */
async function conflictOnB(): Promise<{ a: SyncWorld; b: SyncWorld; idA: number; idB: number }> {
  const a = await syncWorld('postgres');
  cleanups.push(() => a.close());
  const b = await syncWorld('postgres', { second: { sameServerAs: a, clerkNip: CLERK_B } });
  cleanups.unshift(() => b.close()); // closed before A, which owns the server

  const [idA] = await a.labelled([{ name: 'minimal-document.pdf', nip: KNOWN[0] }]);
  await a.call('sync.queue', {});
  expect(await a.call('sync.run', {})).toMatchObject({ verified: 1, problems: [] });
  // B scanned the same sheet: its run finds the document on the server by its bytes and sends no second one.
  const [idB] = await b.labelled([{ name: 'minimal-document.pdf', nip: KNOWN[0] }]);
  await b.call('sync.queue', {});
  expect(await b.call('sync.run', {})).toMatchObject({ verified: 1, problems: [], bytesSent: 0 });
  expect(await serverDocs(a)).toHaveLength(1);

  // A corrects the nomor: queued again at once, sent as an update (version 2), not as a second commit.
  await relabel(a, idA, '800/A/2011');
  expect(await a.call('sync.status', {})).toMatchObject({ counts: { queued: 1, verified: 0 }, pending: 1 });
  expect(await a.call('sync.run', {})).toMatchObject({ verified: 1, problems: [], bytesSent: 0 });
  const [afterA] = await serverDocs(a);
  expect(afterA).toMatchObject({ version: 2, fields: { nomor: '800/A/2011' } });

  // B corrects the same document from version 1: the server holds version 2, so B's run ends in conflict.
  await relabel(b, idB, '800/B/2011');
  const report = (await b.call('sync.run', {})) as SyncReport;
  expect(report).toMatchObject({ verified: 0, remaining: 0 });
  expect(report.problems).toEqual([expect.objectContaining({ documentId: idB, state: 'conflict', code: 'version_conflict' })]);
  const { items } = (await b.call('sync.conflicts', {})) as { items: SyncConflict[] };
  expect(items).toHaveLength(1);
  expect(items[0]).toMatchObject({
    documentId: idB,
    local: { nip: KNOWN[0], typeCode: 'SK_PNS', fields: { nomor: '800/B/2011' } },
    server: { id: afterA.id, version: 2, fields: { nomor: '800/A/2011' }, deleted: false },
    bytesDiffer: false,
  });
  // Nothing was overwritten on the server.
  expect(await serverDocs(a)).toEqual([afterA]);
  return { a, b, idA, idB };
}

describe('two workstations, one server (PostgreSQL)', () => {
  it('B keeps its own label: sent over the server version, the server ends at version 3 with one document', async () => {
    const { a, b, idB } = await conflictOnB();
    expect(await b.refused('sync.resolveConflict', { documentId: 999, keep: 'local' })).toMatchObject({ code: 'not_found' });
    expect(await b.call('sync.resolveConflict', { documentId: idB, keep: 'local' })).toEqual({ state: 'queued' });
    expect(((await b.call('sync.conflicts', {})) as { items: unknown[] }).items).toEqual([]);
    expect(await b.call('sync.run', {})).toMatchObject({ verified: 1, problems: [] });
    const docs = await serverDocs(a);
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ version: 3, fields: { nomor: '800/B/2011' } });
    expect(await b.call('sync.status', {})).toMatchObject({ counts: { verified: 1, conflict: 0 }, problems: [] });
    const audit = (await b.call('audit.list', { action: 'document.conflict_resolved' })) as { items: { detail: Record<string, unknown> }[] };
    expect(audit.items.map((entry) => entry.detail)).toEqual([expect.objectContaining({ keep: 'local', serverVersion: 2 })]);
  });

  it('B takes the server label: adopted locally, nothing more is sent, the server stays at version 2', async () => {
    const { a, b, idB } = await conflictOnB();
    expect(await b.call('sync.resolveConflict', { documentId: idB, keep: 'server' })).toEqual({ state: 'verified' });
    expect(await b.call('documents.get', { id: idB })).toMatchObject({ nip: KNOWN[0], typeCode: 'SK_PNS', fields: { nomor: '800/A/2011' } });
    expect(await b.call('sync.status', {})).toMatchObject({ counts: { verified: 1, conflict: 0 }, pending: 0, problems: [] });
    expect(await b.call('sync.queue', {})).toEqual({ queued: 0 });
    expect(await b.call('sync.run', {})).toMatchObject({ total: 0, verified: 0, problems: [] });
    const docs = await serverDocs(a);
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ version: 2, fields: { nomor: '800/A/2011' } });
    const audit = (await b.call('audit.list', { action: 'document.conflict_resolved' })) as { items: { detail: Record<string, unknown> }[] };
    expect(audit.items.map((entry) => entry.detail)).toEqual([expect.objectContaining({ keep: 'server', serverVersion: 2 })]);

    // A later edit on B goes over version 2 without a conflict.
    await relabel(b, idB, '800/C/2011');
    expect(await b.call('sync.run', {})).toMatchObject({ verified: 1, problems: [] });
    expect((await serverDocs(a))[0]).toMatchObject({ version: 3, fields: { nomor: '800/C/2011' } });
  });
});
