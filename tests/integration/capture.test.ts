// The import pipeline end to end over a real SQLite file and blob store: every kind of
// file a clerk's scan folder holds, good and broken.

import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../common/contract';
import { AppError } from '../../common/errors';
import { GROUP_FILES } from '../../main/core/capture/pipeline';
import { openDatabase } from '../../main/infra/db';
import { createCaptureEnv, type CaptureEnvOptions } from '../fixtures/capture-env';
import { CORPUS_DIR, concat, copyCorpus, corpusAvailable, corpusFiles, garbage, makeJpeg, makePdf, makePng, makeThreePageTiff, pngPixels } from '../fixtures/images';

const actor = { id: 'clerk-1' };
const envs: Awaited<ReturnType<typeof createCaptureEnv>>[] = [];
afterEach(async () => {
  for (const env of envs.splice(0)) await env.dispose();
});

async function setup(options: CaptureEnvOptions = {}) {
  const env = await createCaptureEnv(options);
  envs.push(env);
  const write = (name: string, bytes: Uint8Array | string) => {
    const path = join(env.inputDir, name);
    writeFileSync(path, bytes);
    return { path, name };
  };
  return { ...env, write };
}

/** 00.pdf, 01.pdf, ...: more than one commit group of small distinct PDFs. */
async function numberedPdfs(env: Awaited<ReturnType<typeof setup>>, count: number) {
  const files: { path: string; name: string }[] = [];
  for (let i = 0; i < count; i++) files.push(env.write(`${String(i).padStart(2, '0')}.pdf`, await makePdf(`dok ${i}`)));
  return files;
}

interface DocumentRow {
  id: number;
  sha256: string;
  source_sha256: string;
  original_name: string;
  size: number;
  source_size: number;
  page_count: number;
  source_kind: string;
  nip: string | null;
  type_code: string | null;
  guess_nip: string | null;
  guess_type: string | null;
  state: string;
  created_at: string;
  updated_at: string;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function failureCodes(report: ImportReport): Record<string, string> {
  return Object.fromEntries(report.failed.map((failure) => [failure.name, failure.code]));
}

describe('capture: good files', () => {
  it.runIf(corpusAvailable())('imports every real-world PDF as it is, with the right page count', async () => {
    const env = await setup();
    const names = corpusFiles('.pdf').filter((name) => name !== 'libreoffice-writer-password.pdf');
    const paths = copyCorpus(names, join(env.root, 'corpus'));
    const report = await env.capture.importFiles(
      paths.map((path, i) => ({ path, name: names[i] })),
      { actor },
    );
    expect(report.failed).toEqual([]);
    expect(report.imported.map((entry) => entry.name)).toEqual(names);
    const pages = Object.fromEntries(report.imported.map((entry) => [entry.name, entry.pageCount]));
    expect(pages['pdflatex-4-pages.pdf']).toBe(4);
    for (const name of names.filter((n) => n !== 'pdflatex-4-pages.pdf')) expect(pages[name], name).toBe(1);

    for (const entry of report.imported) {
      const row = env.db.prepare('SELECT * FROM documents WHERE id = ?').get(entry.documentId) as DocumentRow;
      const source = readFileSync(join(CORPUS_DIR, entry.name));
      // A PDF is the archival record: stored byte for byte.
      expect(row).toMatchObject({ original_name: entry.name, source_kind: 'pdf', state: 'draft', size: source.length, source_size: source.length, page_count: entry.pageCount });
      expect(row.sha256).toBe(sha256(source));
      expect(row.source_sha256).toBe(row.sha256);
      expect(Buffer.compare(await env.blobs.read(row.sha256), source)).toBe(0);
      expect(row.created_at).toBe('2026-11-24T03:00:00.000Z');
    }
    expect((await env.maintenance.verify()).ok).toBe(true);
  });

  it.runIf(corpusAvailable())('imports the real-world TIFFs and a generated 3-page TIFF as PDFs', async () => {
    const env = await setup();
    const names = corpusFiles('.tiff');
    const paths = copyCorpus(names, join(env.root, 'tiffs'));
    const threePages = env.write('map arsip 3 halaman.tif', makeThreePageTiff().bytes);
    const report = await env.capture.importFiles([...paths.map((path, i) => ({ path, name: names[i] })), threePages], { actor });
    expect(report.failed).toEqual([]);
    // The three corpus TIFFs hold the same picture in different compressions: the same
    // pixels make the same PDF, so the archive keeps one and names it for the other two.
    expect(report.imported.map((entry) => [entry.name, entry.pageCount])).toEqual([
      [names[0], 1],
      ['map arsip 3 halaman.tif', 3],
    ]);
    expect(report.duplicates.map((entry) => [entry.name, entry.existingName])).toEqual(names.slice(1).map((name) => [name, names[0]]));
    const row = env.db.prepare('SELECT * FROM documents WHERE id = ?').get(report.imported[1].documentId) as DocumentRow;
    expect(row).toMatchObject({ source_kind: 'tiff', page_count: 3, source_sha256: sha256(readFileSync(threePages.path)) });
    expect(row.sha256).not.toBe(row.source_sha256);
    const stored = await env.blobs.read(row.sha256);
    expect(stored.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(row.size).toBe(stored.length);
  });

  it('imports a JPEG and a PNG as one-page PDFs', async () => {
    const env = await setup();
    const jpeg = env.write('199001012015031001_SK_PNS.jpg', await makeJpeg());
    const png = env.write('ijazah.png', await makePng());
    const report = await env.capture.importFiles([jpeg, png], { actor });
    expect(report.failed).toEqual([]);
    expect(report.imported).toMatchObject([
      { name: jpeg.name, pageCount: 1, guess: { nip: '199001012015031001', typeCode: 'SK_PNS' } },
      { name: png.name, pageCount: 1, guess: { nip: null, typeCode: 'IJAZAH' } },
    ]);
    const kinds = env.db.prepare('SELECT source_kind, guess_nip, guess_type FROM documents ORDER BY id').all();
    expect(kinds).toEqual([
      { source_kind: 'jpeg', guess_nip: '199001012015031001', guess_type: 'SK_PNS' },
      { source_kind: 'png', guess_nip: null, guess_type: 'IJAZAH' },
    ]);
  });

  it('records the sha256 of exactly the bytes stored, sealed at rest, for every kind of file', async () => {
    const env = await setup({ blobKey: randomBytes(32) });
    const sources = [
      env.write('sk.pdf', await makePdf('SK', 2)),
      env.write('foto.jpg', await makeJpeg()),
      env.write('ijazah.png', await makePng()),
      env.write('peta.tif', makeThreePageTiff().bytes),
    ];
    const report = await env.capture.importFiles(sources, { actor });
    expect(report.failed).toEqual([]);
    expect(report.imported).toHaveLength(4);
    const rows = env.db.prepare('SELECT * FROM documents ORDER BY id').all() as DocumentRow[];
    for (const [i, row] of rows.entries()) {
      const source = readFileSync(sources[i].path);
      const stored = await env.blobs.read(row.sha256);
      expect(sha256(stored), row.original_name).toBe(row.sha256);
      expect(await env.blobs.hashOnDisk(row.sha256)).toBe(row.sha256);
      expect(row.size).toBe(stored.length);
      expect(row.source_sha256).toBe(sha256(source));
      // Sealed: the file on disk is not the content.
      expect(readFileSync(env.blobs.pathOf(row.sha256)).includes(stored.subarray(0, 64))).toBe(false);
    }
    expect(rows[0].sha256).toBe(rows[0].source_sha256);
    const audited = (env.db.prepare("SELECT detail FROM audit_log WHERE action = 'document.imported' ORDER BY id").all() as { detail: string }[]).map((row) => (JSON.parse(row.detail) as { sha256: string }).sha256);
    expect(audited).toEqual(rows.map((row) => row.sha256));
    expect(await env.maintenance.verify()).toMatchObject({ ok: true, documents: 4, orphans: 0 });
  });

  it('writes an audit entry for each imported document in the same commit', async () => {
    const env = await setup();
    const file = env.write('drh.pdf', await makePdf('DRH'));
    const report = await env.capture.importFiles([file], { actor });
    const id = report.imported[0].documentId;
    const audit = env.db.prepare('SELECT at, actor, action, document_id, detail FROM audit_log').all() as { detail: string }[];
    expect(audit).toEqual([{ at: '2026-11-24T03:00:00.000Z', actor: 'clerk-1', action: 'document.imported', document_id: id, detail: expect.any(String) }]);
    expect(JSON.parse(audit[0].detail)).toEqual({ name: 'drh.pdf', sha256: sha256(readFileSync(file.path)) });
  });

  it('pre-fills NIP and type when the batch is for one employee, and refuses an invalid one', async () => {
    const env = await setup();
    const file = env.write('halaman.pdf', await makePdf('SK'));
    const report = await env.capture.importFiles([file], { actor, nip: '19900101 201503 1 001', typeCode: 'SK_CPNS' });
    const row = env.db.prepare('SELECT nip, type_code, state FROM documents WHERE id = ?').get(report.imported[0].documentId);
    expect(row).toEqual({ nip: '199001012015031001', type_code: 'SK_CPNS', state: 'draft' });

    const other = env.write('lain.pdf', await makePdf('lain'));
    await expect(env.capture.importFiles([other], { actor, typeCode: 'SK_TIDAK_ADA' })).rejects.toThrow(new AppError('invalid_input', 'Jenis dokumen "SK_TIDAK_ADA" tidak dikenal'));
    await expect(env.capture.importFiles([other], { actor, nip: '199013012015031001' })).rejects.toThrow(/Tanggal lahir dalam NIP/);
    expect(env.db.prepare('SELECT count(*) AS n FROM documents').get()).toEqual({ n: 1 });
  });
});

describe('capture: bad files', () => {
  it('refuses every kind of broken input with a specific message and goes on with the batch', async () => {
    const env = await setup({ maxFileBytes: 64 * 1024 });
    const realPdf = corpusAvailable() ? readFileSync(join(CORPUS_DIR, 'pdflatex-4-pages.pdf')) : Buffer.from(await makePdf('x', 4));
    const files = [
      env.write('kosong.pdf', ''),
      env.write('good-1.pdf', await makePdf('baik satu')),
      env.write('foto.pdf', await makeJpeg()),
      env.write('catatan.pdf', 'ini hanya teks, bukan PDF\n'),
      env.write('terpotong.pdf', realPdf.subarray(0, Math.floor(realPdf.length / 2))),
      env.write('rusak.pdf', concat(new TextEncoder().encode('%PDF-1.7\n'), garbage(4000))),
      env.write('besar.pdf', concat(await makePdf('besar'), new Uint8Array(70 * 1024))),
      env.write('catatan.txt', 'teks biasa'),
      env.write('rusak.jpg', concat(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0), garbage(500))),
      { path: join(env.inputDir, 'tidak-ada.pdf'), name: 'tidak-ada.pdf' },
      { path: join(env.inputDir, 'good-1.pdf', 'di-dalam-berkas.pdf'), name: 'di-dalam-berkas.pdf' },
      env.write('good-2.png', await makePng()),
    ];
    if (corpusAvailable()) files.push(...copyCorpus(['libreoffice-writer-password.pdf'], env.inputDir).map((path) => ({ path, name: 'libreoffice-writer-password.pdf' })));
    // Tests run as root, which reads through chmod 000: a FIFO stands in for "not a plain file".
    const fifo = join(env.inputDir, 'antrian.pdf');
    execFileSync('mkfifo', [fifo]);
    files.push({ path: fifo, name: 'antrian.pdf' });

    const report = await env.capture.importFiles(files, { actor });

    expect(report.imported.map((entry) => entry.name)).toEqual(['good-1.pdf', 'good-2.png']);
    expect(failureCodes(report)).toEqual({
      'kosong.pdf': 'empty',
      'foto.pdf': 'not_pdf',
      'catatan.pdf': 'not_pdf',
      'terpotong.pdf': 'truncated',
      'rusak.pdf': 'corrupt',
      'besar.pdf': 'too_large',
      'catatan.txt': 'unsupported',
      'rusak.jpg': 'bad_image',
      'tidak-ada.pdf': 'unreadable',
      'di-dalam-berkas.pdf': 'unreadable',
      'antrian.pdf': 'not_a_file',
      ...(corpusAvailable() ? { 'libreoffice-writer-password.pdf': 'encrypted' } : {}),
    });
    const messages = Object.fromEntries(report.failed.map((failure) => [failure.name, failure.message]));
    expect(messages['kosong.pdf']).toBe('Berkas kosong (0 byte)');
    expect(messages['foto.pdf']).toBe('Berkas bernama .pdf tetapi isinya bukan PDF');
    expect(messages['terpotong.pdf']).toBe('PDF terpotong (tidak lengkap); pindai atau salin ulang berkasnya');
    expect(messages['rusak.pdf']).toBe('PDF rusak dan tidak dapat dibuka: struktur PDF tidak sah');
    expect(messages['besar.pdf']).toMatch(/^Berkas \d+(,\d)? KB melebihi batas 64 KB$/);
    expect(messages['catatan.txt']).toBe('Jenis berkas tidak didukung; gunakan PDF, JPEG, PNG atau TIFF');
    expect(messages['rusak.jpg']).toMatch(/^Gambar rusak dan tidak dapat dibaca: data gambar tidak dapat diurai \(JPEG: /);
    expect(messages['tidak-ada.pdf']).toBe('Berkas tidak dapat dibaca: berkas atau folder tidak ditemukan');
    expect(messages['antrian.pdf']).toBe('Bukan berkas biasa');
    if (corpusAvailable()) expect(messages['libreoffice-writer-password.pdf']).toBe('PDF dilindungi kata sandi; buka kuncinya dulu sebelum diimpor');

    expect(env.db.prepare('SELECT count(*) AS n FROM documents').get()).toEqual({ n: 2 });
    expect(env.errors).toEqual([]);
    const verify = await env.maintenance.verify();
    expect(verify).toMatchObject({ ok: true, documents: 2, orphans: 0 });
  });

  it('leaves documents already stored untouched when a later batch fails', async () => {
    const env = await setup();
    const first = await env.capture.importFiles([env.write('a.pdf', await makePdf('a')), env.write('b.jpg', await makeJpeg())], { actor });
    expect(first.imported).toHaveLength(2);
    await env.capture.idle();
    const snapshot = () => ({
      documents: env.db.prepare('SELECT * FROM documents ORDER BY id').all(),
      thumbnails: env.db.prepare('SELECT document_id, hex(png) AS png FROM thumbnails ORDER BY document_id').all(),
      audit: env.db.prepare('SELECT * FROM audit_log ORDER BY id').all(),
    });
    const before = snapshot();
    const blobsBefore = await Promise.all((before.documents as DocumentRow[]).map((row) => env.blobs.hashOnDisk(row.sha256)));

    const second = await env.capture.importFiles(
      [env.write('kosong.pdf', ''), env.write('a-lagi.pdf', readFileSync(join(env.inputDir, 'a.pdf'))), env.write('rusak.pdf', '%PDF-1.4\ngarbage')],
      { actor },
    );
    expect(second.imported).toEqual([]);
    expect(second.duplicates).toHaveLength(1);
    expect(second.failed).toHaveLength(2);
    await env.capture.idle();
    expect(snapshot()).toEqual(before);
    expect(await Promise.all((before.documents as DocumentRow[]).map((row) => env.blobs.hashOnDisk(row.sha256)))).toEqual(blobsBefore);
  });
});

describe('capture: duplicates', () => {
  it('reports a file already stored, naming the document, and keeps one copy', async () => {
    const env = await setup();
    const pdf = await makePdf('SK PNS');
    const first = await env.capture.importFiles([env.write('sk pns.pdf', pdf)], { actor });
    const id = first.imported[0].documentId;
    const again = await env.capture.importFiles([env.write('salinan sk pns.pdf', pdf)], { actor });
    expect(again.imported).toEqual([]);
    expect(again.duplicates).toEqual([{ name: 'salinan sk pns.pdf', existingId: id, existingName: 'sk pns.pdf', message: `Isi berkas sama dengan dokumen #${id} yang sudah tersimpan (sk pns.pdf)` }]);
    expect(env.db.prepare('SELECT count(*) AS n FROM documents').get()).toEqual({ n: 1 });
  });

  it('catches a duplicate inside one batch, for images too', async () => {
    const env = await setup();
    const jpeg = await makeJpeg();
    const report = await env.capture.importFiles([env.write('1.jpg', jpeg), env.write('2.jpg', jpeg), env.write('3.pdf', await makePdf('x'))], { actor });
    expect(report.imported.map((entry) => entry.name)).toEqual(['1.jpg', '3.pdf']);
    expect(report.duplicates).toMatchObject([{ name: '2.jpg', existingId: report.imported[0].documentId, existingName: '1.jpg' }]);
  });

  it('catches a PDF identical to one made from an image', async () => {
    const env = await setup();
    const report = await env.capture.importFiles([env.write('scan.png', await makePng())], { actor });
    const row = env.db.prepare('SELECT sha256 FROM documents').get() as { sha256: string };
    const again = await env.capture.importFiles([env.write('scan-dari-lemari.pdf', await env.blobs.read(row.sha256))], { actor });
    expect(again.duplicates).toMatchObject([{ existingId: report.imported[0].documentId }]);
  });
});

describe('capture: names and folders', () => {
  it('keeps odd names exactly: unicode, spaces, quotes, newlines, very long', async () => {
    const env = await setup();
    const names = [
      'Ijazah Sarjana — Śantoso 名前 📄.pdf',
      '  spasi  di  tepi  .pdf',
      `kutip "dua" dan 'satu'.pdf`,
      'baris\nbaru.pdf',
      '-rf --help.pdf',
      `${'panjang-'.repeat(30)}.pdf`,
    ];
    const files = [];
    for (const [i, name] of names.entries()) files.push(env.write(name, await makePdf(`nama ${i}`)));
    const report = await env.capture.importFiles(files, { actor });
    expect(report.failed).toEqual([]);
    expect(report.imported.map((entry) => entry.name)).toEqual(names);
    const stored = (env.db.prepare('SELECT original_name FROM documents ORDER BY id').all() as { original_name: string }[]).map((row) => row.original_name);
    expect(stored).toEqual(names);
    // Searchable by name through the FTS trigger.
    const hit = env.db.prepare("SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'name:santoso'").all();
    expect(hit).toEqual([{ rowid: report.imported[0].documentId }]);
  });

  it('expands a folder recursively in Explorer order, skipping hidden and system files', async () => {
    const env = await setup();
    const folder = join(env.inputDir, 'Map Budi');
    mkdirSync(join(folder, 'lampiran'), { recursive: true });
    mkdirSync(join(folder, '.cache'));
    writeFileSync(join(folder, 'scan 10.pdf'), await makePdf('10'));
    writeFileSync(join(folder, 'scan 2.pdf'), await makePdf('2'));
    writeFileSync(join(folder, 'lampiran', 'ijazah.jpg'), await makeJpeg());
    writeFileSync(join(folder, '.tersembunyi.pdf'), await makePdf('hidden'));
    writeFileSync(join(folder, '.cache', 'x.pdf'), await makePdf('cache'));
    writeFileSync(join(folder, 'Thumbs.db'), 'windows');
    symlinkSync(join(folder, 'lampiran'), join(folder, 'tautan-folder'));
    const report = await env.capture.importFiles([{ path: folder, name: 'Map Budi' }], { actor });
    expect(report.imported.map((entry) => entry.name)).toEqual(['Map Budi/lampiran/ijazah.jpg', 'Map Budi/scan 2.pdf', 'Map Budi/scan 10.pdf']);
    expect(report.failed).toEqual([{ name: 'Map Budi/tautan-folder', code: 'not_a_file', message: 'Bukan berkas biasa' }]);
    const stored = (env.db.prepare('SELECT original_name FROM documents ORDER BY id').all() as { original_name: string }[]).map((row) => row.original_name);
    expect(stored).toEqual(['ijazah.jpg', 'scan 2.pdf', 'scan 10.pdf']);
  });
});

describe('capture: progress, cancel, thumbnails', () => {
  it('reports progress per file with counts and bytes', async () => {
    const env = await setup();
    const files = [env.write('a.pdf', await makePdf('a')), env.write('kosong.pdf', ''), env.write('b.png', await makePng())];
    const total = files.reduce((sum, file) => sum + readFileSync(file.path).length, 0);
    await env.capture.importFiles(files, { actor, batchId: 'batch-7' });
    const progress = env.events.filter((event) => event.name === 'capture.onDidProgress').map((event) => event.payload);
    expect(progress.map((p) => ('done' in p ? [p.done, p.current] : null))).toEqual([
      [0, 'a.pdf'],
      [1, 'kosong.pdf'],
      [2, 'b.png'],
      [3, null],
    ]);
    expect(progress.at(-1)).toEqual({ batchId: 'batch-7', done: 3, total: 3, bytesDone: total, bytesTotal: total, current: null });
  });

  it('stops between commits when cancelled; what was reported imported stays, nothing else is stored', async () => {
    const env = await setup();
    const files = await numberedPdfs(env, GROUP_FILES + 8);
    const controller = new AbortController();
    let reported = 0;
    env.onEvent((event) => {
      if (event.name !== 'capture.onDidProgress' || !('done' in event.payload)) return;
      reported = Math.max(reported, event.payload.done);
      // The clerk presses cancel on seeing the first file done: files already committed
      // with it (its group) are reported and stay, the rest is not imported.
      if (event.payload.done === 1) controller.abort();
    });
    const report = await env.capture.importFiles(files, { actor, signal: controller.signal });
    const names = report.imported.map((entry) => entry.name);
    expect(names.length).toBeGreaterThanOrEqual(1);
    expect(names.length).toBeLessThanOrEqual(GROUP_FILES);
    expect(names).toEqual(files.slice(0, names.length).map((file) => file.name));
    expect(reported).toBe(names.length);
    const stored = (env.db.prepare('SELECT original_name FROM documents ORDER BY id').all() as { original_name: string }[]).map((row) => row.original_name);
    expect(stored).toEqual(names);
    // Files staged past the cancel may leave their bytes behind, which verify allows.
    expect(await env.maintenance.verify()).toMatchObject({ ok: true, documents: names.length });
  });

  it('reports a file done only once its row and audit entry are committed', async () => {
    const env = await setup();
    const files = await numberedPdfs(env, GROUP_FILES + 8);
    const checked: number[] = [];
    env.onEvent((event) => {
      if (event.name !== 'capture.onDidProgress' || !('done' in event.payload) || event.payload.done === 0) return;
      const { done } = event.payload;
      // Read from a second connection: it sees only what is committed.
      const db = openDatabase(join(env.dir, 'lemari.db'), { readonly: true });
      try {
        const names = (db.prepare('SELECT original_name FROM documents ORDER BY id').all() as { original_name: string }[]).map((row) => row.original_name);
        expect(names.slice(0, done)).toEqual(files.slice(0, done).map((file) => file.name));
        expect((db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'document.imported'").get() as { n: number }).n).toBeGreaterThanOrEqual(done);
      } finally {
        db.close();
      }
      checked.push(done);
    });
    const report = await env.capture.importFiles(files, { actor });
    expect(report.imported).toHaveLength(files.length);
    expect(checked).toEqual(files.map((_, i) => i + 1));
  });

  it('a file whose row cannot be written ends the batch without undoing the files before it', async () => {
    const env = await setup();
    // A database fault on one file, mid-group.
    env.db.exec("CREATE TEMP TRIGGER boom BEFORE INSERT ON documents WHEN NEW.original_name = 'c.pdf' BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated)'); END");
    const files = [];
    for (const name of ['a.pdf', 'b.pdf', 'c.pdf', 'd.pdf']) files.push(env.write(name, await makePdf(name)));
    await expect(env.capture.importFiles(files, { actor, batchId: 'b' })).rejects.toThrow('disk I/O error (simulated)');
    expect(env.db.prepare('SELECT original_name FROM documents ORDER BY id').all()).toEqual([{ original_name: 'a.pdf' }, { original_name: 'b.pdf' }]);
    expect(env.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'document.imported'").get()).toEqual({ n: 2 });
    const done = env.events.filter((event) => event.name === 'capture.onDidProgress').map((event) => ('done' in event.payload ? event.payload.done : -1));
    expect(Math.max(...done)).toBe(2);
    expect((await env.maintenance.verify()).ok).toBe(true);
  });

  it('renders page-1 thumbnails in the background and again on demand', async () => {
    const env = await setup();
    const report = await env.capture.importFiles([env.write('a.pdf', await makePdf('a')), env.write('b.jpg', await makeJpeg())], { actor });
    await env.capture.idle();
    const ids = report.imported.map((entry) => entry.documentId);
    expect(env.db.prepare('SELECT document_id FROM thumbnails ORDER BY document_id').all()).toEqual(ids.map((document_id) => ({ document_id })));
    const changed = env.events.filter((event) => event.name === 'documents.onDidChange').flatMap((event) => ('ids' in event.payload ? event.payload.ids : []));
    for (const id of ids) expect(changed).toContain(id);

    // As after a crash: the stored thumbnail is gone; asking for it renders it again.
    env.db.prepare('DELETE FROM thumbnails WHERE document_id = ?').run(ids[1]);
    const png = await env.capture.thumbnail(ids[1]);
    expect(png).not.toBeNull();
    const pixels = await pngPixels(png!);
    expect(pixels.width).toBe(160);
    expect(env.db.prepare('SELECT count(*) AS n FROM thumbnails').get()).toEqual({ n: 2 });
    expect(await env.capture.thumbnail(9999)).toBeNull();
  });

  it('drops queued thumbnails on close, and still renders them on demand', async () => {
    const env = await setup();
    const files = [];
    for (let i = 0; i < 6; i++) files.push(env.write(`${i}.pdf`, await makePdf(`dok ${i}`)));
    const report = await env.capture.importFiles(files, { actor });
    await env.capture.close();
    const rendered = (env.db.prepare('SELECT count(*) AS n FROM thumbnails').get() as { n: number }).n;
    expect(rendered).toBeLessThan(6);
    const last = report.imported.at(-1)!.documentId;
    expect(await env.capture.thumbnail(last)).not.toBeNull();
  });
});
