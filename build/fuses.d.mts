// Types of build/fuses.mjs, for the tests that import it.
export declare const HARDENED_FUSES: Readonly<Record<string, boolean>>;
export declare function fuseConfig(
  fuses: { FuseVersion: { V1: string }; FuseV1Options: Record<string, number | string> },
  electronPlatformName: string,
): Record<string | number, unknown>;
export interface PackContext {
  appOutDir: string;
  electronPlatformName: string;
  packager: { executableName?: string; appInfo: { productFilename: string } };
}
export declare function electronBinaryPath(context: PackContext, path: { join(...parts: string[]): string }): string;
export declare function fusesNotHardened(
  wire: Record<string | number, unknown>,
  fuses: { FuseV1Options: Record<string, number | string>; FuseState: { ENABLE: number; DISABLE: number } },
): string[];
