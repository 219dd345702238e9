// The hot folder through the UI: an admin types a folder's path, a scan saved there is
// imported on its own once fully written and listed as taken (leading to its document),
// the file leaves the folder for imported/; a broken file stays, listed with its reason.
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from './fixtures';
import { HotFolderPage } from './pages/hotfolder';
import { makePdf } from './support';

const CORPUS_DIR = process.env.LEMARI_CORPUS_DIR ?? resolve(import.meta.dirname, '../../../shared/corpus/real-world');
const CORPUS_PDF = join(CORPUS_DIR, 'minimal-document.pdf');
/** The default poll (2 s) and stable time (5 s), with room for a slow machine. */
const TAKEN_WITHIN = 30_000;

test('a PDF saved into a watched folder is imported and listed as taken', async ({ app }) => {
  const folder = await mkdtemp(join(tmpdir(), 'lemari-hot-'));
  try {
    const hot = new HotFolderPage(app.page);
    await app.go('import');
    await hot.add(folder);
    await expect(hot.folder(folder)).toHaveAttribute('data-state', 'watching', { timeout: TAKEN_WITHIN });

    const name = 'pindaian-001.pdf';
    if (existsSync(CORPUS_PDF)) await copyFile(CORPUS_PDF, join(folder, name));
    else await writeFile(join(folder, name), (await makePdf(name, ['SK PNS'])).buffer);
    await writeFile(join(folder, 'rusak.pdf'), '%PDF-1.7\nnot really a pdf\n%%EOF\n');

    await expect(hot.taken(name)).toContainText('diimpor', { timeout: TAKEN_WITHIN });
    await expect(hot.failure('rusak.pdf')).toContainText('PDF', { timeout: TAKEN_WITHIN });
    expect((await readdir(folder)).sort()).toEqual(['imported', 'rusak.pdf']);

    await hot.taken(name).getByRole('button', { name }).click();
    await expect(app.viewer.root).toBeVisible();
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});

test('a folder that does not exist is refused with its path', async ({ app }) => {
  const hot = new HotFolderPage(app.page);
  await app.go('import');
  const missing = join(tmpdir(), 'lemari-no-such-folder');
  await hot.section.getByLabel('Alamat folder').fill(missing);
  await hot.section.getByRole('button', { name: 'Pantau folder' }).click();
  await expect(hot.section.getByRole('alert')).toContainText(`Folder ${missing} tidak ditemukan`);
});

test('an admin can have stored files deleted from the folder instead of moved', async ({ app, host }) => {
  const folder = await mkdtemp(join(tmpdir(), 'lemari-hot-'));
  try {
    const hot = new HotFolderPage(app.page);
    await app.go('import');
    await hot.section.getByLabel('Setelah tersimpan').selectOption('delete');
    await hot.section.getByLabel('Diambil setelah tidak berubah selama').selectOption('2000');
    await hot.add(folder);
    await writeFile(join(folder, 'sekali.pdf'), (await makePdf('sekali.pdf', ['SK'])).buffer);
    await expect(hot.taken('sekali.pdf')).toContainText('diimpor', { timeout: TAKEN_WITHIN });
    expect(await readdir(folder)).toEqual([]);

    // The choices are the profile's settings, kept for the next start.
    const config = JSON.parse(await readFile(join(host.dataDir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ hotFolders: [folder], hotFolderAfterImport: 'delete', hotFolderStableMs: 2000 });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
