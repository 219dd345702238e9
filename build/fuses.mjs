// The Electron fuses of a packaged Lemari, as data, and where the binary that carries them
// sits in electron-builder's output. Pure (no Electron, no @electron/fuses), so
// tests/integration/electron-fuses.test.ts checks every value and the path rules; the
// afterPack hook (build/after-pack.mjs) applies them. Why each one: docs/SECURITY.md.
//
// Fuses are bits compiled into the Electron binary and read before any of our code runs,
// so an attacker with a shell on the PC cannot switch them back with a flag or a variable.

/**
 * Each fuse by its name in @electron/fuses's FuseV1Options, with the value a packaged
 * Lemari must have. Fuses not listed keep Electron's default.
 * @type {Readonly<Record<string, boolean>>}
 */
export const HARDENED_FUSES = Object.freeze({
  // ELECTRON_RUN_AS_NODE would turn Lemari.exe into a plain Node that runs any script with
  // the app's identity (and its OS-store access to the profile key).
  RunAsNode: false,
  // Chromium's cookie store encrypted with the OS key store, as in Chrome.
  EnableCookieEncryption: true,
  // NODE_OPTIONS (--require, --inspect ...) would inject code into the main process.
  EnableNodeOptionsEnvironmentVariable: false,
  // --inspect / --inspect-brk on the command line would open a debugger on main.
  EnableNodeCliInspectArguments: false,
  // app.asar must match the hash electron-builder embeds (Windows resource, macOS plist).
  // Electron validates it on Windows and macOS only; on Linux this bit has no effect.
  EnableEmbeddedAsarIntegrityValidation: true,
  // Only app.asar is loaded, never a loose resources/app folder dropped beside it: with the
  // integrity check above, the app code that runs is the code that was packaged.
  OnlyLoadAppFromAsar: true,
  // No separate, swappable V8 snapshot for the browser process.
  LoadBrowserProcessSpecificV8Snapshot: false,
  // file:// gets no more than a browser would give it; Lemari never loads file:// (app://).
  GrantFileProtocolExtraPrivileges: false,
});

/**
 * The config object flipFuses takes, built from HARDENED_FUSES with @electron/fuses's own
 * enums passed in (so this module stays importable without the package).
 * @param {{ FuseVersion: { V1: string }, FuseV1Options: Record<string, number | string> }} fuses
 * @param {string} electronPlatformName
 */
export function fuseConfig({ FuseVersion, FuseV1Options }, electronPlatformName) {
  /** @type {Record<string | number, unknown>} */
  const config = {
    version: FuseVersion.V1,
    // Flipping bits breaks a macOS ad-hoc signature; re-sign ad hoc there (no macOS build yet).
    resetAdHocDarwinSignature: electronPlatformName === 'darwin' || electronPlatformName === 'mas',
  };
  for (const [name, value] of Object.entries(HARDENED_FUSES)) {
    const index = FuseV1Options[name];
    // A fuse this @electron/fuses does not know would be silently skipped: refuse instead.
    if (typeof index !== 'number') throw new Error(`@electron/fuses does not know the fuse ${name}`);
    config[index] = value;
  }
  return config;
}

const EXTENSIONS = Object.freeze({ darwin: '.app', mas: '.app', win32: '.exe', linux: '' });

/**
 * The Electron binary electron-builder left in appOutDir, named as electron-builder names
 * it: Linux uses the packager's executableName (lemari), the others the app's product
 * file name (Lemari, which `win.executableName` sets), plus .exe or .app.
 * @param {{ appOutDir: string, electronPlatformName: string, packager: { executableName?: string, appInfo: { productFilename: string } } }} context
 * @param {{ join(...parts: string[]): string }} path node:path, or path.win32 / path.posix in tests
 */
export function electronBinaryPath(context, path) {
  const { appOutDir, electronPlatformName, packager } = context;
  if (!Object.hasOwn(EXTENSIONS, electronPlatformName)) throw new Error(`no fuse rules for platform ${electronPlatformName}`);
  const name = electronPlatformName === 'linux' ? packager.executableName : packager.appInfo.productFilename;
  if (!name) throw new Error(`electron-builder gave no executable name for ${electronPlatformName}`);
  return path.join(appOutDir, `${name}${EXTENSIONS[electronPlatformName]}`);
}

/**
 * Compares the fuse wire read back from the binary with HARDENED_FUSES; returns the names
 * of fuses that are not as required (empty when all are).
 * @param {Record<string | number, unknown>} wire what getCurrentFuseWire returned
 * @param {{ FuseV1Options: Record<string, number | string>, FuseState: { ENABLE: number, DISABLE: number } }} fuses
 * @returns {string[]}
 */
export function fusesNotHardened(wire, { FuseV1Options, FuseState }) {
  return Object.entries(HARDENED_FUSES)
    .filter(([name, value]) => wire[FuseV1Options[name]] !== (value ? FuseState.ENABLE : FuseState.DISABLE))
    .map(([name]) => name);
}
