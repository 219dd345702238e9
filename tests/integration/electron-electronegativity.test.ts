// Electronegativity (Doyensec's Electron security scanner) over the BUILT Electron shell:
// out/main (main process bundle), out/preload and the renderer's index.html, scanned together
// so its global checks (navigation limits, permission handler, CSP) see the whole app. Any
// HIGH finding fails; MEDIUM and LOW ones are printed for review. `npm test` builds first;
// run `npx electron-vite build` before running this file on its own.
//
// A second scan of a deliberately unsafe fixture proves the harness sees HIGH findings at
// all (a scanner that silently parsed nothing would otherwise pass).
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const RUNNER = join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'runner.js');
const ELECTRON_VERSION = (require('electron/package.json') as { version: string }).version;
const BUILT = ['out/main/electron.js', 'out/preload/index.cjs'].map((file) => join(root, file));
const built = BUILT.every((file) => existsSync(file));
if (!built) console.warn(`[electronegativity] SKIPPED: ${BUILT.filter((file) => !existsSync(file)).join(', ')} missing; run \`npx electron-vite build\` first.`);

interface Finding {
  issue: string;
  severity: 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';
  confidence: string;
  file: string;
  location: string;
  sample: string;
  description: string;
}

/**
 * Findings reviewed and ruled false positives: each by check, file and the exact sample
 * line, with the reason. Nothing is disabled by check name alone, so a new occurrence of
 * the same check elsewhere still fails. Empty today: the built shell has no HIGH finding.
 */
const FALSE_POSITIVES: { issue: string; file: string; sample: string; why: string }[] = [];

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/**
 * Runs the scanner's own runner (what its CLI calls) in a child process and takes the
 * issues from its return value. Not its -o CSV: the CLI writes the CSV header and the rows
 * with two unordered async fs.writeFile calls, so the header can land last and truncate
 * the rows away (seen here: an empty report about one run in three).
 */
const RUNNER_SCRIPT = `
const [runnerPath, input, version] = process.argv.slice(1);
const run = require(runnerPath);
run({ input, isRelative: true, isVerbose: false, customScan: [], excludeFromScan: [], parserPlugins: [], electronVersionOverride: version }, false)
  .then((r) => process.stdout.write('\\n@@RESULT@@' + JSON.stringify({
    checks: r.globalChecks + r.atomicChecks,
    errors: r.errors,
    issues: r.issues.map((i) => ({ issue: i.id, severity: i.severity.name, confidence: i.confidence.name, file: i.file, location: i.location.line + ':' + i.location.column, sample: i.sample ?? 'N/A', description: i.description })),
  })))
  .catch((e) => { console.error(e); process.exit(1); });
`;

async function scan(input: string): Promise<{ findings: Finding[]; errors: { file: string; message: string; tolerable: boolean }[]; checks: number }> {
  // electronVersionOverride: the scanner cannot read the version from a bundle, and it
  // decides Electron's defaults by it.
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', RUNNER_SCRIPT, RUNNER, input, ELECTRON_VERSION], {
    cwd: root,
    timeout: 150_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const marker = stdout.lastIndexOf('@@RESULT@@');
  expect(marker, `electronegativity returned no result:\n${stdout}`).toBeGreaterThanOrEqual(0);
  const result = JSON.parse(stdout.slice(marker + '@@RESULT@@'.length)) as { checks: number; errors: { file: string; message: string; tolerable: boolean }[]; issues: Finding[] };
  // File names relative to the scanned folder (isRelative does that for most), with '/'.
  const findings = result.issues.map((f) => ({ ...f, file: isAbsolute(f.file) ? relative(input, f.file).split(sep).join('/') : f.file.split(sep).join('/') }));
  return { findings, errors: result.errors, checks: result.checks };
}

const show = (f: Finding) => `${f.severity} ${f.issue} (${f.confidence}) ${f.file}:${f.location} ${f.sample === 'N/A' ? '' : f.sample} - ${f.description}`;

describe('Electronegativity', () => {
  it.skipIf(!built)('finds no HIGH issue in the built Electron shell', { timeout: 180_000 }, async () => {
    const app = mkdtempSync(join(tmpdir(), 'lemari-eng-app-'));
    dirs.push(app);
    cpSync(join(root, 'out', 'main'), join(app, 'main'), { recursive: true });
    cpSync(join(root, 'out', 'preload'), join(app, 'preload'), { recursive: true });
    // The page's meta CSP; app:// also sends it as a header, which the scanner cannot see.
    const html = join(root, 'out', 'renderer', 'index.html');
    if (existsSync(html)) cpSync(html, join(app, 'index.html'));

    const { findings, errors, checks } = await scan(app);
    expect(checks).toBeGreaterThan(20);
    // The scanner notes files it could not parse and goes on; a file it cannot read would
    // hide every finding in it. Its scope analysis does not know private class fields
    // (`#key`, "Unknown node type ClassPrivateProperty"), which the shared core/infra chunk
    // has. Such a file is let through only if it cannot reach Electron at all: no import or
    // require of "electron". The shell itself (main/electron.js) and the preload must parse.
    const unparsed = errors.filter((e) => !e.tolerable);
    if (unparsed.length > 0) console.info(`[electronegativity] could not parse:\n  ${unparsed.map((e) => `${relative(app, e.file)}: ${e.message}`).join('\n  ')}`);
    for (const error of unparsed) {
      const name = relative(app, error.file).split(sep).join('/');
      expect(['main/electron.js', 'preload/index.cjs'], `${name} must parse`).not.toContain(name);
      expect(readFileSync(error.file, 'utf8'), `${name} could not be scanned and uses Electron`).not.toMatch(/(?:from|import\(|require\()\s*["']electron["']/);
    }

    const waived = (f: Finding) => FALSE_POSITIVES.some((fp) => fp.issue === f.issue && fp.file === f.file && fp.sample === f.sample);
    const high = findings.filter((f) => f.severity === 'HIGH' && !waived(f));
    const others = findings.filter((f) => f.severity !== 'HIGH' || waived(f));
    if (others.length > 0) console.info(`[electronegativity] ${others.length} finding(s) below HIGH or waived, for review:\n  ${others.map(show).join('\n  ')}`);
    expect(high.map(show)).toEqual([]);
    // Proof it read our main bundle and found the window in it: the preload it names is
    // always reported, for review, at the BrowserWindow's webPreferences.
    expect(findings.some((f) => f.issue === 'PRELOAD_JS_CHECK' && f.file === 'main/electron.js')).toBe(true);
  });

  it('does report HIGH issues in an app that has them (the harness is not blind)', { timeout: 180_000 }, async () => {
    const app = mkdtempSync(join(tmpdir(), 'lemari-eng-bad-'));
    dirs.push(app);
    mkdirSync(join(app, 'main'));
    writeFileSync(
      join(app, 'main', 'index.js'),
      "const { app, BrowserWindow } = require('electron');\n" +
        "app.whenReady().then(() => {\n  const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n  w.loadURL('http://example.com/');\n});\n",
    );
    const { findings } = await scan(app);
    const high = findings.filter((f) => f.severity === 'HIGH').map((f) => f.issue);
    expect(high).toContain('CONTEXT_ISOLATION_JS_CHECK');
    expect(high).toContain('LIMIT_NAVIGATION_GLOBAL_CHECK');
  });
});
