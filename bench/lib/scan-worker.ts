// Worker thread of scans.ts: renders one file per message and writes it to its path.
import { writeFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { jpegsToPdf, renderPageJpeg } from './page';
import type { ScanSpec } from './scans';

parentPort!.on('message', async (message: { index: number; spec: ScanSpec; path: string }) => {
  const jpegs: Buffer[] = [];
  for (const page of message.spec.pages) jpegs.push(await renderPageJpeg(page));
  const bytes = message.spec.kind === 'pdf' ? await jpegsToPdf(jpegs, message.spec.name) : jpegs[0];
  writeFileSync(message.path, bytes);
  parentPort!.postMessage({ index: message.index, bytes: bytes.byteLength });
});
