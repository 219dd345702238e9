// Power cut in the middle of a batch: a child process imports 200 files and is SIGKILLed
// part-way, after it reported some files done. Reopening the profile must find every file
// it reported (and every committed document) whole, its blob on disk with the right hash,
// at most the uncommitted group's orphan blobs as debris, and a re-run must finish the
// batch, reporting the committed files as duplicates instead of storing them twice.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { FILES_IN_FLIGHT, GROUP_FILES } from '../../main/core/capture/pipeline';
import { openCaptureEnv } from '../fixtures/capture-env';
import { makeJpeg, makePdf } from '../fixtures/images';

const FILES = 200;
const KILL_AT = 20;
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const childScript = fileURLToPath(new URL('../fixtures/kill-import-child.ts', import.meta.url));

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));

it('survives SIGKILL in the middle of an import and completes on a re-run', async () => {
  const root = mkdtempSync(join(tmpdir(), 'lemari-kill-'));
  roots.push(root);
  const profileDir = join(root, 'profile');
  const inputDir = join(root, 'scans');
  mkdirSync(profileDir);
  mkdirSync(inputDir);
  const names: string[] = [];
  for (let i = 0; i < FILES; i++) {
    const name = `scan ${String(i).padStart(3, '0')}`;
    // Mostly PDFs, some JPEGs so conversion runs too; every file's content is distinct.
    names.push(`${name}.${i % 4 === 3 ? 'jpg' : 'pdf'}`);
    if (i % 4 === 3) writeFileSync(join(inputDir, `${name}.jpg`), await makeJpeg(600, 800, `halaman ${i}`));
    else writeFileSync(join(inputDir, `${name}.pdf`), await makePdf(`Dokumen nomor ${i}`, 1 + (i % 3)));
  }

  const child = spawn(process.execPath, ['--import', 'tsx', childScript, profileDir, inputDir], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  // What the clerk saw: the progress lines read before the kill, files in name order.
  let reported = 0;
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const { done } = JSON.parse(line) as { done?: number };
      if (done === undefined || child.signalCode) continue;
      reported = Math.max(reported, done);
      if (reported >= KILL_AT) child.kill('SIGKILL');
    }
  });
  const exit = await exited;
  expect(exit.signal, `child ended on its own before the kill (code ${exit.code}): ${stderr}`).toBe('SIGKILL');
  expect(reported).toBeGreaterThanOrEqual(KILL_AT);

  const env = await openCaptureEnv(profileDir);
  try {
    const rows = env.db.prepare('SELECT id, sha256, original_name FROM documents ORDER BY id').all() as { id: number; sha256: string; original_name: string }[];
    const committed = rows.length;
    // The kill must have landed part-way, or this test proves nothing.
    expect(committed).toBeGreaterThanOrEqual(reported);
    expect(committed).toBeLessThan(FILES);
    // Every file reported done is there, in order; the ones after it are a prefix too.
    expect(rows.map((row) => row.original_name)).toEqual(names.slice(0, committed));

    const verify = await env.maintenance.verify();
    expect(verify.problems).toEqual([]);
    expect(verify.ok).toBe(true);
    expect(verify.documents).toBe(committed);
    // A kill loses at most the files staged for the next group: their bytes, no rows.
    expect(verify.orphans).toBeLessThanOrEqual(GROUP_FILES + FILES_IN_FLIGHT);
    for (const row of rows) expect(await env.blobs.hashOnDisk(row.sha256)).toBe(row.sha256);
    // Document row and audit entry commit together, or not at all.
    expect(env.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'document.imported'").get()).toEqual({ n: committed });

    // A thumbnail the crash cut off is rendered when asked for.
    const missing = env.db.prepare('SELECT id FROM documents WHERE id NOT IN (SELECT document_id FROM thumbnails) LIMIT 1').get() as { id: number } | undefined;
    if (missing) expect(await env.capture.thumbnail(missing.id)).not.toBeNull();

    const rerun = await env.capture.importFiles([{ path: inputDir, name: 'scans' }], { actor: { id: 'kill-test' } });
    expect(rerun.failed).toEqual([]);
    expect(rerun.duplicates).toHaveLength(committed);
    expect(rerun.imported).toHaveLength(FILES - committed);
    expect(env.db.prepare('SELECT count(*) AS n FROM documents').get()).toEqual({ n: FILES });
    expect(await env.maintenance.verify()).toMatchObject({ ok: true, documents: FILES, problems: [] });
  } finally {
    await env.close();
  }
});
