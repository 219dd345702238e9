// Sync run control, settings and reports against a real central server: pausing in the
// middle of a multi-chunk file and resuming sends only the rest; cancelling takes what had
// not reached the server out of the queue (a committed one stays and is verified next run);
// two uploads at once share one bandwidth cap and wait as long as the cap says; every run's
// report is stored with each document's outcome and reason, exports as CSV that reads back
// and as PDF under the instansi's name; `lemari sync --report` writes the CSV and says where.
// The server's SQL is not what these tests exercise (the workstation's SQLite is), so they
// run on PostgreSQL only; tests/integration/sync.test.ts covers both engines. The test
// profile is opened as the CLI host, so its runs are stored with the trigger 'cli'.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EventPayload, ExportedFile, SyncReport, SyncRunReport, SyncRunSummary, SyncStatus } from '../../common/contract';
import { fromBase32, totpCode } from '../../common/auth/totp';
import { t } from '../../common/i18n';
import { runCli } from '../../main/cli/run';
import { parseCsv as readCsv } from '../../main/core/employees/table';
import { pdfText } from '../helpers/pdf-text';
import { CLERK_NIP, KNOWN, requestBytes, UNKNOWN_NIP, worldsOn, type SyncWorld } from '../helpers/sync';

// The workstation's own CSV reader (the employee import): what an office's spreadsheet reads back.
const parseCsv = (text: string) => readCsv(text) as string[][];

const { world, cleanups } = worldsOn('postgres');

type Progress = EventPayload<'sync.onDidProgress'>;
function watchProgress(w: SyncWorld): Progress[] {
  const seen: Progress[] = [];
  const unsubscribe = w.profile.events.subscribe((name, payload) => name === 'sync.onDidProgress' && seen.push(payload as Progress));
  cleanups.push(async () => unsubscribe());
  return seen;
}

/** A request carrying bytes: an upload's creation (with the first chunk) or a PATCH. */
const carriesBytes = (url: string, init: RequestInit) => init.method === 'PATCH' || (init.method === 'POST' && new URL(url).pathname === '/v1/uploads');

/** Every request carrying bytes the server answered: its upload (or creation), offset and size. */
function patches(w: SyncWorld, after?: (answered: { url: string; offset: number; bytes: number }[]) => void) {
  const answered: { url: string; offset: number; bytes: number }[] = [];
  w.hook.current = async (url, init, next) => {
    const res = await next(url, init);
    if (carriesBytes(url, init) && (res.status === 204 || res.status === 201)) {
      const offset = init.method === 'POST' ? 0 : Number((init.headers as Record<string, string>)['upload-offset']);
      answered.push({ url, offset, bytes: requestBytes(init) });
      after?.(answered);
    }
    return res;
  };
  return answered;
}

const CHUNK = 64 * 1024;
const size = async (w: SyncWorld, id: number) => ((await w.call('documents.get', { id })) as { size: number }).size;

describe('sync run control', () => {
  it('pause in the middle of a multi-chunk file keeps its place; resume sends the rest only', async () => {
    const w = await world({ chunkBytes: CHUNK });
    const [id] = await w.labelled([{ name: 'cmyk-image.pdf', nip: KNOWN[0] }]);
    const bytes = await size(w, id);
    const progress = watchProgress(w);
    let paused: Promise<{ paused: boolean }> | null = null;
    const answered = patches(w, (list) => {
      // Each PATCH takes a second of the workstation's clock: the progress has a speed and an ETA.
      w.clocks.workstation += 1000;
      if (list.length === 3 && !paused) paused = w.call('sync.pause', {});
    });
    await w.call('sync.queue', {});
    const first = (await w.call('sync.run', {})) as SyncReport;
    expect(await paused).toEqual({ paused: true });
    expect(first).toMatchObject({ phase: 'paused', cancelled: true, verified: 0, remaining: 1, trigger: 'cli' });
    expect(await w.call('sync.status', {})).toMatchObject({ counts: { uploading: 1 }, pending: 1, running: false });
    expect(progress.at(-1)).toMatchObject({ phase: 'paused', current: null });
    const moving = progress.find((p) => p.phase === 'running' && p.bytesDone === 3 * CHUNK);
    expect(moving?.speedBps).toBeCloseTo(CHUNK, -2); // 64 KiB a second
    expect(moving?.etaSeconds).toBe(Math.ceil((bytes - 3 * CHUNK) / moving!.speedBps));
    expect(answered).toHaveLength(3);

    const second = (await w.call('sync.resume', {})) as SyncReport;
    expect(second).toMatchObject({ phase: 'done', cancelled: false, verified: 1, remaining: 0 });
    expect(answered[3].offset).toBe(3 * CHUNK); // went on from the server's offset
    expect(answered.reduce((sum, p) => sum + p.bytes, 0)).toBe(bytes); // no byte twice
    expect(first.bytesSent + second.bytesSent).toBe(bytes);
    expect(progress.at(-1)).toMatchObject({ phase: 'done', etaSeconds: 0, bytesDone: bytes, bytesTotal: bytes });
    expect((await w.serverDocuments()).map((d) => d.sha256)).toEqual([(await w.call('documents.get', { id })).sha256]);

    // Both runs are stored, newest first; the paused one lists the file as waiting.
    const reports = (await w.call('sync.reports', {})) as { items: SyncRunSummary[]; total: number };
    expect(reports.total).toBe(2);
    expect(reports.items.map((r) => [r.runId, r.phase, r.verified, r.waiting])).toEqual([
      [second.runId, 'done', 1, 0],
      [first.runId, 'paused', 0, 1],
    ]);
    expect(reports.items[1]).toMatchObject({ bytesSent: 3 * CHUNK, bytesTotal: bytes, actor: CLERK_NIP, trigger: 'cli' });
    expect(await w.call('sync.pause', {})).toEqual({ paused: false }); // nothing running
  });

  it('cancel takes what had not reached the server out of the queue; a committed document stays and is verified next run', async () => {
    // One document per request (no batch): the cancel falls between two of them.
    const w = await world({ batchItems: 1 });
    await w.call('settings.update', { syncConcurrency: 1 });
    const ids = await w.labelled([
      { name: 'minimal-document.pdf', nip: KNOWN[0] },
      { name: 'crazyones-pdfa.pdf', nip: KNOWN[1] },
    ]);
    let cancelled: Promise<{ dequeued: number }> | null = null;
    w.hook.current = async (url, init, next) => {
      const res = await next(url, init);
      // The first document's send (its bytes and label in one request) is answered, then the clerk cancels.
      if (init.method === 'POST' && new URL(url).pathname === '/v1/documents/send') cancelled ??= w.call('sync.cancel', {});
      return res;
    };
    await w.call('sync.queue', {});
    const report = (await w.call('sync.run', {})) as SyncReport;
    expect(report).toMatchObject({ phase: 'cancelled', cancelled: true, verified: 0 });
    expect(await cancelled).toEqual({ dequeued: 1 });
    // The commit's answer may or may not be written down before the stop: either way the document stays queued.
    const status = (await w.call('sync.status', {})) as SyncStatus;
    expect(status).toMatchObject({ counts: { queued: 0 }, pending: 1, readyNotQueued: 1 });
    expect(status.counts.committed + status.counts.uploading).toBe(1);

    w.hook.current = null;
    // Sent again whole with the same key (one request), the server answers the document it made.
    const first = (await w.call('documents.get', { id: ids[0] })) as { size: number };
    expect(await w.call('sync.run', {})).toMatchObject({ total: 1, verified: 1, bytesSent: first.size, remaining: 0 });
    expect(await w.serverDocuments()).toHaveLength(1);
    expect(await w.call('sync.queue', {})).toEqual({ queued: 1 });
    expect(await w.call('sync.run', {})).toMatchObject({ total: 1, verified: 1, remaining: 0 });
    const onServer = await w.serverDocuments();
    expect(onServer).toHaveLength(2);
    const hashes = await Promise.all(ids.map(async (id) => ((await w.call('documents.get', { id })) as { sha256: string }).sha256));
    expect(onServer.map((d) => d.sha256).sort()).toEqual([...hashes].sort());
  });

  it('small documents are marked sent ahead in one commit; marks whose request never left are taken back when the run stops', async () => {
    // One document per request (no batch): what this test takes apart.
    const w = await world({ batchItems: 1 });
    await w.call('settings.update', { syncConcurrency: 1 });
    const ids = await w.labelled([
      { name: 'minimal-document.pdf', nip: KNOWN[0] },
      { name: 'crazyones-pdfa.pdf', nip: KNOWN[1] },
      { name: 'pdflatex-4-pages.pdf', nip: KNOWN[0] },
    ]);
    const marks = () =>
      w.profile.db.prepare('SELECT document_id, state, commit_sent_at FROM document_sync ORDER BY document_id').all() as { document_id: number; state: string; commit_sent_at: string | null }[];
    let atFirstSend: ReturnType<typeof marks> | null = null;
    let editWhileMarked: unknown = null;
    let cancelled: Promise<{ dequeued: number }> | null = null;
    w.hook.current = async (url, init, next) => {
      if (init.method === 'POST' && new URL(url).pathname === '/v1/documents/send' && !atFirstSend) {
        // Before the first request leaves, all three marks are on disk, from one commit.
        atFirstSend = marks();
        // A page edit would be told apart from what may already be on the server: refused.
        editWhileMarked = await w.call('pages.rotate', { id: ids[2], pages: [1], degrees: 90 }).catch((error: unknown) => error);
        const res = await next(url, init);
        cancelled = w.call('sync.cancel', {});
        return res;
      }
      return next(url, init);
    };
    await w.call('sync.queue', {});
    expect(await w.call('sync.run', {})).toMatchObject({ phase: 'cancelled', cancelled: true });
    expect(atFirstSend).toHaveLength(3);
    expect(new Set(atFirstSend!.map((row) => `${row.state} ${row.commit_sent_at}`)).size).toBe(1);
    expect(atFirstSend![0]).toMatchObject({ state: 'uploading', commit_sent_at: expect.any(String) });
    expect((editWhileMarked as Error).message).toMatch(/^pages.rotate: conflict/);
    // The first went; the other two never left, so the cancel could take them out of the queue.
    expect(await cancelled).toEqual({ dequeued: 2 });
    expect(marks().map((row) => row.document_id)).toEqual([ids[0]]);
    expect(await w.call('sync.status', {})).toMatchObject({ pending: 1, readyNotQueued: 2 });
  });

  it('cancel while nothing runs dequeues every document not yet sent', async () => {
    const w = await world();
    await w.labelled([
      { name: 'minimal-document.pdf', nip: KNOWN[0] },
      { name: 'crazyones-pdfa.pdf', nip: KNOWN[1] },
    ]);
    await w.call('sync.queue', {});
    expect(await w.call('sync.cancel', {})).toEqual({ dequeued: 2 });
    expect(await w.call('sync.status', {})).toMatchObject({ pending: 0, readyNotQueued: 2, counts: { queued: 0 } });
    expect(await w.call('sync.run', {})).toMatchObject({ total: 0 });
    expect(await w.serverDocuments()).toEqual([]);
  });

  it('two uploads at once share one bandwidth cap: together they wait as long as the cap says', async () => {
    const w = await world({ chunkBytes: CHUNK });
    await w.call('settings.update', { syncConcurrency: 2, syncBandwidthKbps: 64 }); // 8,000 bytes a second
    const ids = await w.labelled([
      { name: 'pdflatex-4-pages.pdf', nip: KNOWN[0] },
      { name: 'minimal-document.pdf', nip: KNOWN[1] },
    ]);
    const total = (await size(w, ids[0])) + (await size(w, ids[1]));
    // The first request carrying bytes is held until the other file's first arrives: both are in flight at once.
    let release: () => void = () => {};
    const other = new Promise<boolean>((resolve) => {
      release = () => resolve(true);
      setTimeout(() => resolve(false), 10_000);
    });
    let firstUrl: string | null = null;
    const sizes: number[] = [];
    w.hook.current = async (url, init, next) => {
      if (carriesBytes(url, init)) {
        sizes.push(requestBytes(init));
        // Both creations go to the same URL: a file is told by its Upload-Metadata until it has its own.
        const file = init.method === 'POST' ? (init.headers as Record<string, string>)['upload-metadata'] : url;
        firstUrl ??= file;
        if (file === firstUrl && sizes.length === 1) expect(await other).toBe(true);
        else if (file !== firstUrl) release();
      }
      return next(url, init);
    };
    await w.call('sync.queue', {});
    const report = (await w.call('sync.run', {})) as SyncReport;
    expect(report).toMatchObject({ verified: 2, remaining: 0, bytesSent: total });
    // Requests of about a second of the cap (16 KiB at least), never a whole 64 KiB chunk.
    expect(Math.max(...sizes)).toBe(16 * 1024);
    // The workstation's clock stands still here, so each wait is how far behind the cap's schedule a
    // request is: the last one waits for every byte but the first burst, at 8,000 bytes a second.
    expect(Math.max(...w.waits)).toBeCloseTo(((total - 16 * 1024) / 8000) * 1000, 0);

    // Without the cap nothing waits.
    await w.call('settings.update', { syncBandwidthKbps: null });
    w.waits.length = 0;
    const [third] = await w.labelled([{ name: 'crazyones-pdfa.pdf', nip: KNOWN[0] }]);
    await w.call('sync.queue', {});
    expect(await w.call('sync.run', {})).toMatchObject({ verified: 1 });
    expect(w.waits).toEqual([]);
    expect(third).toBeGreaterThan(0);
  });
});

describe('sync reports', () => {
  it('a stored report lists a rejected document with its reason; CSV reads back, PDF carries the instansi', async () => {
    const w = await world();
    const ids = await w.labelled([
      { name: 'minimal-document.pdf', nip: UNKNOWN_NIP },
      { name: 'crazyones-pdfa.pdf', nip: KNOWN[1] },
    ]);
    await w.call('sync.queue', {});
    const run = (await w.call('sync.run', {})) as SyncReport;
    const stored = (await w.call('sync.report', { runId: run.runId })) as SyncRunReport;
    expect(stored).toMatchObject({ runId: run.runId, trigger: 'cli', phase: 'done', total: 2, verified: 1, rejected: 1, waiting: 0, actor: CLERK_NIP });
    expect(stored.endedAt).not.toBeNull();
    const rejected = stored.items.find((item) => item.documentId === ids[0])!;
    expect(rejected).toMatchObject({ name: 'minimal-document.pdf', nip: UNKNOWN_NIP, outcome: 'rejected', code: 'invalid_input' });
    expect(rejected.reason).toMatch(/nip/i);
    expect(stored.items.find((item) => item.documentId === ids[1])).toMatchObject({ outcome: 'verified', code: null, reason: null });

    const csv = (await w.call('sync.exportReport', { runId: run.runId, format: 'csv' })) as ExportedFile;
    expect(csv).toMatchObject({ contentType: 'text/csv' });
    expect(csv.fileName).toMatch(/\.csv$/);
    const rows = parseCsv(Buffer.from(csv.base64, 'base64').toString('utf8').replace(/^\uFEFF/, ''));
    const header = rows[0];
    expect(header).toContain(t('id', 'sync.col_reason'));
    const asRecords = rows.slice(1).map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
    expect(asRecords).toEqual(
      stored.items.map((item, index) => ({
        [t('id', 'sync.col_no')]: String(index + 1),
        [t('id', 'sync.col_document_id')]: String(item.documentId),
        [t('id', 'sync.col_name')]: item.name,
        [t('id', 'sync.col_nip')]: item.nip ?? '',
        [t('id', 'sync.col_outcome')]: t('id', `sync.outcome_${item.outcome}`),
        [t('id', 'sync.col_code')]: item.code ?? '',
        [t('id', 'sync.col_reason')]: item.reason ?? '',
        [t('id', 'sync.col_size')]: String(item.size),
        [t('id', 'sync.col_at')]: item.at,
      })),
    );

    const pdf = (await w.call('sync.exportReport', { runId: run.runId, format: 'pdf' })) as ExportedFile;
    expect(pdf.contentType).toBe('application/pdf');
    const text = (await pdfText(Buffer.from(pdf.base64, 'base64'))).join('\n');
    expect(text).toContain('BKD Kota Contoh'); // the instansi of the account's server session
    expect(text).toContain('minimal-document.pdf');

    expect(await w.refused('sync.report', { runId: 'nope' })).toMatchObject({ code: 'not_found' });
  });

  it('lemari sync --report writes the CSV report, says where, and prints progress lines', async () => {
    const w = await world();
    await w.labelled([{ name: 'minimal-document.pdf', nip: KNOWN[0] }]);
    const clock = { now: () => new Date(w.clocks.workstation + 30_000) };
    const env = { LEMARI_USER: CLERK_NIP, LEMARI_PASSWORD: w.password, LEMARI_OTP: totpCode(fromBase32(w.totpSecret), clock.now()) };
    let stdout = '';
    let stderr = '';
    const code = await runCli(['sync', '--report', '--data-dir', w.dataDir], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env, isTty: false, clock });
    expect(stderr).toMatch(/1\/1 berkas, \d+\/\d+ KiB, \d+ KiB\/d, sisa/);
    expect(code).toBe(0);
    const path = /Laporan CSV ditulis ke (.+\.csv)/.exec(stdout)?.[1];
    expect(path).toBeDefined();
    expect(existsSync(path!)).toBe(true);
    const rows = parseCsv(readFileSync(path!, 'utf8').replace(/^\uFEFF/, ''));
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain('minimal-document.pdf');
    expect(rows[1]).toContain(t('id', 'sync.outcome_verified'));
    const [latest] = ((await w.call('sync.reports', { limit: 1 })) as { items: SyncRunSummary[] }).items;
    expect(latest).toMatchObject({ trigger: 'cli', verified: 1 });
  });
  it("a clerk's pause holds beyond the app: lemari sync (another process) refuses, naming who paused, until --resume", async () => {
    const w = await world({ chunkBytes: CHUNK });
    const [id] = await w.labelled([{ name: 'cmyk-image.pdf', nip: KNOWN[0] }]);
    let paused: Promise<{ paused: boolean }> | null = null;
    patches(w, (list) => {
      if (list.length === 2 && !paused) paused = w.call('sync.pause', {});
    });
    await w.call('sync.queue', {});
    expect(await w.call('sync.run', {})).toMatchObject({ phase: 'paused' });
    expect(await paused).toEqual({ paused: true });
    expect(await w.call('sync.status', {})).toMatchObject({ paused: true, running: false });
    expect((await w.call('audit.list', { action: 'sync.paused' })).items).toMatchObject([{ actor: CLERK_NIP }]);
    w.hook.current = null;

    // The OS scheduler's run opens the profile afresh, as after a restart.
    const clock = { now: () => new Date(w.clocks.workstation + 30_000) };
    const cli = async (args: string[], otpAt: Date) => {
      let stderr = '';
      const env = { LEMARI_USER: CLERK_NIP, LEMARI_PASSWORD: w.password, LEMARI_OTP: totpCode(fromBase32(w.totpSecret), otpAt) };
      const code = await runCli(['sync', ...args, '--data-dir', w.dataDir], { stdout: () => {}, stderr: (s) => (stderr += s), env, isTty: false, clock });
      return { code, stderr };
    };
    const held = await cli([], clock.now());
    expect(held.code).toBe(1);
    expect(held.stderr).toContain(`Sinkronisasi dijeda oleh ${CLERK_NIP}`);
    expect(held.stderr).toContain('lemari sync --resume');
    expect((await w.serverDocuments())).toEqual([]);

    // --resume goes on from the server's offset and lifts the pause, here and in the app.
    const later = new Date(clock.now().getTime() + 30_000);
    const resumed = await cli(['--resume'], later);
    expect(resumed.code).toBe(0);
    expect((await w.serverDocuments()).map((d) => d.sha256)).toEqual([(await w.call('documents.get', { id })).sha256]);
    expect(await w.call('sync.status', {})).toMatchObject({ paused: false });
  });
});

describe('sync on its own', () => {
  it('runs once a day inside the window, again when the link comes back with work waiting, and stops on logout', async () => {
    const timers: (() => void)[] = [];
    const cleared: unknown[] = [];
    const utc = { minutes: (at: Date) => at.getUTCHours() * 60 + at.getUTCMinutes(), day: (at: Date) => at.toISOString().slice(0, 10) };
    const w = await world({ scheduleSync: { timers: { set: (callback) => timers.push(callback) - 1, clear: (handle) => cleared.push(handle) }, local: utc } });
    expect(timers).toHaveLength(1); // the clerk signed in: the scheduler ticks
    await w.call('settings.update', { syncWindow: { start: '08:30', end: '10:00' } }); // T0 is 09:00 UTC
    const [first] = await w.labelled([{ name: 'minimal-document.pdf', nip: KNOWN[0] }]);
    const runs = async () => ((await w.call('sync.reports', {})) as { items: SyncRunSummary[] }).items;
    /** Fires the pending tick and waits until the scheduler has set its next one. */
    const tick = async () => {
      const count = timers.length;
      timers[count - 1]();
      for (let i = 0; i < 200 && timers.length === count; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(timers.length).toBe(count + 1);
    };

    await tick();
    expect((await runs()).map((r) => [r.trigger, r.phase, r.verified])).toEqual([['schedule', 'done', 1]]); // queued and sent
    await tick();
    expect(await runs()).toHaveLength(1); // once a day

    // The link drops: health checks fail while a document waits; when it answers again, the queue goes.
    w.hook.current = async (url, init, next) => (new URL(url).pathname === '/healthz' ? Promise.reject(new TypeError('fetch failed')) : next(url, init));
    const [second] = await w.labelled([{ name: 'crazyones-pdfa.pdf', nip: KNOWN[1] }]);
    await w.call('sync.queue', {});
    await tick();
    expect(await runs()).toHaveLength(1);
    w.hook.current = null;
    await tick();
    expect((await runs())[0]).toMatchObject({ trigger: 'link', phase: 'done', verified: 1 });
    expect(await w.serverDocuments()).toHaveLength(2);
    expect([first, second].every((id) => id > 0)).toBe(true);

    await w.call('auth.logout', {});
    expect(cleared).toEqual([timers.length - 1]); // the pending tick is cleared
  });
});

