// What encryption at rest costs (issue 3: SQLCipher page encryption of the profile
// database, AES-256-GCM sealing of document bytes). Each pair runs the same work on an
// encrypted and a plain copy in the same run, interleaved, so both see the same machine:
// - search: the search benchmark's query classes on the generated 1M-document database
//   and on a decrypted copy of it (`PRAGMA rekey = ''` on a copy, cached beside it);
// - import: the same scans through capture.import into a fresh encrypted profile (as
//   shipped) and a fresh plain one (openProfile's benchmark-only option).

import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openDatabase } from '../main/infra/db';
import { createSearch } from '../main/core/search';
import { buildCases } from './search';
import { bytes, cacheDir, count, ms, sample, seconds, stats, type BenchOptions, type BenchResult, type Table } from './lib/common';
import { BENCH_DB_KEY, ensureSearchData } from './lib/searchdata';
import { ensureScans } from './lib/scans';
import { openBenchProfile } from './lib/profile';

function plainCopy(file: string, log: (line: string) => void): string {
  const plain = join(dirname(file), 'plain.db');
  if (existsSync(plain) && statSync(plain).mtimeMs >= statSync(file).mtimeMs) return plain;
  log(`  decrypting a copy of ${file} (once; cached)`);
  const building = `${plain}.building`;
  rmSync(building, { force: true });
  copyFileSync(file, building);
  const db = openDatabase(building, { key: BENCH_DB_KEY });
  db.pragma("rekey = ''");
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  renameSync(building, plain);
  return plain;
}

const overhead = (enc: number, plain: number) => `${enc >= plain ? '+' : ''}${(((enc - plain) / plain) * 100).toFixed(0)}%`;

export default async function encryptionBench(options: BenchOptions): Promise<BenchResult> {
  const tables: Table[] = [];
  const notes: string[] = [];

  // Search pair.
  const sizes = options.quick ? { documents: 20_000, employees: 4_000 } : { documents: 1_000_000, employees: 200_000 };
  const limits = options.quick ? { warmup: 1, minRuns: 5, maxRuns: 20, budgetMs: 200 } : { warmup: 2, minRuns: 10, maxRuns: 200, budgetMs: 2_500 };
  options.log(`encryption: search pair on ${count(sizes.documents)} documents`);
  const data = ensureSearchData(sizes, { fresh: options.fresh, log: options.log });
  const plainFile = plainCopy(data.file, options.log);
  const encDb = openDatabase(data.file, { key: BENCH_DB_KEY, readonly: true });
  const plainDb = openDatabase(plainFile, { readonly: true });
  try {
    const { cases } = buildCases(encDb, options.quick, data.meta.topTerms);
    const search = { encrypted: createSearch({ db: encDb }), plain: createSearch({ db: plainDb }) };
    const table: Table = {
      title: `Search with and without page encryption, ${count(sizes.documents)} documents (ms; same inputs, interleaved)`,
      headers: ['query', 'encrypted p50', 'plain p50', 'encrypted p95', 'plain p95', 'overhead (p50)'],
      rows: [],
    };
    for (const c of cases) {
      const runOf = (which: 'encrypted' | 'plain') => {
        let i = 0;
        return () => search[which].query(c.inputs[i++ % c.inputs.length]);
      };
      // Alternate the order per case so neither side always runs on a warmer cache.
      const first = table.rows.length % 2 === 0 ? 'encrypted' : 'plain';
      const second = first === 'encrypted' ? 'plain' : 'encrypted';
      const a = stats(await sample(runOf(first), limits));
      const b = stats(await sample(runOf(second), limits));
      const enc = first === 'encrypted' ? a : b;
      const pl = first === 'encrypted' ? b : a;
      table.rows.push([c.name, ms(enc.p50), ms(pl.p50), ms(enc.p95), ms(pl.p95), overhead(enc.p50, pl.p50)]);
      options.log(`  ${c.name}: ${ms(enc.p50)} vs ${ms(pl.p50)} ms`);
    }
    tables.push(table);
    notes.push(`Search database: ${bytes(statSync(data.file).size)} encrypted, ${bytes(statSync(plainFile).size)} plain; both with the app's 64 MiB page cache.`);
  } finally {
    encDb.close();
    plainDb.close();
  }

  // Import pair.
  const total = options.quick ? 24 : 300;
  const runs = options.quick ? 1 : 3;
  options.log(`encryption: import pair, ${count(total)} scans x ${runs} runs each`);
  const scans = await ensureScans(total, options);
  const work = mkdtempSync(join(cacheDir(), 'encryption-run-'));
  try {
    const times: Record<'encrypted' | 'plain', number[]> = { encrypted: [], plain: [] };
    // Run -1 is a warm-up of both (a few files, untimed): the first import in a process
    // pays for loading pdf.js, canvas and the JIT, which is not what encryption costs.
    for (let run = -1; run < runs; run++) {
      for (const which of run % 2 === 0 ? (['encrypted', 'plain'] as const) : (['plain', 'encrypted'] as const)) {
        const dir = join(work, `${which}-${run}`);
        const errors: string[] = [];
        const { profile, call } = await openBenchProfile(dir, errors, { plain: which === 'plain' });
        try {
          const t0 = performance.now();
          const files = run < 0 ? scans.files.slice(0, 4) : scans.files;
          const result = await call('capture.import', { files: files.map((f) => ({ path: f.path })) });
          if (run >= 0) times[which].push(performance.now() - t0);
          if (!result.ok) throw new Error(`capture.import failed: ${JSON.stringify(result.error)}`);
          await profile.idle();
        } finally {
          await profile.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    const enc = median(times.encrypted);
    const pl = median(times.plain);
    tables.push({
      title: `Import of ${count(total)} scans (${bytes(scans.totalBytes)}) into a fresh profile, with and without encryption at rest (median of ${runs})`,
      headers: ['profile', 'capture.import', 'MiB/s', 'overhead'],
      rows: [
        ['encrypted (as shipped: SQLCipher pages + sealed blobs)', seconds(enc), (scans.totalBytes / 1024 ** 2 / (enc / 1000)).toFixed(1), overhead(enc, pl)],
        ['plain (benchmark-only)', seconds(pl), (scans.totalBytes / 1024 ** 2 / (pl / 1000)).toFixed(1), ''],
      ],
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { name: 'encryption', tables, notes };
}
