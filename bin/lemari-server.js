#!/usr/bin/env -S node --max-semi-space-size=64
// The `lemari-server` command: runs the built central DMS server (out/main/server.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../out/main/server.js', import.meta.url);
if (!existsSync(fileURLToPath(built))) {
  process.stderr.write('lemari-server belum dibangun: jalankan `npm run build` dulu. / lemari-server is not built yet: run `npm run build` first.\n');
  process.exit(2);
}
await import(built.href);
