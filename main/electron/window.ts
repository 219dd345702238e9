// The main window: sandboxed renderer, isolated context, the preload as the only bridge,
// and our app:// origin as the only page it ever shows.

import { BrowserWindow } from 'electron';
import { RENDERER_ENTRY } from './app-url';

export interface MainWindowOptions {
  /** Absolute path of out/preload/index.cjs. */
  preload: string;
  /** Window icon (Linux, Windows taskbar before the installer's icon applies). */
  icon?: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    title: 'Lemari',
    icon: options.icon,
    // Shown on ready-to-show so the clerk never sees an empty white frame on slow PCs.
    show: false,
    backgroundColor: '#f5f3ee',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // A PDF dropped outside the drop zone would otherwise replace the UI with file://.
      navigateOnDragDrop: false,
      // Chromium would fetch dictionaries from the network, which this session blocks.
      spellcheck: false,
      safeDialogs: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(RENDERER_ENTRY);
  return window;
}
