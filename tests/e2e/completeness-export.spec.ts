// Completeness exports and progress in the Kelengkapan view: the gap list downloads as XLSX
// and PDF and the picking list as PDF, named after the scope and the day, and the daily
// progress chart draws a point per recorded day with the same figures in its table, for the
// office or the unit chosen.
import { readSheet } from 'read-excel-file/node';
import { expect, test } from './fixtures';
import { NIP, textFile } from './support';

const CSV = ['NIP;Nama;Unit Kerja;Golongan', `${NIP};Budi Santoso;Bidang Mutasi;III/a`, '198507142010012002;Rina Wulandari;Sekretariat;III/c'].join('\n');
const DAY = /\d{4}-\d{2}-\d{2}/.source;

test('the gap list and the picking list download as files that open', async ({ app }) => {
  await app.go('employees');
  await app.employees.importList(textFile('pegawai.csv', CSV, 'text/csv'));
  await app.go('completeness');
  await expect(app.completeness.queueCount).toHaveText('2 pegawai belum lengkap');

  const xlsx = await app.completeness.download('completeness-export-xlsx');
  expect(xlsx.download.suggestedFilename()).toMatch(new RegExp(`^kekurangan-berkas-kantor-${DAY}\\.xlsx$`));
  const rows = await readSheet(xlsx.bytes);
  expect(rows.map((row) => row[2])).toEqual(['Nama', 'Budi Santoso', 'Rina Wulandari']);
  await expect(app.page.getByTestId('completeness-exports')).toContainText(xlsx.download.suggestedFilename());

  await app.page.getByTestId('completeness-unit').selectOption('Sekretariat');
  await expect(app.completeness.queueCount).toHaveText('1 pegawai belum lengkap');
  const pdf = await app.completeness.download('completeness-export-pdf');
  expect(pdf.download.suggestedFilename()).toMatch(new RegExp(`^kekurangan-berkas-sekretariat-${DAY}\\.pdf$`));
  expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.bytes.length).toBeGreaterThan(2000);

  await app.page.getByTestId('completeness-picking-order').selectOption('queue');
  const picking = await app.completeness.download('completeness-picking');
  expect(picking.download.suggestedFilename()).toMatch(new RegExp(`^daftar-ambil-berkas-sekretariat-${DAY}\\.pdf$`));
  expect(picking.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(picking.bytes.length).toBeGreaterThan(2000);
});

test('the progress chart draws a point per recorded day', async ({ app, page }) => {
  // Days cannot be lived through in a UI test: earlier snapshots are seeded into the answer
  // of completeness.progress (the integration tests cover how main stores them).
  const days = [
    { day: '2026-11-20', employees: 40, averageScore: 41.5, lengkap: 2, lengkapShare: 0.05 },
    { day: '2026-11-21', employees: 40, averageScore: 48.2, lengkap: 6, lengkapShare: 0.15 },
    { day: '2026-11-23', employees: 42, averageScore: 55.9, lengkap: 12, lengkapShare: 12 / 42 },
    { day: '2026-11-24', employees: 42, averageScore: 61.3, lengkap: 21, lengkapShare: 0.5 },
  ];
  await page.route('**/api/call/completeness.progress', (route) => route.fulfill({ json: { ok: true, value: { days } } }));
  await app.go('completeness');
  const chart = page.getByTestId('completeness-progress-chart');
  await expect(chart).toBeVisible();
  await expect(chart).toHaveAttribute('aria-label', 'Grafik kemajuan 4 hari: skor rata-rata dari 41,5 ke 61,3');
  await expect(app.completeness.progressPoints('score')).toHaveCount(4);
  await expect(app.completeness.progressPoints('lengkap')).toHaveCount(4);
  // Higher scores sit higher; the missing 22nd leaves a wider gap before the 23rd.
  const centres = await app.completeness.progressPoints('score').evaluateAll((points) => points.map((p) => ({ x: Number(p.getAttribute('cx')), y: Number(p.getAttribute('cy')) })));
  expect(centres.map((c) => c.y)).toEqual([...centres.map((c) => c.y)].sort((a, b) => b - a));
  expect(centres[2].x - centres[1].x).toBeCloseTo(2 * (centres[1].x - centres[0].x), 0);

  const rows = await app.completeness.progressRows();
  await expect(rows).toHaveCount(4);
  await expect(rows.first()).toContainText('2026-11-24');
  await expect(rows.first()).toContainText('61,3');
  await expect(rows.first()).toContainText('50,0');
});

test('a fresh office shows its first day in the table and waits for a second for the chart', async ({ app, page }) => {
  await app.go('completeness');
  const progress = page.getByTestId('completeness-progress');
  await expect(progress).toContainText('Grafik muncul setelah tercatat lebih dari satu hari.');
  await expect(page.getByTestId('completeness-progress-chart')).toHaveCount(0);
  await expect(await app.completeness.progressRows()).toHaveCount(1);
});

test('choosing a unit shows the progress of that unit', async ({ app, page }) => {
  await app.go('employees');
  await app.employees.importList(textFile('pegawai.csv', CSV, 'text/csv'));
  await app.go('completeness');
  await expect(app.completeness.queueCount).toHaveText('2 pegawai belum lengkap');
  // Today's snapshot: the office's two employees, then Sekretariat's one.
  const rows = await app.completeness.progressRows();
  await expect(rows).toHaveCount(1);
  await expect(rows.first().locator('td').nth(2)).toHaveText('2');
  await page.getByTestId('completeness-unit').selectOption('Sekretariat');
  await expect(app.completeness.queueCount).toHaveText('1 pegawai belum lengkap');
  await expect(rows).toHaveCount(1);
  await expect(rows.first().locator('td').nth(2)).toHaveText('1');
});
