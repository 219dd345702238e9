// The settings port and where a profile lives. Electron stores settings with
// electron-store, the CLI and browser host with conf (the library electron-store is built
// on): both write <dataDir>/config.json, so the three shells read one file.

import { join, win32, posix } from 'node:path';
import Conf from 'conf';
import { Settings } from '../../../common/contract';

export interface SettingsStore {
  get(): Settings;
  set(patch: Partial<Settings>): Settings;
}

export const DEFAULT_SETTINGS: Settings = {
  locale: 'id',
  maxFileBytes: 100 * 1024 * 1024,
  idleLockMinutes: 15,
  serverUrl: null,
  agencyName: null,
  agencyCity: null,
  hotFolders: [],
  hotFolderPollMs: 2000,
  hotFolderStableMs: 5000,
  hotFolderAfterImport: 'move',
  // Sync (issue 5): two uploads at once fill a typical office link without starving the rest.
  syncConcurrency: 2,
  syncBandwidthKbps: null,
  syncFileTimeoutSec: 120,
  syncMaxAttempts: 5,
  syncWindow: null,
  // Verification (issue 7): off until the office decides documents need a verifier.
  requireApproval: false,
  // Separator sheets (issue 6): on, so a printed sheet works without a trip to Settings.
  // Off until this profile prints separator sheets (separators.print turns it on) or an admin
  // turns it on: looking for sheets renders every page of every multi-page scan, several times
  // the cost of the rest of an import (docs/PERFORMANCE.md, import).
  separatorSheets: false,
};

/** Reads whatever is stored, keeping only valid values and filling defaults for the rest. */
export function settingsFrom(stored: Record<string, unknown>): Settings {
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const candidate = Settings.shape[key].safeParse(stored[key]);
    if (candidate.success) merged[key] = candidate.data;
  }
  return merged as Settings;
}

/** The OS user-data folder Electron would use for a product named Lemari. */
export function defaultDataDir(platform: NodeJS.Platform, env: Record<string, string | undefined>, home: string): string {
  if (platform === 'win32') return win32.join(env.APPDATA ?? win32.join(home, 'AppData', 'Roaming'), 'Lemari');
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', 'Lemari');
  return posix.join(env.XDG_CONFIG_HOME || posix.join(home, '.config'), 'Lemari');
}

/** `--data-dir DIR` wins over LEMARI_DATA_DIR, which wins over the OS default. */
export function resolveDataDir(flag: string | undefined, env: Record<string, string | undefined>, fallback: () => string): string {
  return flag || env.LEMARI_DATA_DIR || fallback();
}

export class ConfSettingsStore implements SettingsStore {
  private readonly conf: Conf<Record<string, unknown>>;

  constructor(dataDir: string) {
    this.conf = new Conf({ cwd: dataDir, configName: 'config', projectName: 'lemari' });
  }

  get path(): string {
    return this.conf.path;
  }

  get(): Settings {
    return settingsFrom(this.conf.store);
  }

  set(patch: Partial<Settings>): Settings {
    const next = Settings.parse({ ...this.get(), ...patch });
    this.conf.set(next);
    return next;
  }
}

export function configPath(dataDir: string): string {
  return join(dataDir, 'config.json');
}
