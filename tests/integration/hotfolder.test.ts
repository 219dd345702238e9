// The hot folder over real temp folders, a real SQLite profile and the real import
// pipeline, with a fake clock and hand-driven polls: a file is taken only once whole, once;
// broken files stay with their reason; duplicates are recorded and moved; an offline folder
// comes back; and nothing leaves the folder before its row is committed.

import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HotFolderStatus } from '../../common/contract';
import { createHotFolders, nodeHotFolderFs, type HotFolderFs, type HotFolderOptions, type HotFolders } from '../../main/core/capture';
import type { ImportFile, ImportOptions } from '../../main/core/capture';
import { createCaptureEnv, translate } from '../fixtures/capture-env';
import { makePdf } from '../fixtures/images';

const START = Date.parse('2026-11-24T03:00:00.000Z');
const POLL = 2000;
const STABLE = 5000;
const DAY_DIR = join('imported', '2026-11-24');

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

interface Setup {
  folder: string;
  hot: HotFolders;
  env: Awaited<ReturnType<typeof createCaptureEnv>>;
  log: string[];
  statuses: HotFolderStatus[];
  /** Advances the fake clock and polls once, as the timer would. */
  poll(afterMs?: number): Promise<void>;
  documents(): { id: number; sha256: string; original_name: string }[];
  imports: () => number;
}

async function setup(options: { fs?: (real: HotFolderFs, log: string[]) => HotFolderFs; afterImport?: HotFolderOptions['afterImport'] } = {}): Promise<Setup> {
  let now = START;
  const clock = { now: () => new Date(now) };
  const env = await createCaptureEnv({ clock });
  const folder = join(env.root, 'scans');
  mkdirSync(folder);
  const log: string[] = [];
  const statuses: HotFolderStatus[] = [];
  let importCalls = 0;
  const hot = createHotFolders({
    fs: options.fs ? options.fs(nodeHotFolderFs, log) : nodeHotFolderFs,
    // Polls are driven by the test; the timer never fires on its own.
    timers: { set: () => 1, clear: () => undefined },
    clock,
    translate,
    events: {
      emit(name, payload) {
        if (name === 'hotfolder.onDidChange') statuses.push(payload as HotFolderStatus);
      },
    },
    logger: { error: () => undefined, info: () => undefined },
    async importFiles(files: readonly ImportFile[], importOptions: ImportOptions) {
      importCalls++;
      log.push(`import ${files.map((file) => file.name).join(',')}`);
      const report = await env.capture.importFiles(files, importOptions);
      log.push(`returned ${files.map((file) => file.name).join(',')}`);
      return report;
    },
    options: () => ({ pollMs: POLL, stableMs: STABLE, afterImport: options.afterImport ?? 'move' }),
  });
  hot.setFolders([folder]);
  hot.start({ id: 'folder-pantau' });
  cleanups.push(async () => {
    await hot.stop();
    await env.dispose();
  });
  return {
    folder,
    hot,
    env,
    log,
    statuses,
    async poll(afterMs = POLL) {
      now += afterMs;
      await hot.scan();
    },
    documents: () => env.db.prepare('SELECT id, sha256, original_name FROM documents ORDER BY id').all() as { id: number; sha256: string; original_name: string }[],
    imports: () => importCalls,
  };
}

describe('hot folder: taking a file only when it is whole', () => {
  it('imports a file written slowly in pieces once, whole, and moves it to imported/DATE/', async () => {
    const s = await setup();
    const pdf = await makePdf('SK PNS hot folder', 3);
    const path = join(s.folder, 'scan-001.pdf');
    const cuts = [0, 0.2, 0.5, 0.8, 1].map((share) => Math.round(share * pdf.length));
    writeFileSync(path, pdf.subarray(cuts[0], cuts[1]));
    await s.poll(0);
    for (let piece = 1; piece < cuts.length - 1; piece++) {
      // A pause longer than one poll (two polls see the same size), but the scanner is not done.
      await s.poll(POLL);
      await s.poll(POLL);
      expect(s.documents(), `after piece ${piece}`).toEqual([]);
      appendFileSync(path, pdf.subarray(cuts[piece], cuts[piece + 1]));
      await s.poll(POLL);
    }
    expect(s.imports()).toBe(0);
    await s.poll(STABLE);

    const docs = s.documents();
    expect(docs).toHaveLength(1);
    expect(docs[0].sha256).toBe(sha256(pdf));
    expect(existsSync(path)).toBe(false);
    const moved = join(s.folder, DAY_DIR, 'scan-001.pdf');
    expect(sha256(readFileSync(moved))).toBe(sha256(pdf));
    expect(s.hot.status().recent).toEqual([
      { folder: s.folder, name: 'scan-001.pdf', at: expect.any(String), outcome: 'imported', documentId: docs[0].id, message: null, movedTo: moved },
    ]);

    // Later polls find nothing more to take (imported/ is never scanned).
    await s.poll(STABLE);
    await s.poll(STABLE);
    expect(s.imports()).toBe(1);
    expect(s.documents()).toHaveLength(1);
  });

  it('never imports a file that is still growing, however long it keeps growing', async () => {
    const s = await setup();
    const path = join(s.folder, 'long.pdf');
    writeFileSync(path, '%PDF-1.4\n');
    for (let i = 0; i < 12; i++) {
      await s.poll(POLL);
      appendFileSync(path, `% line ${i}\n`);
    }
    expect(s.imports()).toBe(0);
    expect(s.hot.status().failures).toEqual([]);
    expect(existsSync(path)).toBe(true);
  });

  it('leaves an empty file alone: a scan about to be written is not a failure', async () => {
    const s = await setup();
    writeFileSync(join(s.folder, 'kosong.pdf'), '');
    await s.poll(0);
    await s.poll(STABLE);
    expect(s.imports()).toBe(0);
    expect(s.hot.status().failures).toEqual([]);
  });
});

describe('hot folder: failures and duplicates', () => {
  it('keeps a corrupt PDF in the folder with its reason, retries only on request or change', async () => {
    const s = await setup();
    const path = join(s.folder, 'rusak.pdf');
    writeFileSync(path, '%PDF-1.7\nthis is not a real pdf body\n%%EOF\n');
    await s.poll(0);
    await s.poll(STABLE);
    expect(existsSync(path)).toBe(true);
    const [failure] = s.hot.status().failures;
    expect(failure).toMatchObject({ folder: s.folder, name: 'rusak.pdf', path });
    expect(['corrupt', 'truncated']).toContain(failure.code);
    expect(failure.message).toMatch(/PDF/);
    expect(s.statuses.at(-1)!.failures.map((f) => f.name)).toEqual(['rusak.pdf']);

    // Unchanged, it is not tried again every poll.
    await s.poll(STABLE);
    expect(s.imports()).toBe(1);
    expect(s.hot.retry(path)).toBe(true);
    await s.poll(POLL);
    expect(s.imports()).toBe(2);
    expect(s.hot.status().failures).toHaveLength(1);

    // The clerk rescans over it: the new file is taken once it stands still.
    const good = await makePdf('rescanned');
    writeFileSync(path, good);
    await s.poll(POLL);
    await s.poll(STABLE);
    expect(s.hot.status().failures).toEqual([]);
    expect(s.documents().map((d) => d.sha256)).toEqual([sha256(good)]);
    expect(existsSync(path)).toBe(false);
  });

  it('records a file already stored as a duplicate and moves it out the same way', async () => {
    const s = await setup();
    const pdf = await makePdf('already stored');
    const first = join(s.env.inputDir, 'first.pdf');
    writeFileSync(first, pdf);
    const report = await s.env.capture.importFiles([{ path: first, name: 'first.pdf' }], { actor: { id: 'clerk-1' } });
    const existingId = report.imported[0].documentId;

    writeFileSync(join(s.folder, 'again.pdf'), pdf);
    await s.poll(0);
    await s.poll(STABLE);
    expect(s.documents()).toHaveLength(1);
    const [entry] = s.hot.status().recent;
    expect(entry).toMatchObject({ name: 'again.pdf', outcome: 'duplicate', documentId: existingId, movedTo: join(s.folder, DAY_DIR, 'again.pdf') });
    expect(entry.message).toContain('first.pdf');
    expect(readdirSync(s.folder)).toEqual(['imported']);
  });

  it('does not overwrite an earlier file of the same name in imported/', async () => {
    const s = await setup();
    writeFileSync(join(s.folder, 'scan.pdf'), await makePdf('one'));
    await s.poll(0);
    await s.poll(STABLE);
    writeFileSync(join(s.folder, 'scan.pdf'), await makePdf('two'));
    await s.poll(POLL);
    await s.poll(STABLE);
    expect(readdirSync(join(s.folder, DAY_DIR)).sort()).toEqual(['scan (2).pdf', 'scan.pdf']);
    expect(s.documents()).toHaveLength(2);
  });
});

describe('hot folder: a share that goes away', () => {
  it('reports the folder offline, keeps trying, and resumes when it comes back', async () => {
    const s = await setup();
    await s.poll(0);
    expect(s.hot.status().folders).toEqual([{ path: s.folder, state: 'watching', error: null, lastScanAt: expect.any(String) }]);

    const away = `${s.folder}-away`;
    renameSync(s.folder, away);
    await s.poll(POLL);
    const offline = s.hot.status().folders[0];
    expect(offline.state).toBe('offline');
    expect(offline.error).toContain('ENOENT');
    expect(s.statuses.at(-1)!.folders[0].state).toBe('offline');
    await s.poll(POLL);
    expect(s.hot.status().folders[0].state).toBe('offline');

    renameSync(away, s.folder);
    const pdf = await makePdf('after the outage');
    writeFileSync(join(s.folder, 'back.pdf'), pdf);
    await s.poll(POLL);
    expect(s.hot.status().folders[0]).toMatchObject({ state: 'watching', error: null });
    await s.poll(STABLE);
    expect(s.documents().map((d) => d.sha256)).toEqual([sha256(pdf)]);
  });

  it('does not take a file that was seen standing still before the outage until it is seen again', async () => {
    const s = await setup();
    writeFileSync(join(s.folder, 'a.pdf'), await makePdf('a'));
    await s.poll(0);
    const away = `${s.folder}-away`;
    renameSync(s.folder, away);
    await s.poll(POLL);
    renameSync(away, s.folder);
    // Back after longer than the stable time: the first look only notes the file.
    await s.poll(STABLE);
    expect(s.imports()).toBe(0);
    await s.poll(STABLE);
    expect(s.imports()).toBe(1);
  });
});

describe('hot folder: kill safety', () => {
  function recording(real: HotFolderFs, log: string[], db: () => Setup['env']['db'] | null, failRename = false): HotFolderFs {
    const committed = (path: string) => {
      const name = path.split(/[\\/]/).pop()!;
      return db()?.prepare('SELECT count(*) AS n FROM documents WHERE original_name = ?').get(name) as { n: number } | undefined;
    };
    return {
      ...real,
      async rename(from, to) {
        log.push(`rename ${from.split(/[\\/]/).pop()} committed=${committed(from)?.n}`);
        if (failRename) throw Object.assign(new Error('EBUSY: resource busy'), { code: 'EBUSY' });
        return real.rename(from, to);
      },
      async remove(path) {
        log.push(`remove ${path.split(/[\\/]/).pop()} committed=${committed(path)?.n}`);
        return real.remove(path);
      },
    };
  }

  it('moves a file only after its row is committed', async () => {
    let db: Setup['env']['db'] | null = null;
    const s = await setup({ fs: (real, log) => recording(real, log, () => db) });
    db = s.env.db;
    writeFileSync(join(s.folder, 'a.pdf'), await makePdf('a'));
    writeFileSync(join(s.folder, 'b.pdf'), await makePdf('b'));
    await s.poll(0);
    await s.poll(STABLE);
    expect(s.log).toEqual(['import a.pdf', 'returned a.pdf', 'rename a.pdf committed=1', 'import b.pdf', 'returned b.pdf', 'rename b.pdf committed=1']);
  });

  it('deletes a file, when the admin chose that, only after its row is committed', async () => {
    let db: Setup['env']['db'] | null = null;
    const s = await setup({ afterImport: 'delete', fs: (real, log) => recording(real, log, () => db) });
    db = s.env.db;
    writeFileSync(join(s.folder, 'a.pdf'), await makePdf('a'));
    await s.poll(0);
    await s.poll(STABLE);
    expect(s.log).toEqual(['import a.pdf', 'returned a.pdf', 'remove a.pdf committed=1']);
    expect(readdirSync(s.folder)).toEqual([]);
  });

  it('leaves a stored file it cannot move in place, says so, and moves it once it can', async () => {
    let db: Setup['env']['db'] | null = null;
    let failRename = true;
    const s = await setup({
      fs: (real, log) => {
        const inner = recording(real, log, () => db, false);
        return { ...inner, rename: (from, to) => (failRename ? Promise.reject(new Error('EBUSY: resource busy')) : inner.rename(from, to)) };
      },
    });
    db = s.env.db;
    const path = join(s.folder, 'a.pdf');
    writeFileSync(path, await makePdf('a'));
    await s.poll(0);
    await s.poll(STABLE);
    expect(existsSync(path)).toBe(true);
    expect(s.documents()).toHaveLength(1);
    expect(s.hot.status().failures[0]).toMatchObject({ name: 'a.pdf', code: 'move_failed' });
    expect(s.hot.status().failures[0].message).toContain(translate('hotfolder.move_failed', { reason: 'EBUSY: resource busy' }));

    failRename = false;
    s.hot.retry(path);
    await s.poll(POLL);
    expect(existsSync(path)).toBe(false);
    expect(s.documents()).toHaveLength(1);
    expect(s.hot.status().failures).toEqual([]);
    expect(s.hot.status().recent[0]).toMatchObject({ name: 'a.pdf', outcome: 'duplicate' });
  });
});
