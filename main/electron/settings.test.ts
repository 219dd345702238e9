import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfSettingsStore, DEFAULT_SETTINGS, configPath } from '../infra/settings';

type SettingsModule = typeof import('./settings');
let settingsModule: SettingsModule;
const dirs: string[] = [];

beforeAll(async () => {
  // electron-store imports 'electron', whose npm entry point downloads the binary when it
  // is missing; pointing it at an override folder makes it return a path instead. Outside
  // Electron, electron-store then works as plain conf given an absolute cwd, which is how
  // the shell uses it.
  process.env.ELECTRON_OVERRIDE_DIST_PATH ??= join(tmpdir(), 'lemari-no-electron');
  settingsModule = await import('./settings');
});

afterAll(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lemari-electron-settings-'));
  dirs.push(dir);
  return dir;
}

describe('ElectronSettingsStore', () => {
  it('keeps settings in <dataDir>/config.json, the file the CLI and browser host read', () => {
    const dir = tempDir();
    const electron = new settingsModule.ElectronSettingsStore(dir);
    expect(electron.path).toBe(configPath(dir));
    expect(electron.get()).toEqual(DEFAULT_SETTINGS);
    electron.set({ locale: 'en', maxFileBytes: 4096 });
    expect(JSON.parse(readFileSync(configPath(dir), 'utf8'))).toMatchObject({ locale: 'en', maxFileBytes: 4096 });
    expect(new ConfSettingsStore(dir).get()).toEqual({ ...DEFAULT_SETTINGS, locale: 'en', maxFileBytes: 4096 });
  });

  it('reads what the CLI wrote and refuses invalid values', () => {
    const dir = tempDir();
    new ConfSettingsStore(dir).set({ maxFileBytes: 2048 });
    const electron = new settingsModule.ElectronSettingsStore(dir);
    expect(electron.get()).toEqual({ ...DEFAULT_SETTINGS, maxFileBytes: 2048 });
    expect(() => electron.set({ maxFileBytes: 1 })).toThrow();
    expect(electron.get().maxFileBytes).toBe(2048);
  });
});
