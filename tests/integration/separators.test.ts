// Separator sheets end to end: sheets printed through the contract, put in front of their
// documents, scanned as a feeder pass would (skewed, grey, speckled, 150 and 300 dpi) and
// imported: each part becomes a document with its NIP and type, the sheets are gone, and a
// stack without readable sheets imports as one document, as before.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName, MethodOutput } from '../../common/contract';
import { fromBase32, totpCode } from '../../main/core/auth/totp';
import { KeyFileSecretStore } from '../../main/infra/secrets';
import { ConfSettingsStore } from '../../main/infra/settings';
import { openProfile, type Profile } from '../../main/profile';
import { createCaptureEnv } from '../fixtures/capture-env';
import { feederStackPdf, letterLines, type ScanLook, type StackPage } from '../fixtures/feeder-stack';
import { insertEmployee } from '../helpers/documents';
import { pdfText } from '../helpers/pdf-text';
import { resourcesDir, tempDir } from '../helpers/profile';

const BUDI = '199001012015031001';
const SITI = '199202292015032002';
const actor = { id: 'clerk-1' };
const sheet = (nip: string, typeCode: string, damaged = false): StackPage => ({ kind: 'sheet', spec: { nip, typeCode, nama: 'Budi Santoso', typeName: typeCode }, damaged });
const text = (seed: number): StackPage => ({ kind: 'text', lines: letterLines(seed) });
/** Every page skewed up to 3 degrees one way or the other, speckled, mostly at 150 dpi. */
const feeder =
  (dpi300: number[] = []) =>
  (index: number): ScanLook => ({ dpi: dpi300.includes(index) ? 300 : 150, angle: [2.8, -3, 1.2, -1.7, 0.4][index % 5], noise: 0.01, seed: 100 + index });

interface Row {
  id: number;
  nip: string | null;
  type_code: string | null;
  state: string;
  page_count: number;
  original_name: string;
}

const envs: Awaited<ReturnType<typeof createCaptureEnv>>[] = [];
afterEach(async () => {
  for (const env of envs.splice(0)) await env.dispose();
});

async function importStack(pages: StackPage[], look: (index: number) => ScanLook, name = 'map-pegawai.pdf') {
  const env = await createCaptureEnv();
  envs.push(env);
  const path = join(env.inputDir, name);
  const pdf = await feederStackPdf(pages, look);
  writeFileSync(path, pdf);
  const rows = () => env.db.prepare('SELECT id, nip, type_code, state, page_count, original_name FROM documents ORDER BY id').all() as Row[];
  return { env, path, pdf, rows, run: () => env.capture.importFiles([{ path, name }], { actor }) };
}

describe('separators: a scanned feeder stack', () => {
  it('splits at every sheet into documents with the right NIP and type, sheets dropped', { timeout: 120_000 }, async () => {
    const pages = [text(1), sheet(BUDI, 'SK_PANGKAT'), text(2), text(3), sheet(SITI, 'DRH'), text(4), sheet(BUDI, 'IJAZAH'), text(5), text(6), text(7)];
    const { env, rows, run } = await importStack(pages, feeder([4, 5]));
    const report = await run();
    expect(report.failed).toEqual([]);
    expect(report.imported.map((entry) => [entry.name, entry.pageCount])).toEqual([
      ['map-pegawai.pdf [1/4]', 1],
      ['map-pegawai.pdf [2/4]', 2],
      ['map-pegawai.pdf [3/4]', 1],
      ['map-pegawai.pdf [4/4]', 3],
    ]);
    expect(rows().map(({ nip, type_code, state, page_count }) => ({ nip, type_code, state, page_count }))).toEqual([
      // Pages in front of the first sheet: a document of their own, for the clerk to label.
      { nip: null, type_code: null, state: 'draft', page_count: 1 },
      // An SK still needs nomor, tanggal, TMT and golongan: labelled, but a draft.
      { nip: BUDI, type_code: 'SK_PANGKAT', state: 'draft', page_count: 2 },
      // A DRH asks for nothing more: ready at once.
      { nip: SITI, type_code: 'DRH', state: 'ready', page_count: 1 },
      { nip: BUDI, type_code: 'IJAZAH', state: 'draft', page_count: 3 },
    ]);
    const audit = env.db.prepare("SELECT action, document_id FROM audit_log WHERE action IN ('document.imported', 'document.labelled') ORDER BY id").all();
    expect(audit).toHaveLength(5);
    expect((await env.maintenance.verify()).ok).toBe(true);
  });

  it('imports a stack with no sheet as one document, stored as it came', { timeout: 60_000 }, async () => {
    const { env, pdf, rows, run } = await importStack([text(11), text(12), text(13)], feeder([1]));
    const report = await run();
    expect(report.imported.map((entry) => [entry.name, entry.pageCount])).toEqual([['map-pegawai.pdf', 3]]);
    expect(rows()).toMatchObject([{ nip: null, type_code: null, state: 'draft', page_count: 3 }]);
    const stored = env.db.prepare('SELECT sha256 FROM documents').get() as { sha256: string };
    expect(Buffer.compare(await env.blobs.read(stored.sha256), Buffer.from(pdf))).toBe(0);
  });

  it('does not split at a sheet whose QR code is torn off: its page stays in the document', { timeout: 60_000 }, async () => {
    const { rows, run } = await importStack([sheet(BUDI, 'DRH'), text(21), sheet(BUDI, 'IJAZAH', true), text(22)], feeder());
    const report = await run();
    expect(report.imported.map((entry) => entry.pageCount)).toEqual([3]);
    expect(rows()).toMatchObject([{ nip: BUDI, type_code: 'DRH', page_count: 3 }]);
  });

  it('commits all parts or none: a failure on a later part leaves nothing half imported', { timeout: 60_000 }, async () => {
    const { env, rows, run } = await importStack([sheet(BUDI, 'DRH'), text(31), sheet(BUDI, 'SKP'), text(32)], feeder());
    // The disk filling up (or any crash) as the second part's row is written.
    env.db.exec("CREATE TEMP TRIGGER fail_second AFTER INSERT ON documents WHEN (SELECT count(*) FROM documents) > 1 BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    await expect(run()).rejects.toThrow(/disk full/);
    expect(rows()).toEqual([]);
    env.db.exec('DROP TRIGGER fail_second');
    const again = await run();
    expect(again.imported.map((entry) => entry.pageCount)).toEqual([1, 1]);
    expect(rows().map((row) => row.type_code)).toEqual(['DRH', 'SKP']);
  });

  it('recognises a stack scanned twice part by part as duplicates', { timeout: 60_000 }, async () => {
    const { rows, run } = await importStack([sheet(BUDI, 'DRH'), text(41), sheet(BUDI, 'SKP'), text(42)], feeder());
    expect((await run()).imported).toHaveLength(2);
    const second = await run();
    expect(second.imported).toEqual([]);
    expect(second.duplicates.map((entry) => entry.name)).toEqual(['map-pegawai.pdf [1/2]', 'map-pegawai.pdf [2/2]']);
    expect(rows()).toHaveLength(2);
  });
});

describe('separators.print through the contract', () => {
  let work: ReturnType<typeof tempDir>;
  let profile: Profile;
  let session: ReturnType<Profile['newSession']>;
  const clock = { now: () => new Date('2026-11-24T02:00:00Z') };

  async function call<M extends MethodName>(method: M, input: unknown) {
    return (await profile.api.call(method, input, { session })) as { ok: true; value: MethodOutput<M> } | { ok: false; error: { code: string; message: string } };
  }
  async function ok<M extends MethodName>(method: M, input: unknown): Promise<MethodOutput<M>> {
    const result = await call(method, input);
    if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
    return result.value;
  }

  beforeAll(async () => {
    work = tempDir('lemari-separators-');
    const dataDir = join(work.dir, 'profil');
    profile = await openProfile({ dataDir, host: 'cli', resourcesDir, settings: new ConfSettingsStore(dataDir), secrets: new KeyFileSecretStore(dataDir), logger: { error: () => {}, info: () => {} }, clock });
    session = profile.newSession();
    const { enrolment } = (await ok('auth.bootstrap', { nip: '198001012005011001', nama: 'Admin', password: 'arsip kepegawaian aman 2026' })) as { enrolment: { secret: string } };
    await ok('auth.confirmEnrolment', { code: totpCode(fromBase32(enrolment.secret), clock.now()) });
    insertEmployee(profile.db, BUDI, 'Budi Santoso', 'Bidang Mutasi');
  });

  afterAll(async () => {
    await profile.close();
    work.cleanup();
  });

  it('turns the search for sheets on the first time sheets are printed here (off in a new profile), audited', async () => {
    expect((await ok('app.info', {})).settings.separatorSheets).toBe(false);
    await ok('separators.print', { nip: BUDI, typeCodes: ['DRH'] });
    expect((await ok('app.info', {})).settings.separatorSheets).toBe(true);
    expect((await ok('audit.list', { action: 'settings.separator_sheets_on' })).items).toHaveLength(1);
  });

  it('prints one sheet per missing document by default, with the NIP, name and type readable', async () => {
    const missing = (await ok('completeness.employee', { nip: BUDI })).items.filter((item) => item.status === 'missing');
    const file = await ok('separators.print', { nip: BUDI });
    expect(file).toMatchObject({ fileName: `lembar-pemisah-${BUDI}.pdf`, contentType: 'application/pdf' });
    const pages = await pdfText(Buffer.from(file.base64, 'base64'));
    expect(pages.length).toBeGreaterThanOrEqual(missing.length);
    expect(pages[0]).toContain('LEMBAR PEMISAH');
    expect(pages[0]).toContain('NIP 19900101 201503 1 001');
    expect(pages[0]).toContain('Budi Santoso');
    expect(pages.join(' ')).toContain('SK CPNS');
  });

  it('prints the types asked for, and the printed sheets split a scanned stack on import', { timeout: 120_000 }, async () => {
    const file = await ok('separators.print', { nip: BUDI, typeCodes: ['DRH', 'SKP'] });
    const printed = Buffer.from(file.base64, 'base64');
    expect(await pdfText(printed)).toHaveLength(2);
    const stack = await feederStackPdf(
      [{ kind: 'printed', pdf: printed, index: 0 }, text(51), { kind: 'printed', pdf: printed, index: 1 }, text(52), text(53)],
      feeder([0]),
    );
    const path = join(work.dir, 'pindaian.pdf');
    writeFileSync(path, stack);
    const report = await ok('capture.import', { files: [{ path }] });
    expect(report.imported.map((entry) => entry.pageCount)).toEqual([1, 2]);
    const docs = await ok('documents.list', { nip: BUDI });
    expect(docs.items.map((doc) => [doc.typeCode, doc.state])).toEqual([
      ['DRH', 'ready'],
      ['SKP', 'draft'],
    ]);
  });

  it('an admin can turn sheets off: a stack then imports whole, sheets and all', { timeout: 120_000 }, async () => {
    // Printed first: printing turns the search on again.
    const printed = Buffer.from((await ok('separators.print', { nip: BUDI, typeCodes: ['DRH'] })).base64, 'base64');
    expect((await ok('app.info', {})).settings.separatorSheets).toBe(true);
    expect((await ok('settings.update', { separatorSheets: false })).separatorSheets).toBe(false);
    try {
      const path = join(work.dir, 'tanpa-pemisah.pdf');
      writeFileSync(path, await feederStackPdf([{ kind: 'printed', pdf: printed, index: 0 }, text(61), text(62)], feeder()));
      const report = await ok('capture.import', { files: [{ path }] });
      expect(report.imported.map((entry) => [entry.name, entry.pageCount])).toEqual([['tanpa-pemisah.pdf', 3]]);
      // A clerk importing sheets printed on another workstation asks for the search for this batch only.
      const other = join(work.dir, 'dari-ruang-scan.pdf');
      writeFileSync(other, await feederStackPdf([{ kind: 'printed', pdf: printed, index: 0 }, text(63), text(64)], feeder()));
      const asked = await ok('capture.import', { files: [{ path: other }], separatorSheets: true });
      expect(asked.imported.map((entry) => [entry.name, entry.pageCount])).toEqual([['dari-ruang-scan.pdf [1/1]', 2]]);
      expect((await ok('app.info', {})).settings.separatorSheets).toBe(false);
    } finally {
      await ok('settings.update', { separatorSheets: true });
    }
  });

  it('prints one sheet per history record no document matches; a document split off at it takes the record\'s SK fields for the clerk to confirm', { timeout: 120_000 }, async () => {
    const csv = join(work.dir, 'rw-golongan.csv');
    writeFileSync(
      csv,
      ['NIP;GOL;TMT GOLONGAN;NO SK;TANGGAL SK', `${BUDI};3a;01-03-2015;800/1/2015;01-02-2015`, `${BUDI};3b;01-04-2019;823/KP/2019;15-03-2019`, `${BUDI};3c;01-10-2023;833/KP/2023;20-09-2023`].join('\n'),
    );
    expect(await ok('employees.importHistory', { file: { path: csv } })).toMatchObject({ kind: 'golongan', inserted: 3 });
    const rank = async () => (await ok('completeness.employee', { nip: BUDI })).items.find((item) => item.key === 'SK_PANGKAT')!;
    // The entry rank is the SK CPNS's: two rank SKs expected, one per later record.
    expect((await rank()).records.map((record) => record.label)).toEqual(['III/b TMT 01-04-2019', 'III/c TMT 01-10-2023']);

    const printed = Buffer.from((await ok('separators.print', { nip: BUDI, items: ['SK_PANGKAT'] })).base64, 'base64');
    const sheets = await pdfText(printed);
    expect(sheets).toHaveLength(2);
    expect(sheets[0]).toContain('III/b TMT 01-04-2019');
    expect(sheets[1]).toContain('III/c TMT 01-10-2023');

    // The folder holds them newest first: each document still finds its own record.
    const stack = await feederStackPdf([{ kind: 'printed', pdf: printed, index: 1 }, text(71), { kind: 'printed', pdf: printed, index: 0 }, text(72), text(73)], feeder());
    const path = join(work.dir, 'pangkat.pdf');
    writeFileSync(path, stack);
    expect((await ok('capture.import', { files: [{ path }] })).imported.map((entry) => entry.pageCount)).toEqual([1, 2]);
    const docs = (await ok('documents.list', { nip: BUDI, typeCode: 'SK_PANGKAT' })).items;
    const details = await Promise.all(docs.map((doc) => ok('documents.get', { id: doc.id })));
    expect(details.map((doc) => [doc.state, doc.fields])).toEqual([
      ['draft', { nomor: '833/KP/2023', tanggal: '2023-09-20', tmt: '2023-10-01', golongan: 'III/c' }],
      ['draft', { nomor: '823/KP/2019', tanggal: '2019-03-15', tmt: '2019-04-01', golongan: 'III/b' }],
    ]);
    // Drafts count for nothing until the clerk confirms them against the page.
    expect((await rank()).records.map((record) => record.matchedBy)).toEqual([null, null]);
    for (const doc of details) await ok('documents.label', { id: doc.id, nip: BUDI, typeCode: 'SK_PANGKAT', fields: doc.fields, notes: '' });
    const after = await rank();
    expect([after.status, after.records.map((record) => record.matchedBy)]).toEqual(['held', ['nomor', 'nomor']]);
    expect(await call('separators.print', { nip: BUDI, items: ['SK_PANGKAT'] })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('refuses an unknown employee or document type', async () => {
    expect(await call('separators.print', { nip: '199505052020121001' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call('separators.print', { nip: BUDI, typeCodes: ['NOPE'] })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await call('separators.print', { nip: BUDI, items: ['NOPE'] })).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('NOPE') } });
    expect(await call('separators.print', { nip: BUDI, typeCodes: ['DRH'], items: ['DRH'] })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
