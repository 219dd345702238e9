// The main window's webPreferences, read from the options createMainWindow hands to
// BrowserWindow (a stand-in here: Electron's binary is not needed to check them).
import { beforeEach, describe, expect, it, vi } from 'vitest';

const created: { options: Record<string, unknown>; loaded: string[] }[] = [];

vi.mock('electron', () => ({
  BrowserWindow: class {
    loaded: string[] = [];
    constructor(options: Record<string, unknown>) {
      created.push({ options, loaded: this.loaded });
    }
    once() {}
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
  },
}));

const { createMainWindow } = await import('./window');

describe('createMainWindow', () => {
  beforeEach(() => (created.length = 0));

  it('isolates and sandboxes the renderer, with no Node in any frame or worker', () => {
    createMainWindow({ preload: '/app/out/preload/index.cjs' });
    const prefs = created[0].options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
    // Nothing that loosens the above may sneak in.
    for (const key of ['experimentalFeatures', 'enableBlinkFeatures', 'additionalArguments', 'enableRemoteModule']) expect(prefs, key).not.toHaveProperty(key);
  });

  it('loads the renderer from app://lemari, never file://', () => {
    createMainWindow({ preload: '/p.cjs' });
    expect(created[0].loaded).toEqual(['app://lemari/index.html']);
  });
});
