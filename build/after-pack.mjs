// electron-builder's afterPack hook (electron-builder.yml: afterPack): flips the packaged
// Electron binary's fuses to build/fuses.mjs's HARDENED_FUSES, reads them back and fails the
// build if any is not as required. afterPack runs before electron-builder signs the binary,
// so the signature covers the flipped bits.

import console from 'node:console';
import path from 'node:path';
import { electronBinaryPath, fuseConfig, fusesNotHardened } from './fuses.mjs';

/** @param {import('./fuses.d.mts').PackContext} context */
export async function afterPack(context) {
  const fuses = await import('@electron/fuses');
  const binary = electronBinaryPath(context, path);
  await fuses.flipFuses(binary, /** @type {import('@electron/fuses').FuseConfig} */ (fuseConfig(fuses, context.electronPlatformName)));
  const wrong = fusesNotHardened(await fuses.getCurrentFuseWire(binary), fuses);
  if (wrong.length > 0) throw new Error(`fuses not hardened in ${binary}: ${wrong.join(', ')}`);
  console.log(`  • fuses hardened  binary=${binary}`);
}

export default afterPack;
