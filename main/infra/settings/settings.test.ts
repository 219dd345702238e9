import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfSettingsStore, DEFAULT_SETTINGS, configPath, defaultDataDir, resolveDataDir } from './index';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('defaultDataDir', () => {
  it('follows each OS user-data folder', () => {
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\sari\\AppData\\Roaming' }, 'C:\\Users\\sari')).toBe('C:\\Users\\sari\\AppData\\Roaming\\Lemari');
    expect(defaultDataDir('linux', {}, '/home/sari')).toBe('/home/sari/.config/Lemari');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/data/cfg' }, '/home/sari')).toBe('/data/cfg/Lemari');
    expect(defaultDataDir('darwin', {}, '/Users/sari')).toBe('/Users/sari/Library/Application Support/Lemari');
  });

  it('lets --data-dir win over LEMARI_DATA_DIR over the default', () => {
    expect(resolveDataDir('/a', { LEMARI_DATA_DIR: '/b' }, () => '/c')).toBe('/a');
    expect(resolveDataDir(undefined, { LEMARI_DATA_DIR: '/b' }, () => '/c')).toBe('/b');
    expect(resolveDataDir(undefined, {}, () => '/c')).toBe('/c');
  });
});

describe('ConfSettingsStore', () => {
  it('keeps settings in <dataDir>/config.json with defaults for what is missing or broken', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lemari-settings-'));
    dirs.push(dir);
    const store = new ConfSettingsStore(dir);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    store.set({ locale: 'en' });
    expect(JSON.parse(readFileSync(configPath(dir), 'utf8')).locale).toBe('en');
    writeFileSync(configPath(dir), JSON.stringify({ locale: 'fr', maxFileBytes: 5000 }));
    expect(new ConfSettingsStore(dir).get()).toEqual({ ...DEFAULT_SETTINGS, locale: 'id', maxFileBytes: 5000 });
  });

  it('keeps the hot folders and their timing, and refuses a poll too fast for a share', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lemari-settings-'));
    dirs.push(dir);
    const store = new ConfSettingsStore(dir);
    expect(store.get()).toMatchObject({ hotFolders: [], hotFolderAfterImport: 'move' });
    store.set({ hotFolders: ['/srv/pindaian'], hotFolderAfterImport: 'delete' });
    expect(new ConfSettingsStore(dir).get()).toMatchObject({ hotFolders: ['/srv/pindaian'], hotFolderAfterImport: 'delete' });
    expect(() => store.set({ hotFolderPollMs: 10 })).toThrow();
    expect(() => store.set({ hotFolderAfterImport: 'shred' as 'delete' })).toThrow();
  });

  it('keeps an http(s) server address and refuses anything else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lemari-settings-'));
    dirs.push(dir);
    const store = new ConfSettingsStore(dir);
    expect(store.set({ serverUrl: 'https://dms.bkd.example.go.id' }).serverUrl).toBe('https://dms.bkd.example.go.id');
    for (const bad of ['ftp://dms.example.go.id', 'javascript:alert(1)', 'dms.example.go.id', 'https://admin:rahasia@dms.example.go.id']) {
      expect(() => store.set({ serverUrl: bad }), bad).toThrow();
    }
    expect(new ConfSettingsStore(dir).get().serverUrl).toBe('https://dms.bkd.example.go.id');
    // A broken value in the file is dropped, not trusted.
    writeFileSync(configPath(dir), JSON.stringify({ serverUrl: 'file:///etc/passwd' }));
    expect(new ConfSettingsStore(dir).get().serverUrl).toBeNull();
  });
});
