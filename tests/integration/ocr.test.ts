// OCR end to end (issue 6): a generated SK page imported as a PDF is read in the background
// by the real tesseract worker (Indonesian data from npm, the network blocked inside the
// worker), its words are found by search, and the labelling proposals hold the NIP, nomor,
// tanggal and TMT printed on it. A page that times out is recorded as a failure with its
// reason and does not stop labelling; the queue survives a restart.

import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MethodName, MethodOutput } from '../../common/contract';
import { fromBase32, totpCode } from '../../main/core/auth/totp';
import type { Recognizer } from '../../main/core/ocr';
import { imagesToPdf } from '../../main/infra/images';
import { createTesseractRecognizer } from '../../main/infra/ocr';
import { renderSkPage, type SkSample } from '../../main/infra/ocr/sk-sample';
import { KeyFileSecretStore } from '../../main/infra/secrets';
import { ConfSettingsStore } from '../../main/infra/settings';
import { openProfile, type Profile, type ProfileOptions } from '../../main/profile';
import { resourcesDir, tempDir } from '../helpers/profile';

const SAMPLE: SkSample = { nip: '198503122010011004', nomor: '823.3/1234/BKD/2016', tanggal: '2016-03-12', tmt: '2016-04-01', nama: 'Budi Santoso' };
const clock = { now: () => new Date('2026-11-24T02:00:00Z') };

/**
 * tesseract's own worker script behind a guard that makes every way out of the worker
 * throw (fetch, http, https, net, tls): a language file looked for on the network would
 * fail the recognition instead of quietly downloading.
 */
function offlineWorker(dir: string): string {
  const script = createRequire(import.meta.url).resolve('tesseract.js/src/worker-script/node/index.js');
  const path = join(dir, 'offline-worker.cjs');
  writeFileSync(
    path,
    `const blocked = (what) => () => { console.error('OCR worker tried the network: ' + what); throw new Error('network used by the OCR worker: ' + what); };
globalThis.fetch = blocked('fetch');
for (const name of ['http', 'https']) { const mod = require(name); mod.request = blocked(name); mod.get = blocked(name); }
for (const name of ['net', 'tls']) { const mod = require(name); mod.connect = blocked(name); mod.createConnection = blocked(name); }
require(${JSON.stringify(script)});
`,
  );
  return path;
}

interface Opened {
  profile: Profile;
  call<M extends MethodName>(method: M, input: unknown): Promise<MethodOutput<M>>;
  importPdf(name: string, pdf: Uint8Array): Promise<number>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function open(dataDir: string, ocr: ProfileOptions['ocr'], bootstrap = true): Promise<Opened> {
  const profile = await openProfile({ dataDir, host: 'cli', resourcesDir, settings: new ConfSettingsStore(dataDir), secrets: new KeyFileSecretStore(dataDir), logger: { error: () => {}, info: () => {} }, clock, ocr });
  cleanups.push(() => profile.close());
  const session = profile.newSession();
  async function call<M extends MethodName>(method: M, input: unknown): Promise<MethodOutput<M>> {
    const result = (await profile.api.call(method, input, { session })) as { ok: true; value: MethodOutput<M> } | { ok: false; error: { message: string } };
    if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
    return result.value;
  }
  if (bootstrap) {
    const { enrolment } = (await call('auth.bootstrap', { nip: '198001012005011001', nama: 'Admin', password: 'arsip kepegawaian aman 2026' })) as { enrolment: { secret: string } };
    await call('auth.confirmEnrolment', { code: totpCode(fromBase32(enrolment.secret), clock.now()) });
  }
  return {
    profile,
    call,
    async importPdf(name, pdf) {
      const path = join(dataDir, '..', name);
      writeFileSync(path, pdf);
      const report = await call('capture.import', { files: [{ path }] });
      expect(report.failed).toEqual([]);
      return report.imported[0].documentId;
    },
  };
}

async function skPdf(options: Parameters<typeof renderSkPage>[1] = {}): Promise<Uint8Array> {
  return (await imagesToPdf('png', renderSkPage(SAMPLE, options))).pdf;
}

function work(): string {
  const dir = tempDir('lemari-ocr-');
  cleanups.push(dir.cleanup);
  return dir.dir;
}

describe('ocr', () => {
  it('reads an imported SK page in the background: search finds its words, the proposals hold its fields', { timeout: 90_000 }, async () => {
    const dir = work();
    const { profile, call, importPdf } = await open(join(dir, 'profil'), { recognizer: createTesseractRecognizer({ workerPath: offlineWorker(dir) }) });
    const id = await importPdf('pindaian-sk.pdf', await skPdf());
    // Queued by the import, read after it returned.
    expect(['pending', 'running']).toContain((await call('ocr.status', { documentId: id })).status);
    expect((await call('search.query', { text: 'menimbang', limit: 10, offset: 0 })).items).toEqual([]);

    await profile.ocr.idle();
    const status = await call('ocr.status', { documentId: id });
    expect(status).toMatchObject({ status: 'done', pagesDone: 1, pageCount: 1, error: null });
    expect(status.proposals).toEqual({ nip: SAMPLE.nip, nomor: SAMPLE.nomor, tanggal: SAMPLE.tanggal, tmt: SAMPLE.tmt });

    // Words only printed on the page (not in the file name or any label).
    expect((await call('search.query', { text: 'menimbang', limit: 10, offset: 0 })).items.map((hit) => hit.id)).toEqual([id]);
    expect((await call('search.query', { text: 'kenaikan pangkat sleman', limit: 10, offset: 0 })).items.map((hit) => hit.id)).toEqual([id]);
    expect((await call('search.query', { text: 'pensiun', limit: 10, offset: 0 })).items).toEqual([]);

    // Proposals are only proposals: the document is still an unlabelled draft.
    expect(await call('documents.get', { id })).toMatchObject({ nip: null, state: 'draft', fields: {} });
    // cacheMethod 'none': no language file written beside the process.
    expect(existsSync(join(process.cwd(), 'ind.traineddata'))).toBe(false);
  });

  it('records a page that times out as a failure with its reason, and labelling goes on', { timeout: 60_000 }, async () => {
    const dir = work();
    const { profile, call, importPdf } = await open(join(dir, 'profil'), { pageTimeoutMs: 1 });
    const id = await importPdf('lambat.pdf', await skPdf({ lines: 4 }));
    await profile.ocr.idle();
    const status = await call('ocr.status', { documentId: id });
    expect(status).toMatchObject({ status: 'failed', pagesDone: 0, pageCount: 1, proposals: null });
    expect(status.error).toBe('Pembacaan teks (OCR) halaman 1 melewati batas 1 detik');

    const labelled = await call('documents.label', { id, nip: SAMPLE.nip, typeCode: 'SK_PANGKAT', fields: { nomor: SAMPLE.nomor, tanggal: SAMPLE.tanggal, tmt: SAMPLE.tmt, golongan: 'III/b' }, notes: '' });
    expect(labelled.state).toBe('ready');
  });

  it('keeps the queue in the database: a document imported while OCR is off is read at the next start', { timeout: 60_000 }, async () => {
    const dir = work();
    const dataDir = join(dir, 'profil');
    const first = await open(dataDir, false);
    const id = await first.importPdf('antre.pdf', await skPdf({ lines: 4 }));
    await first.profile.close();
    cleanups.pop();

    const pages: number[] = [];
    const recognizer: Recognizer = {
      async recognize(image) {
        pages.push('rgba' in image ? image.width : 0);
        return { text: 'NOMOR : 800/77/BKD/2020\nNIP 19850312 201001 1 004', words: [], confidence: 90 };
      },
      async terminate() {},
    };
    const second = await open(dataDir, { recognizer }, false);
    expect(second.profile.ocr.status(id).status).not.toBe('none');
    await second.profile.ocr.idle();
    expect(second.profile.ocr.status(id)).toMatchObject({ status: 'done', proposals: { nip: SAMPLE.nip, nomor: '800/77/BKD/2020', tanggal: null, tmt: null } });
    // Rendered at 300 dpi: an A4-wide page is about 2480 pixels across.
    expect(pages).toHaveLength(1);
    expect(pages[0]).toBeGreaterThan(2400);
  });
});
