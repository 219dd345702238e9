// `lemari watch FOLDER` end to end over a real profile directory: it runs as a named user,
// takes a scan saved into the folder once it stands still, prints it, moves it to
// imported/, and stops when interrupted (Ctrl+C).
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfSettingsStore } from '../../main/infra/settings';
import { makePdf } from '../helpers/pdf';
import { CLI_ADMIN, CliHarness } from '../helpers/cli';

let h: CliHarness;
const run = (args: string[], env: Record<string, string | undefined>, extra?: { interrupted?: Promise<void>; onOutput?: (text: string) => void }) => h.run(args, env, extra);
const login = () => h.login();

beforeEach(async () => {
  h = new CliHarness('lemari-watch-');
  const { enrol } = await h.bootstrap();
  expect(enrol.code).toBe(0);
  // Quick polls so the test waits well under a second of real time.
  new ConfSettingsStore(h.dataDir).set({ hotFolderPollMs: 100, hotFolderStableMs: 1000 });
});
afterEach(() => h.cleanup());

describe('lemari watch', () => {
  it('imports a scan saved into the folder, prints it, and stops on Ctrl+C', async () => {
    const folder = join(h.work.dir, 'pindaian');
    mkdirSync(folder);
    let stop!: () => void;
    const interrupted = new Promise<void>((done) => (stop = done));
    let ticking: ReturnType<typeof setInterval> | undefined;
    let output = '';
    const pdf = await makePdf(['SK PNS dari pemindai']);
    const watching = run(['watch', folder, '--json'], login(), {
      interrupted,
      onOutput(text) {
        output += text;
        if (text.includes('Memantau') && !ticking) {
          writeFileSync(join(folder, 'scan-1.pdf'), pdf);
          // The profile's clock moves a stable time's worth per poll from here on.
          ticking = setInterval(() => (h.now += 500), 50);
        }
        if (output.includes('"event": "taken"')) stop();
      },
    });
    const timeout = setTimeout(() => stop(), 10_000);
    const result = await watching;
    clearTimeout(timeout);
    clearInterval(ticking);

    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`Memantau ${folder}`);
    const taken = JSON.parse(result.stdout);
    expect(taken).toMatchObject({ event: 'taken', name: 'scan-1.pdf', outcome: 'imported', documentId: 1 });
    expect(existsSync(join(folder, 'scan-1.pdf'))).toBe(false);
    expect(readdirSync(join(folder, 'imported'))).toHaveLength(1);

    // The document is in the profile, imported in the watching user's name.
    const listed = await run(['documents', 'list', '--json'], login());
    expect(JSON.parse(listed.stdout)).toMatchObject({ total: 1, items: [{ originalName: 'scan-1.pdf', state: 'draft' }] });
  });

  it('is refused without a login, like an import', async () => {
    const result = await run(['watch', h.work.dir], { LEMARI_USER: CLI_ADMIN.nip, LEMARI_PASSWORD: 'salah sekali kata sandinya' });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
  });
});
