// The conflicts panel of Sinkronisasi (issue 5), in Chromium against a real central server.
// The account is activated through the UI; the conflict is then seeded through the real
// services (the host's API and the server's): a document is sent and verified, the server's
// copy is edited elsewhere (version 2), the clerk's label changes here, and the next run
// ends in conflict. The panel shows both sides; the clerk keeps the local label with the
// keyboard (L), and the next run sends it over the server's version.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiLogin, importEmployees, SARI, useCentralServer } from './central-server';
import { activate } from './activate';
import { expect, test } from './fixtures';
import { ConflictsPanel } from './pages/conflicts';
import { SyncPage } from './pages/sync';
import { makePdf } from './support';

const PASSWORD = 'rak arsip di lantai dua';
const BUDI = { nip: '199001012015031001', nama: 'Budi Santoso' };
const FIELDS = { nomor: '800/17/BKD/2017', tanggal: '2017-03-01', tmt: '2017-03-01' };

const server = useCentralServer();
let files: string;

test.beforeAll(async () => {
  files = await mkdtemp(join(tmpdir(), 'lemari-e2e-conflict-'));
});

test.afterAll(async () => {
  if (files) await rm(files, { recursive: true, force: true });
});

interface ServerDocument {
  id: string;
  version: number;
  fields: Record<string, string>;
}

async function serverApi<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

test.describe('sync conflicts', () => {
  test.use({ bootstrap: false });

  test('shows both sides of a conflict, and L keeps the local label, which the next run sends', async ({ host, page }) => {
    test.setTimeout(90_000);
    const recoveryCode = await activate(page, host.url, server, PASSWORD);
    const token = await apiLogin(server, { nip: SARI.nip, password: PASSWORD, recoveryCode });
    await importEmployees(server, token, [BUDI]);
    // Through the page's own signed-in session (its cookie), as the clerk's clicks would.
    const call = async (method: string, input: unknown): Promise<unknown> => {
      const result = (await (await page.request.post(`${host.origin}/api/call/${method}`, { data: input })).json()) as { ok: boolean; value?: unknown; error?: { message: string } };
      if (!result.ok) throw new Error(`${method}: ${result.error?.message}`);
      return result.value;
    };

    const pdf = await makePdf(`${BUDI.nip}_SK_PNS.pdf`, ['SURAT KEPUTUSAN', BUDI.nama]);
    const path = join(files, pdf.name);
    await writeFile(path, pdf.buffer);
    const report = (await call('capture.import', { files: [{ path }] })) as { imported: { documentId: number }[] };
    const id = report.imported[0].documentId;
    await call('documents.label', { id, nip: BUDI.nip, typeCode: 'SK_PNS', fields: FIELDS });
    await call('sync.queue', {});
    expect(await call('sync.run', {})).toMatchObject({ verified: 1 });

    // Another workstation corrects the server's copy to version 2 ...
    const feed = await serverApi<{ items: ServerDocument[] }>('GET', '/v1/documents/changes?since=0', token);
    const [doc] = feed.items;
    await serverApi('PATCH', `/v1/documents/${doc.id}`, token, { expectedVersion: doc.version, fields: { ...FIELDS, nomor: '800/17/SERVER/2017' } });
    // ... while the clerk here corrects the same document from version 1.
    await call('documents.label', { id, nip: BUDI.nip, typeCode: 'SK_PNS', fields: { ...FIELDS, nomor: '800/17/LOKAL/2017' } });
    expect(await call('sync.run', {})).toMatchObject({ verified: 0 });

    const sync = new SyncPage(page);
    const panel = new ConflictsPanel(page);
    await sync.open();
    const conflict = panel.conflict(id);
    await expect(conflict).toBeVisible();
    await expect(sync.count('conflict')).toHaveText('1');
    // Both sides, side by side: the local label and the server's version 2.
    await expect(panel.side(id, 'local').getByTestId('field-nomor')).toHaveText('800/17/LOKAL/2017');
    await expect(panel.side(id, 'server').getByTestId('field-nomor')).toHaveText('800/17/SERVER/2017');
    await expect(panel.side(id, 'server')).toContainText('Versi server (v2)');

    await conflict.focus();
    await page.keyboard.press('l');
    await expect(panel.panel).toContainText('Versi lokal akan dikirim pada sinkronisasi berikutnya.');
    await expect(panel.items).toHaveCount(0);

    // The kept label goes over the server's version with the next run.
    await sync.now.focus();
    await page.keyboard.press('Enter');
    await expect(sync.lastReport).toContainText('1 terkirim dan diverifikasi', { timeout: 30_000 });
    await expect(sync.count('conflict')).toHaveText('0');
    const after = await serverApi<{ document: ServerDocument }>('GET', `/v1/documents/${doc.id}`, token);
    expect(after.document).toMatchObject({ version: 3, fields: { nomor: '800/17/LOKAL/2017' } });
  });
});
