#!/usr/bin/env node
// The `lemari` command: runs the built CLI (out/main/cli.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(built))) {
  process.stderr.write('Lemari belum dibangun: jalankan `npm run build` dulu. / Lemari is not built yet: run `npm run build` first.\n');
  process.exit(2);
}
await import(built.href);
