// Shared pieces of the benchmarks: options, timing statistics, the table every benchmark
// prints (Markdown, so it pastes into docs/PERFORMANCE.md as is), the machine line, and
// the cache folder for generated inputs (.bench-data/, gitignored).

import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const DATA_DIR = join(ROOT, '.bench-data');

export interface BenchOptions {
  /** Small sizes and few runs: checks the bench code still works, in well under a minute. */
  quick: boolean;
  /** Regenerate cached inputs even if present. */
  fresh: boolean;
  /** Build the renderer and hosts (npx electron-vite build) before browser benchmarks. */
  build: boolean;
  log: (line: string) => void;
}

export interface Table {
  title: string;
  headers: string[];
  rows: (string | number)[][];
}

export interface BenchResult {
  name: string;
  /** Set when the bench could not run its main measurement; baselines may still be in tables. */
  skipped?: string;
  tables: Table[];
  notes: string[];
  /** Whether every target row was met; undefined when nothing was measured against a target. */
  met?: boolean;
}

export function cacheDir(...parts: string[]): string {
  const dir = join(DATA_DIR, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles: p95 of 20 samples is the 19th, not an interpolation. */
export function stats(samples: number[]): Stats {
  if (samples.length === 0) return { n: 0, p50: NaN, p95: NaN, max: NaN, mean: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  return { n: sorted.length, p50: rank(0.5), p95: rank(0.95), max: sorted.at(-1)!, mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}

export function ms(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return '-';
  const d = digits ?? (value < 1 ? 3 : value < 10 ? 2 : value < 100 ? 1 : 0);
  return value.toFixed(d);
}

export function seconds(valueMs: number): string {
  return `${(valueMs / 1000).toFixed(valueMs < 10_000 ? 2 : 1)} s`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function verdict(value: number, target: number): string {
  return value <= target ? 'met' : 'NOT MET';
}

export function renderTable(table: Table): string {
  const cells = [table.headers, ...table.rows.map((row) => row.map(String))];
  const widths = table.headers.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [`**${table.title}**`, '', line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

export function machine(): string {
  const cpu = cpus()[0]?.model?.trim() ?? 'unknown CPU';
  let nproc = String(availableParallelism());
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    // nproc missing (Windows): availableParallelism is the same figure.
  }
  const date = new Date().toISOString().replace('T', ' ').slice(0, 16);
  return `nproc ${nproc} (${cpu}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, ${process.platform}-${process.arch}, node ${process.version}, ${date} UTC`;
}

/** Runs `fn` until `minRuns` are done and then until `maxRuns` or `budgetMs` is spent. */
export async function sample(fn: () => unknown | Promise<unknown>, limits: { warmup: number; minRuns: number; maxRuns: number; budgetMs: number }): Promise<number[]> {
  for (let i = 0; i < limits.warmup; i++) await fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < limits.maxRuns && (samples.length < limits.minRuns || performance.now() - start < limits.budgetMs)) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return samples;
}

/** A process's user + system CPU time so far, in ms (Linux /proc; 0 elsewhere or once it is gone). */
export function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in USER_HZ (100)
  } catch {
    return 0;
  }
}

/**
 * CPU time so far (ms) of every running process whose command is `comm` (e.g. all of a
 * PostgreSQL cluster's backends); a backend that exited between two readings takes its time
 * with it, so compare readings over a span where the processes live throughout.
 */
export function cpuMsOfCommand(comm: string): number {
  let total = 0;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === comm) total += cpuMs(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}
