// The settings port in the Electron shell: electron-store over <dataDir>/config.json, the
// same file (and, electron-store being built on conf, the same format) that the CLI and
// the browser host read through conf. Validation and defaults are the shared ones.

import ElectronStore from 'electron-store';
import { Settings } from '../../common/contract';
import { settingsFrom, type SettingsStore } from '../infra/settings';

export class ElectronSettingsStore implements SettingsStore {
  private readonly store: ElectronStore<Record<string, unknown>>;

  constructor(dataDir: string) {
    // An absolute cwd replaces Electron's userData folder, so --data-dir moves settings too.
    this.store = new ElectronStore<Record<string, unknown>>({ cwd: dataDir, name: 'config' });
  }

  get path(): string {
    return this.store.path;
  }

  get(): Settings {
    return settingsFrom(this.store.store);
  }

  set(patch: Partial<Settings>): Settings {
    const next = Settings.parse({ ...this.get(), ...patch });
    this.store.set(next);
    return next;
  }
}

/** The IPC listener electron-store adds for renderer-side stores, which Lemari never uses. */
export const ELECTRON_STORE_CHANNEL = 'electron-store-get-data';
