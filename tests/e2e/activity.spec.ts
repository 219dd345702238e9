// Aktivitas: the admin sees the audit log newest first (their sign-in, an import), narrows it
// by action and by day from the keyboard, opens a document from an entry, and exports the
// filtered log as a CSV file.
import { expect, test } from './fixtures';
import { ActivityPage } from './pages/activity';
import { ADMIN, makePdf, NIP } from './support';

/** Today as <input type=date> writes it, in this machine's time zone (the browser's too). */
function localDay(offsetDays = 0): string {
  const day = new Date();
  day.setDate(day.getDate() + offsetDays);
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
}

test('admin reads, filters and exports the activity log', async ({ app, page }) => {
  await app.go('import');
  await app.import.pick([await makePdf(`${NIP}_SK_PNS.pdf`, ['SURAT KEPUTUSAN'])]);

  const activity = new ActivityPage(page);
  await activity.open();
  await expect(activity.rowsOf('auth.login')).toHaveCount(1);
  await expect(activity.rowsOf('auth.login')).toContainText('Masuk');
  await expect(activity.rowsOf('auth.login')).toContainText(ADMIN.nip);
  const imported = activity.rowsOf('document.imported');
  await expect(imported).toHaveCount(1);
  await expect(imported).toContainText('Dokumen diimpor');
  await expect(imported).toContainText(NIP);
  await expect(imported).toContainText(`${NIP}_SK_PNS.pdf`);
  // Newest first: the import came after the sign-in.
  await expect(activity.rows.first()).toHaveAttribute('data-action', 'document.imported');
  const everything = await activity.rows.count();
  expect(everything).toBeGreaterThan(1);

  // The action filter, applied with Enter from a filter field.
  await activity.filter('action').selectOption('document.imported');
  await activity.filter('actor').fill(ADMIN.nip);
  await activity.filter('actor').press('Enter');
  await expect(activity.rows).toHaveCount(1);
  await expect(activity.count).toHaveText('1 dari 1 catatan');

  // Days: today alone keeps the entry; from tomorrow on there is none.
  await activity.filter('from').fill(localDay());
  await activity.filter('to').fill(localDay());
  await page.getByTestId('activity-apply').click();
  await expect(activity.rows).toHaveCount(1);
  await activity.filter('from').fill(localDay(1));
  await activity.filter('to').fill('');
  await activity.filter('from').press('Enter');
  await expect(activity.rows).toHaveCount(0);
  await expect(page.getByText('Tidak ada catatan yang cocok.')).toBeVisible();
  await activity.filter('from').fill('');
  await activity.filter('nip').press('Enter');
  await expect(activity.rows).toHaveCount(1);

  // The export takes the same filters.
  const { download, text } = await activity.exportCsv();
  expect(download.suggestedFilename()).toMatch(/^aktivitas-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = text.replace(/^\ufeff/, '').trim().split(/\r\n/);
  expect(lines[0]).toBe('id,waktu,pengguna,aksi,dokumen,nip,rincian');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(',document.imported,');
  expect(lines[1]).toContain(NIP);
  await expect(page.getByRole('status').filter({ hasText: '1 catatan diekspor' })).toBeVisible();

  // The document cell opens the viewer, and the viewing is itself recorded.
  await activity.rows.first().getByRole('button', { name: /^Buka dokumen #\d+$/ }).click();
  await expect(app.viewer.root).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(app.viewer.root).toBeHidden();
  await page.getByTestId('activity-reset').click();
  await expect(activity.rowsOf('document.viewed')).toHaveCount(1);
  await expect(activity.rowsOf('audit.exported')).toHaveCount(1);
  await expect(activity.rowsOf('audit.exported')).toContainText('Aktivitas diekspor');
});
