// The Electron shell's composition root: picks the profile folder, opens the profile, and
// wires it to one window through the app:// protocol and one validated IPC channel. The
// workstation's logic is all behind the profile; nothing here decides anything about data.

import { app, dialog, ipcMain, protocol, safeStorage, session, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { BRIDGE_CHANNELS } from '../../common/bridge';
import { AppError } from '../../common/errors';
import { t, type Locale } from '../../common/i18n';
import type { Logger } from '../api';
import type { Session } from '../access';
import { PassphraseSecretStore, SafeStorageSecretStore, SecretStoreError, passphraseSalt, secretStoreMessage, type SecretStore } from '../infra/secrets';
import { defaultDataDir, resolveDataDir } from '../infra/settings';
import { openProfile, type Profile } from '../profile';
import { createAppProtocolHandler } from './app-protocol';
import { APP_SCHEME, isAppUrl } from './app-url';
import { parseShellArgs } from './args';
import { hardenContents, hardenSession } from './hardening';
import { createCallHandler, type SenderInfo } from './ipc-guard';
import { ELECTRON_STORE_CHANNEL, ElectronSettingsStore } from './settings';
import { createMainWindow } from './window';

const logger: Logger = {
  error: (message, detail) => console.error(`[lemari] ${message}`, ...(detail === undefined ? [] : [detail])),
  info: (message, detail) => console.info(`[lemari] ${message}`, ...(detail === undefined ? [] : [detail])),
};

// One window, one session: the login screen fills it; app:// and IPC both read it per request.
let windowSession: Session | null = null;
const currentSession = (): Session => windowSession!;

const args = parseShellArgs(process.argv.slice(1), process.cwd());
if (args.problems.length > 0) {
  for (const problem of args.problems) console.error(problem);
  process.exit(2);
}
const dataDir = resolve(resolveDataDir(args.dataDir, process.env, () => defaultDataDir(process.platform, process.env, homedir())));

// Chromium's caches and storage go beside the profile's data, not over it, and they follow
// --data-dir; the single-instance lock is keyed on this folder, so it is per profile.
app.setPath('userData', join(dataDir, 'chromium'));

// Must happen before 'ready'. corsEnabled stays off: it would let other origins read app://.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);

app.on('web-contents-created', (_event, contents) => hardenContents(contents, logger));

let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.whenReady().then(start).catch((error: unknown) => fatal(error));
}

async function start(): Promise<void> {
  const settings = new ElectronSettingsStore(dataDir);
  // electron-store registers a sync IPC listener for renderer-side stores; Lemari has none,
  // and every channel left open is one more thing a compromised renderer could call.
  ipcMain.removeAllListeners(ELECTRON_STORE_CHANNEL);

  const resourcesDir = app.isPackaged ? join(process.resourcesPath, 'resources') : join(app.getAppPath(), 'resources');
  let profile: Profile;
  try {
    profile = await openProfile({ dataDir, host: 'electron', resourcesDir, settings, logger, version: app.getVersion(), secrets: secretStore(), watchHotFolders: true, ocr: true });
  } catch (error) {
    fatal(error, settings);
    return;
  }

  hardenSession(session.defaultSession, logger);
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ rendererDir: join(import.meta.dirname, '../renderer'), documents: profile, session: currentSession, logger }));

  windowSession = profile.newSession();
  const handleCall = createCallHandler(profile.api, currentSession, logger);
  ipcMain.handle(BRIDGE_CHANNELS.call, (event, method: unknown, input: unknown) => handleCall(senderOf(event), method, input));

  const unsubscribe = profile.events.subscribe((name, payload) => {
    // Events carry file names and NIPs: only our own page receives them.
    if (mainWindow && !mainWindow.isDestroyed() && isAppUrl(mainWindow.webContents.mainFrame.url)) {
      mainWindow.webContents.send(BRIDGE_CHANNELS.event, name, payload);
    }
  });

  mainWindow = createMainWindow({ preload: join(import.meta.dirname, '../preload/index.cjs'), icon: join(resourcesDir, 'icons', '256x256.png') });
  mainWindow.on('closed', () => (mainWindow = null));

  // No macOS build: closing the last window ends the app on every platform.
  app.on('window-all-closed', () => app.quit());

  let state: 'open' | 'closing' | 'closed' = 'open';
  app.on('will-quit', (event) => {
    if (state === 'closed') return;
    // The database must be closed (WAL checkpointed) before the process goes, however
    // many times quit is asked for meanwhile.
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    unsubscribe();
    profile
      .close()
      .catch((error: unknown) => logger.error('closing the profile failed', error))
      .finally(() => {
        state = 'closed';
        app.quit();
      });
  });
}

/**
 * The OS keeps the profile's keys (DPAPI, Keychain, libsecret). Where Linux offers only its
 * plain-text backend, the keys are wrapped with a passphrase from LEMARI_PASSPHRASE instead;
 * without one, opening fails with the reason (see docs/SECURITY.md).
 */
function secretStore(): SecretStore {
  try {
    return new SafeStorageSecretStore(safeStorage, dataDir);
  } catch (error) {
    const passphrase = process.env.LEMARI_PASSPHRASE;
    if (error instanceof SecretStoreError && error.problem === 'os_plain_text' && passphrase) return new PassphraseSecretStore(passphrase, passphraseSalt(dataDir));
    throw error;
  }
}

function senderOf(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  return {
    senderUrl: frame?.url,
    isMainFrame: frame !== null && frame.parent === null,
    isOwnWindow: mainWindow !== null && !mainWindow.isDestroyed() && event.sender.id === mainWindow.webContents.id,
  };
}

function fatal(error: unknown, settings?: ElectronSettingsStore): void {
  logger.error('Lemari could not start', error);
  let locale: Locale = 'id';
  try {
    if (settings) locale = settings.get().locale;
  } catch {
    // A broken config.json is likely the very reason we are here; Indonesian it is.
  }
  const message =
    error instanceof AppError
      ? error.message
      : error instanceof SecretStoreError
        ? secretStoreMessage(error, (key, params) => t(locale, key, params))
        : t(locale, 'error.internal');
  dialog.showErrorBox(t(locale, 'app.title'), message);
  app.exit(1);
}
