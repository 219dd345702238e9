// Verification (issue 7) through the contract on a real profile (SQLite, audit chain, the
// sync queue): with approval on, labelled documents wait for a verifier; approved ones are
// queued, rejected ones go back to the clerk with the reason until relabelled, a changed
// label loses its approval, bulk approval is all or nothing, clerks may not decide, and
// every decision is in the audit log.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName, ReviewItem } from '../../common/contract';
import { fromBase32, totpCode } from '../../main/core/auth/totp';
import { KeyFileSecretStore } from '../../main/infra/secrets';
import { ConfSettingsStore } from '../../main/infra/settings';
import { openProfile, type Profile } from '../../main/profile';
import { insertDocument, insertEmployee } from '../helpers/documents';
import { resourcesDir, tempDir } from '../helpers/profile';

type Session = ReturnType<Profile['newSession']>;

let work: ReturnType<typeof tempDir>;
let profile: Profile;
let now = Date.parse('2026-11-24T02:00:00Z');
const clock = { now: () => new Date(now) };
const ADMIN = { nip: '198001012005011001', password: 'arsip kepegawaian aman 2026' };
const CLERK = { nip: '199001012015031001', password: 'sandi awal budi 123', newPassword: 'sandi budi yang baru 456' };
const VERIFIER = { nip: '198505052010012002', password: 'sandi awal sari 123', newPassword: 'sandi sari yang baru 456' };
const EMPLOYEE = '199203042015031001';
let admin: Session;
let clerk: Session;
let verifier: Session;

async function call<T = any>(method: MethodName, input: unknown, session: Session): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any -- each test reads the answer it expects
  const result = await profile.api.call(method, input, { session });
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as T;
}

async function refused(method: MethodName, input: unknown, session: Session): Promise<{ code: string; message: string }> {
  const result = await profile.api.call(method, input, { session });
  if (result.ok) throw new Error(`${method} was allowed`);
  return result.error;
}

/** An account's first login (admin-set password: enrol, then change it), then a full login. */
async function newAccount(user: typeof CLERK, role: 'clerk' | 'verifier'): Promise<Session> {
  await call('users.create', { nip: user.nip, nama: role, role, password: user.password }, admin);
  now += 30_000;
  const first = profile.newSession();
  await call('auth.beginLogin', { nip: user.nip, password: user.password }, first);
  const { secret } = await call<{ secret: string }>('auth.startEnrolment', {}, first);
  await call('auth.confirmEnrolment', { code: totpCode(fromBase32(secret), clock.now()) }, first);
  await call('auth.changePassword', { oldPassword: user.password, newPassword: user.newPassword }, first);
  now += 30_000;
  const session = profile.newSession();
  const begun = await call<{ ticket: string }>('auth.beginLogin', { nip: user.nip, password: user.newPassword }, session);
  await call('auth.completeLogin', { ticket: begun.ticket, code: totpCode(fromBase32(secret), clock.now()) }, session);
  return session;
}

const label = (id: number, nomor = '800/123/BKD/2016') => ({ id, nip: EMPLOYEE, typeCode: 'SK_PNS', fields: { nomor, tanggal: '2016-04-01', tmt: '2016-04-01', golongan: 'III/a' } });

/** Imported drafts the clerk labels; answers their ids. */
async function labelled(count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const id = insertDocument(profile.db);
    await call('documents.label', label(id), clerk);
    ids.push(id);
  }
  return ids;
}

const queuedIds = () => (profile.db.prepare("SELECT document_id FROM document_sync WHERE state = 'queued' ORDER BY document_id").all() as { document_id: number }[]).map((row) => row.document_id);
/** review.approve's input for documents as the verifier sees them now (their labelledAt). */
function asSeen(...ids: number[]): { items: { id: number; labelledAt: string }[] } {
  const at = (id: number) => (profile.db.prepare('SELECT updated_at FROM documents WHERE id = ?').get(id) as { updated_at: string } | undefined)?.updated_at ?? '';
  return { items: ids.map((id) => ({ id, labelledAt: at(id) })) };
}
const waiting = async (filter: object = {}) => (await call<{ items: ReviewItem[] }>('review.list', filter, verifier)).items.map((item) => item.id);

beforeAll(async () => {
  work = tempDir('lemari-review-');
  const dataDir = join(work.dir, 'profil');
  profile = await openProfile({ dataDir, host: 'cli', resourcesDir, settings: new ConfSettingsStore(dataDir), secrets: new KeyFileSecretStore(dataDir), logger: { error: () => {}, info: () => {} }, clock });
  admin = profile.newSession();
  const { enrolment } = await call<{ enrolment: { secret: string } }>('auth.bootstrap', { nip: ADMIN.nip, nama: 'Admin', password: ADMIN.password }, admin);
  await call('auth.confirmEnrolment', { code: totpCode(fromBase32(enrolment.secret), clock.now()) }, admin);
  clerk = await newAccount(CLERK, 'clerk');
  verifier = await newAccount(VERIFIER, 'verifier');
  insertEmployee(profile.db, EMPLOYEE, 'Rina', 'Bidang Mutasi');
});

afterAll(async () => {
  await profile.close();
  work.cleanup();
});

describe('verification', () => {
  it('is off by default: nothing waits, a decision is refused harmlessly, and labelled documents are queued', async () => {
    const [id] = await labelled(1);
    expect(await call('documents.get', { id }, clerk)).toMatchObject({ state: 'ready', review: 'pending', reviewReason: null });
    expect(await call('review.list', {}, verifier)).toEqual({ enabled: false, items: [], total: 0, clerks: [] });
    expect(await refused('review.approve', asSeen(id), verifier)).toMatchObject({ code: 'conflict', message: expect.stringContaining('Verifikasi tidak diaktifkan') });
    expect(await call('sync.queue', {}, clerk)).toEqual({ queued: 1 });
    expect(queuedIds()).toEqual([id]);
  });

  it('with approval on, queues only what a verifier approved', async () => {
    await call('settings.update', { requireApproval: true }, admin);
    const [a, b] = await labelled(2);
    const list = await call<{ enabled: boolean; items: ReviewItem[]; clerks: string[] }>('review.list', {}, verifier);
    expect(list).toMatchObject({ enabled: true, clerks: [CLERK.nip] });
    expect(list.items.map((item) => item.id)).toEqual([a, b]);
    expect(list.items[0]).toMatchObject({ nip: EMPLOYEE, nama: 'Rina', unitKerja: 'Bidang Mutasi', labelledBy: CLERK.nip, review: 'pending' });
    // The filters: by unit, by clerk, by the time of labelling.
    expect(await waiting({ unitKerja: 'Bidang Mutasi', clerk: CLERK.nip })).toEqual([a, b]);
    expect(await waiting({ unitKerja: 'Bidang Lain' })).toEqual([]);
    expect(await waiting({ clerk: ADMIN.nip })).toEqual([]);
    const later = new Date(now + 1).toISOString();
    expect(await waiting({ from: later })).toEqual([]);
    expect(await waiting({ to: later, from: clock.now().toISOString() })).toEqual([a, b]);

    const before = queuedIds();
    expect(await call('sync.queue', {}, clerk)).toEqual({ queued: 0 });
    expect(await call('review.approve', asSeen(a), verifier)).toEqual({ approved: 1 });
    expect(await call('documents.get', { id: a }, clerk)).toMatchObject({ review: 'approved' });
    expect(await call('sync.queue', {}, clerk)).toEqual({ queued: 1 });
    expect(queuedIds()).toEqual([...before, a]);
    // Queued: it no longer waits, and the decision cannot be taken back.
    expect(await waiting()).toEqual([b]);
    expect((await refused('review.reject', { id: a, reason: 'salah' }, verifier)).code).toBe('conflict');
  });

  it('sends a rejected document back to the clerk with the reason until it is relabelled', async () => {
    const [id] = await labelled(1);
    expect((await refused('review.reject', { id, reason: '   ' }, verifier)).code).toBe('invalid_input');
    expect((await refused('review.reject', { id, reason: 'x'.repeat(501) }, verifier)).code).toBe('invalid_input');
    const reason = 'Nomor SK tidak sama dengan yang tertulis di halaman 1';
    expect(await call('review.reject', { id, reason: `  ${reason} ` }, verifier)).toMatchObject({ id, review: 'rejected', reviewReason: reason });

    // The clerk sees it: in the list of what came back, on the document, in the document list.
    const back = await call<{ items: ReviewItem[] }>('review.rejected', {}, clerk);
    expect(back.items.map((item) => [item.id, item.reviewReason])).toEqual([[id, reason]]);
    expect(await call('documents.get', { id }, clerk)).toMatchObject({ review: 'rejected', reviewReason: reason });
    const listed = await call<{ items: { id: number; reviewReason: string | null }[] }>('documents.list', { nip: EMPLOYEE, limit: 500 }, clerk);
    expect(listed.items.find((doc) => doc.id === id)?.reviewReason).toBe(reason);
    expect(await waiting()).not.toContain(id);
    expect(await call('sync.queue', {}, clerk)).toEqual({ queued: 0 });

    now += 60_000;
    await call('documents.label', label(id, '800/124/BKD/2016'), clerk);
    expect(await call('documents.get', { id }, clerk)).toMatchObject({ review: 'pending', reviewReason: null });
    expect((await call<{ items: ReviewItem[] }>('review.rejected', {}, clerk)).items).toEqual([]);
    expect(await waiting()).toContain(id);
  });

  it('takes the approval away when the label changes, not when it is saved unchanged', async () => {
    const [id] = await labelled(1);
    await call('review.approve', asSeen(id), verifier);
    now += 60_000;
    await call('documents.label', label(id), clerk);
    expect(await call('documents.get', { id }, clerk)).toMatchObject({ review: 'approved' });
    await call('documents.label', label(id, '800/999/BKD/2016'), clerk);
    expect(await call('documents.get', { id }, clerk)).toMatchObject({ review: 'pending' });
    expect(await call('sync.queue', {}, clerk)).toEqual({ queued: 0 });
  });

  it('sends a document the server refused again only after a verifier approved its new label', async () => {
    const [id] = await labelled(1);
    await call('review.approve', asSeen(id), verifier);
    expect(await call('sync.queue', {}, clerk)).toEqual({ queued: 1 });
    // The server refused it (as a sync run records a 4xx): out of the outbox, the reason kept.
    profile.db.prepare("UPDATE document_sync SET state = 'rejected', error_code = 'invalid_label', error_message = 'nip: not_an_employee' WHERE document_id = ?").run(id);
    profile.db.prepare('DELETE FROM sync_outbox WHERE document_id = ?').run(id);
    now += 60_000;
    await call('documents.label', label(id, '800/777/BKD/2016'), clerk);
    expect(await call('sync.retry', { ids: [id] }, clerk)).toEqual({ requeued: 0 });
    expect(queuedIds()).not.toContain(id);
    await call('review.approve', asSeen(id), verifier);
    expect(await call('sync.retry', { ids: [id] }, clerk)).toEqual({ requeued: 1 });
    expect(queuedIds()).toContain(id);
  });

  it('counts as ready to send only what a verifier approved', async () => {
    const before = (await call<{ readyNotQueued: number }>('sync.status', {}, clerk)).readyNotQueued;
    const [id] = await labelled(1);
    expect((await call<{ readyNotQueued: number }>('sync.status', {}, clerk)).readyNotQueued).toBe(before);
    await call('review.approve', asSeen(id), verifier);
    expect((await call<{ readyNotQueued: number }>('sync.status', {}, clerk)).readyNotQueued).toBe(before + 1);
    expect(await call('sync.queue', {}, clerk)).toMatchObject({ queued: before + 1 });
  });

  it('does not approve a label the clerk changed after the verifier looked', async () => {
    const [id] = await labelled(1);
    const looked = asSeen(id);
    now += 60_000;
    await call('documents.label', label(id, '800/555/BKD/2016'), clerk);
    expect(await refused('review.approve', looked, verifier)).toMatchObject({ code: 'conflict', message: expect.stringContaining(`#${id}`) });
    expect((await call('documents.get', { id }, clerk)).review).toBe('pending');
    expect(await call('review.approve', asSeen(id), verifier)).toEqual({ approved: 1 });
    expect(await call('sync.queue', {}, clerk)).toEqual({ queued: 1 });
  });

  it('approves a reviewed batch all at once, or none of it when one was decided meanwhile', async () => {
    const [a, b, c] = await labelled(3);
    await call('review.reject', { id: c, reason: 'Halaman terpotong' }, verifier);
    expect(await refused('review.approve', asSeen(a, b, c), verifier)).toMatchObject({ code: 'conflict', message: expect.stringContaining(`#${c}`) });
    expect((await call('documents.get', { id: a }, clerk)).review).toBe('pending');
    expect(await call('review.approve', asSeen(a, b, b), verifier)).toEqual({ approved: 2 });
    expect(await call('sync.queue', {}, clerk)).toEqual({ queued: 2 });
    expect(queuedIds()).toEqual(expect.arrayContaining([a, b]));
    expect(queuedIds()).not.toContain(c);
    expect((await refused('review.approve', asSeen(999_999), verifier)).code).toBe('not_found');
  });

  it('keeps a document a verifier rejected from being sent after approval is turned off, until it is relabelled', async () => {
    const [id] = await labelled(1);
    await call('review.reject', { id, reason: 'Halaman kedua hilang' }, verifier);
    await call('settings.update', { requireApproval: false }, admin);
    try {
      // What earlier tests left waiting for approval goes now; the rejected one stays.
      await call('sync.queue', {}, clerk);
      expect(queuedIds()).not.toContain(id);
      expect((await call<{ readyNotQueued: number }>('sync.status', {}, clerk)).readyNotQueued).toBe(0);
      now += 60_000;
      await call('documents.label', label(id, '800/321/BKD/2016'), clerk);
      expect(await call('sync.queue', {}, clerk)).toEqual({ queued: 1 });
      expect(queuedIds()).toContain(id);
    } finally {
      await call('settings.update', { requireApproval: true }, admin);
    }
  });

  it('refuses the decisions to a clerk, whatever the document', async () => {
    const [id] = await labelled(1);
    for (const [method, input] of [
      ['review.approve', asSeen(id)],
      ['review.reject', { id, reason: 'sendiri' }],
      ['review.list', {}],
    ] as const) {
      expect((await refused(method, input, clerk)).code, method).toBe('forbidden');
    }
    expect((await call('documents.get', { id }, clerk)).review).toBe('pending');
    // An admin may decide.
    expect(await call('review.approve', asSeen(id), admin)).toEqual({ approved: 1 });
  });

  it('writes each decision to the audit log, whose chain still verifies', async () => {
    const [a, b] = await labelled(2);
    await call('review.approve', asSeen(a), verifier);
    await call('review.reject', { id: b, reason: 'Bukan SK PNS' }, verifier);
    const entries = profile.db.prepare("SELECT actor, action, document_id, nip, detail FROM audit_log WHERE document_id IN (?, ?) AND action LIKE 'document.%ed' AND action <> 'document.labelled' ORDER BY id").all(a, b);
    expect(entries).toEqual([
      { actor: VERIFIER.nip, action: 'document.approved', document_id: a, nip: EMPLOYEE, detail: JSON.stringify({ batch: 1 }) },
      { actor: VERIFIER.nip, action: 'document.rejected', document_id: b, nip: EMPLOYEE, detail: JSON.stringify({ reason: 'Bukan SK PNS' }) },
    ]);
    // (The inserted test documents have no bytes in the blob store; only the chain is asked about.)
    const report = await call<{ problems: { kind: string }[] }>('maintenance.verify', {}, admin);
    expect(report.problems.filter((problem) => problem.kind !== 'blob_missing')).toEqual([]);
  });
});
