import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCaptureEnv } from '../../../tests/fixtures/capture-env';
import { makeJpeg, makePdf } from '../../../tests/fixtures/images';

const envs: Awaited<ReturnType<typeof createCaptureEnv>>[] = [];
afterEach(async () => {
  for (const env of envs.splice(0)) await env.dispose();
});

async function withDocuments() {
  const env = await createCaptureEnv();
  envs.push(env);
  const a = join(env.inputDir, 'a.pdf');
  const b = join(env.inputDir, 'b.jpg');
  writeFileSync(a, await makePdf('a'));
  writeFileSync(b, await makeJpeg());
  const report = await env.capture.importFiles(
    [
      { path: a, name: 'a.pdf' },
      { path: b, name: 'b.jpg' },
    ],
    { actor: { id: 'admin' } },
  );
  await env.capture.idle();
  const rows = env.db.prepare('SELECT id, sha256 FROM documents ORDER BY id').all() as { id: number; sha256: string }[];
  expect(rows.map((row) => row.id)).toEqual(report.imported.map((entry) => entry.documentId));
  return { env, rows };
}

describe('maintenance.verify', () => {
  it('passes an empty profile', async () => {
    const env = await createCaptureEnv();
    envs.push(env);
    expect(await env.maintenance.verify()).toEqual({ ok: true, documents: 0, blobs: 0, orphans: 0, auditEntries: 0, problems: [] });
  });

  it('passes a profile whose every document has its bytes', async () => {
    const { env } = await withDocuments();
    expect(await env.maintenance.verify()).toEqual({ ok: true, documents: 2, blobs: 2, orphans: 0, auditEntries: 2, problems: [] });
  });

  it('counts blobs no document points at as harmless orphans', async () => {
    const { env } = await withDocuments();
    await env.blobs.put(new TextEncoder().encode('%PDF-1.7 left by a crash before commit'));
    expect(await env.maintenance.verify()).toMatchObject({ ok: true, blobs: 3, orphans: 1, problems: [] });
  });

  it('reports a document whose bytes changed on disk', async () => {
    const { env, rows } = await withDocuments();
    writeFileSync(env.blobs.pathOf(rows[0].sha256), 'tampered');
    const report = await env.maintenance.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      { kind: 'blob_mismatch', documentId: rows[0].id, message: `Dokumen #${rows[0].id}: isi berkas ${rows[0].sha256} tidak cocok dengan hash-nya` },
    ]);
  });

  it('reports a document whose bytes are gone', async () => {
    const { env, rows } = await withDocuments();
    rmSync(env.blobs.pathOf(rows[1].sha256));
    const report = await env.maintenance.verify();
    expect(report).toMatchObject({ ok: false, documents: 2, blobs: 1, orphans: 0 });
    expect(report.problems).toEqual([
      { kind: 'blob_missing', documentId: rows[1].id, message: `Dokumen #${rows[1].id}: berkas isi ${rows[1].sha256} hilang dari penyimpanan` },
    ]);
  });
});
