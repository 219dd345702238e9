// The packaged app's Electron fuses: the hardened value of each one (build/fuses.mjs), the
// binary path the afterPack hook flips per platform, and the hook itself run end to end
// against a stand-in binary that carries a fuse wire laid out as Electron's is (sentinel,
// version, length, one byte per fuse). No Electron binary can be downloaded here, so that
// stand-in is as close as the test gets; docs/SECURITY.md says so.
import { FuseState, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, win32 } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { afterPack } from '../../build/after-pack.mjs';
import { HARDENED_FUSES, electronBinaryPath, fuseConfig, fusesNotHardened } from '../../build/fuses.mjs';

const REQUIRED: Record<string, boolean> = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  GrantFileProtocolExtraPrivileges: false,
};

// The marker Electron's fuse wire follows (@electron/fuses's constants.ts, not exported).
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const fuses = { FuseVersion, FuseV1Options, FuseState };
const packager = { executableName: 'lemari', appInfo: { productFilename: 'Lemari' } };
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('the fuse settings', () => {
  it('give every required fuse its hardened value', () => {
    for (const [name, value] of Object.entries(REQUIRED)) expect(HARDENED_FUSES[name], name).toBe(value);
  });

  it('become a flipFuses config keyed by @electron/fuses indexes, nothing else changed', () => {
    const config = fuseConfig(fuses, 'linux');
    expect(config.version).toBe(FuseVersion.V1);
    expect(config.resetAdHocDarwinSignature).toBe(false);
    for (const [name, value] of Object.entries(REQUIRED)) expect(config[FuseV1Options[name as keyof typeof FuseV1Options]], name).toBe(value);
    // WasmTrapHandlers is not ours to change: it keeps Electron's default.
    expect(config[FuseV1Options.WasmTrapHandlers]).toBeUndefined();
    expect(fuseConfig(fuses, 'darwin').resetAdHocDarwinSignature).toBe(true);
  });

  it('refuse a fuse name @electron/fuses does not know rather than skip it', () => {
    const { RunAsNode: _dropped, ...fewer } = FuseV1Options as unknown as Record<string, number>;
    expect(() => fuseConfig({ FuseVersion, FuseV1Options: fewer }, 'linux')).toThrow(/RunAsNode/);
  });
});

describe('the binary the hook flips', () => {
  it('is named as electron-builder names it on each platform', () => {
    expect(electronBinaryPath({ appOutDir: '/w/dist/linux-unpacked', electronPlatformName: 'linux', packager }, posix)).toBe('/w/dist/linux-unpacked/lemari');
    expect(electronBinaryPath({ appOutDir: 'C:\\w\\dist\\win-unpacked', electronPlatformName: 'win32', packager }, win32)).toBe('C:\\w\\dist\\win-unpacked\\Lemari.exe');
    expect(electronBinaryPath({ appOutDir: '/w/dist/mac', electronPlatformName: 'darwin', packager }, posix)).toBe('/w/dist/mac/Lemari.app');
  });

  it('is refused for an unknown platform or a missing name', () => {
    expect(() => electronBinaryPath({ appOutDir: '/w', electronPlatformName: 'aix', packager }, posix)).toThrow(/aix/);
    expect(() => electronBinaryPath({ appOutDir: '/w', electronPlatformName: 'linux', packager: { appInfo: { productFilename: 'Lemari' } } }, posix)).toThrow(/executable name/);
  });
});

/** A file laid out like an Electron binary around its fuse wire, with Electron's defaults. */
function standInBinary(path: string): void {
  const on = FuseState.ENABLE;
  const off = FuseState.DISABLE;
  // Electron's defaults, in wire order: RunAsNode on, cookies off, NODE_OPTIONS on,
  // --inspect on, asar integrity off, only-asar off, browser V8 snapshot off, file:// extra
  // privileges on, Wasm trap handlers on.
  const wire = [on, off, on, on, off, off, off, on, on];
  writeFileSync(path, Buffer.concat([Buffer.from('\x7fELF stand-in '), Buffer.from(SENTINEL), Buffer.from([1, wire.length, ...wire]), Buffer.from(' rest of the binary')]));
}

describe('the afterPack hook', () => {
  it('flips the packaged binary to the hardened values and leaves the rest alone', async () => {
    const appOutDir = mkdtempSync(join(tmpdir(), 'lemari-fuses-'));
    dirs.push(appOutDir);
    const binary = join(appOutDir, 'lemari');
    standInBinary(binary);
    const before = readFileSync(binary);
    expect(fusesNotHardened(await getCurrentFuseWire(binary), fuses).length).toBeGreaterThan(0);

    await afterPack({ appOutDir, electronPlatformName: 'linux', packager });

    const wire = (await getCurrentFuseWire(binary)) as unknown as Record<number, number>;
    expect(fusesNotHardened(wire, fuses)).toEqual([]);
    for (const [name, value] of Object.entries(REQUIRED)) {
      expect(wire[FuseV1Options[name as keyof typeof FuseV1Options]], name).toBe(value ? FuseState.ENABLE : FuseState.DISABLE);
    }
    expect(wire[FuseV1Options.WasmTrapHandlers]).toBe(FuseState.ENABLE);
    const after = readFileSync(binary);
    expect(after.length).toBe(before.length);
    // Only the wire's bytes changed.
    const changed = [...after].flatMap((byte, i) => (byte === before[i] ? [] : [i]));
    const wireStart = before.indexOf(SENTINEL) + SENTINEL.length + 2;
    expect(changed.every((i) => i >= wireStart && i < wireStart + 9)).toBe(true);
  });

  it('fails the build when the binary is not where electron-builder should have put it', async () => {
    const appOutDir = mkdtempSync(join(tmpdir(), 'lemari-fuses-'));
    dirs.push(appOutDir);
    await expect(afterPack({ appOutDir, electronPlatformName: 'linux', packager })).rejects.toThrow();
  });
});

describe('electron-builder.yml', () => {
  it('runs the hook after packing, and does not flip fuses a second time itself', () => {
    const yml = readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8');
    expect(yml).toMatch(/^afterPack: \.\/build\/after-pack\.mjs$/m);
    expect(yml).not.toMatch(/^electronFuses:/m);
  });
});
