// Runs the benchmarks: `npm run bench` runs all, `npm run bench -- search import` some,
// `--quick` a small smoke version of each (under a minute in all), `--fresh` regenerates
// cached inputs in .bench-data/, `--build` runs `npx electron-vite build` before the
// browser benchmarks. Each benchmark prints a Markdown table beside its same-run baseline;
// the tables also land in .bench-data/results/ for docs/PERFORMANCE.md.
//
// This file uses only node: built-ins and plain type annotations, so it starts under any
// Node 22 runner; the benchmarks import the app's sources (extensionless imports, TS
// parameter properties), which need tsx, so it re-runs itself under `node --import tsx`
// when it was not started that way.

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BENCHES = ['search', 'completeness', 'import', 'coldstart', 'firstpaint', 'encryption', 'server-upload', 'server-commit', 'separators', 'sync', 'optimize', 'ocr'];
const here = dirname(fileURLToPath(import.meta.url));

if (!process.execArgv.join(' ').includes('tsx')) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', cwd: resolve(here, '..') });
  process.exit(child.status ?? 1);
}

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const unknownFlags = [...flags].filter((f) => !['--quick', '--fresh', '--build', '--help'].includes(f));
const names = args.filter((a) => !a.startsWith('--'));
const unknownNames = names.filter((n) => !BENCHES.includes(n));
if (flags.has('--help') || unknownFlags.length > 0 || unknownNames.length > 0) {
  if (unknownFlags.length || unknownNames.length) console.error(`unknown: ${[...unknownFlags, ...unknownNames].join(' ')}`);
  console.error(`usage: npm run bench -- [${BENCHES.join('|')} ...] [--quick] [--fresh] [--build]`);
  process.exit(flags.has('--help') ? 0 : 2);
}

const common = await import(pathToFileURL(join(here, 'lib', 'common.ts')).href);
const options = { quick: flags.has('--quick'), fresh: flags.has('--fresh'), build: flags.has('--build'), log: (line: string) => console.error(line) };
const started = performance.now();
const machine: string = common.machine();
const header = [`Machine: ${machine}`, `Command: npm run bench --${args.length ? ` ${args.join(' ')}` : ''}`];
console.log(header.join('\n'));
const resultsDir = join(common.DATA_DIR, 'results');
mkdirSync(resultsDir, { recursive: true });

let failed = 0;
let missed = 0;
for (const name of names.length ? names : BENCHES) {
  const t0 = performance.now();
  let text: string;
  try {
    const bench = (await import(pathToFileURL(join(here, `${name}.ts`)).href)).default;
    const result = await bench(options);
    if (result.met === false) missed++;
    text = [
      `## ${name}${options.quick ? ' (--quick)' : ''}`,
      '',
      ...(result.skipped ? [`Skipped: ${result.skipped}`, ''] : []),
      ...result.tables.flatMap((table: unknown) => [common.renderTable(table), '']),
      ...result.notes.map((note: string) => `- ${note}`),
      `- Bench time: ${common.seconds(performance.now() - t0)}`,
    ].join('\n');
  } catch (error) {
    failed++;
    text = `## ${name}\n\nFAILED: ${(error as Error).stack ?? String(error)}`;
  }
  console.log(`\n${text}\n`);
  writeFileSync(join(resultsDir, `${name}${options.quick ? '-quick' : ''}.md`), `${header.join('\n')}\n\n${text}\n`);
}
console.log(`Total: ${common.seconds(performance.now() - started)}${missed ? `; ${missed} benchmark(s) missed a target` : ''}${failed ? `; ${failed} failed` : ''}`);
process.exitCode = failed ? 1 : 0;
