// A bare client process for the sync bench (bench/sync.ts): PUTs each document to the plain
// PUT server with its bytes read from the workstation's sealed blob store, decrypted chunk by
// chunk and streamed as the sync streams a request body. Beside the plain PUT (bytes read
// from the scan files) it shows what encryption at rest alone costs the workstation's side.
//   args: <PUT server url> <profile dir> <JSON file: [{ sha256, size }]> <files in flight>
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileBlobStore } from '../../main/infra/blobs';
import { blobKeyBytes, KeyFileSecretStore } from '../../main/infra/secrets';

const [url, dataDir, listFile, concurrency] = process.argv.slice(2);
const docs = JSON.parse(await readFile(listFile, 'utf8')) as { sha256: string; size: number }[];
const blobs = await new FileBlobStore(join(dataDir, 'blobs'), blobKeyBytes(new KeyFileSecretStore(dataDir), dataDir)).init();

function body(sha256: string): ReadableStream<Uint8Array> {
  const pieces = blobs.pieces(sha256)[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { value, done } = await pieces.next();
        if (done) controller.close();
        else controller.enqueue(value);
      },
    },
    { highWaterMark: 0 },
  );
}

const cpu = process.cpuUsage();
const t0 = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (next < docs.length) {
      const { sha256, size } = docs[next++];
      const res = await fetch(`${url}/${sha256}.pdf`, { method: 'PUT', body: body(sha256), headers: { 'content-length': String(size) }, duplex: 'half' } as RequestInit);
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`PUT ${sha256}: ${res.status}`);
    }
  }),
);
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ ms: performance.now() - t0, cpuMs: (used.user + used.system) / 1000 }));
