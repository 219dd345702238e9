// Verifikasi (issue 7) in Chromium: with approval required, a verifier rejects a document
// with a reason and the clerk finds it back in the labelling view with that reason; the
// verifier approves a reviewed batch with the keyboard only (Space, Shift+↓, Ctrl+Enter).
import { expect, test } from './fixtures';
import { callAs, ReviewPage } from './pages/review';
import { firstSignIn, UsersPage } from './pages/users';
import { makePdf, NIP } from './support';

const CLERK = { nip: '199203032015032002', nama: 'Sari Pengelola', role: 'clerk' as const, password: 'pohon mangga di halaman' };
const VERIFIER = { nip: '198505052010012002', nama: 'Dewi Verifikator', role: 'verifier' as const, password: 'jembatan kayu di desa' };
const REASON = 'Nomor SK tidak sama dengan halaman 1';

test('a verifier rejects with a reason the clerk sees, and approves a batch with the keyboard', async ({ app, page }) => {
  // The admin requires approval, makes the two accounts, and imports and labels three SKs.
  await app.go('settings');
  await page.getByTestId('settings-require-approval').click();
  await expect(page.getByTestId('settings-require-approval')).toBeChecked();
  await expect(page.getByRole('status').filter({ hasText: 'Pengaturan tersimpan' })).toBeVisible();
  const users = new UsersPage(page);
  await users.open();
  for (const user of [CLERK, VERIFIER]) {
    await users.create(user);
    await expect(users.row(user.nip)).toBeVisible();
  }
  await app.go('import');
  const names = ['a', 'b', 'c'].map((suffix) => `${NIP}_SK_PNS_${suffix}.pdf`);
  await app.import.pick(await Promise.all(names.map((name, i) => makePdf(name, [`SURAT KEPUTUSAN ${i + 1}`]))));
  const drafts = await callAs<{ items: { id: number }[] }>(page, 'documents.list', { state: 'draft' });
  for (const { id } of drafts.items) {
    await callAs(page, 'documents.label', { id, nip: NIP, typeCode: 'SK_PNS', fields: { nomor: `800/${id}/BKD/2015`, tanggal: '2015-03-01', tmt: '2015-03-01' } });
  }
  await page.getByTestId('nav-logout').click();

  // The verifier: three waiting; the first is sent back with a reason.
  await firstSignIn(page, VERIFIER, 'sungai jernih di hulu');
  const review = new ReviewPage(page);
  await review.open();
  await expect(review.count).toHaveText('3 dokumen menunggu verifikasi');
  await expect(page.locator('.preview').getByTestId('pdf-page')).toHaveAttribute('data-rendered', 'true', { timeout: 20_000 });
  const rejected = (await page.locator('.doc-line strong').textContent())!;
  await review.reject(REASON);
  await expect(page.getByRole('status').filter({ hasText: 'dikembalikan ke petugas' })).toBeVisible();
  await expect(review.items).toHaveCount(2);
  await expect(review.item(rejected)).toHaveCount(0);

  // Keyboard only: tick the current one, Shift+↓ ticks the next too, Ctrl+Enter approves both.
  await review.list.focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('Shift+ArrowDown');
  await expect(page.getByTestId('review-approve-ticked')).toHaveText('Setujui yang dicentang (2)');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('status').filter({ hasText: '2 dokumen disetujui' })).toBeVisible();
  await expect(review.empty).toBeVisible();
  await page.getByTestId('nav-logout').click();

  // The clerk finds the rejected document first in the labelling queue, with the reason.
  await firstSignIn(page, CLERK, 'sawah hijau dekat sungai');
  await app.go('label');
  await expect(page.getByTestId('label-sent-back')).toHaveText(`Dikembalikan verifikator: ${REASON}`);
  await expect(page.locator('.doc-line')).toContainText(rejected);
  const doc = await callAs<{ items: { originalName: string; review: string; reviewReason: string | null }[] }>(page, 'documents.list', { nip: NIP });
  expect(doc.items.map((d) => [d.originalName, d.review, d.reviewReason]).sort()).toEqual(
    names.map((name) => (name === rejected ? [name, 'rejected', REASON] : [name, 'approved', null])).sort(),
  );
});
