// The cleaning step before OCR: isolated specks go, typed text stays, a clean page is left
// byte-identical; and the cleaning runs on the worker thread, in front of tesseract's script.

import { createCanvas, loadImage } from '@napi-rs/canvas';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { despeckle, rgbaToGrey } from './despeckle';
import { pamOf, workerModule } from './index';
import { renderSkPage, type SkSample } from './sk-sample';

const W = 120;
const H = 80;

function white(width = W, height = H): Uint8Array {
  return new Uint8Array(width * height).fill(255);
}

function fillRect(grey: Uint8Array, x: number, y: number, w: number, h: number, value = 17, width = W) {
  for (let j = y; j < y + h; j++) grey.fill(value, j * width + x, j * width + x + w);
}

function inkCount(grey: Uint8Array): number {
  return grey.reduce((n, v) => n + (v < 255 ? 1 : 0), 0);
}

async function pageGrey(png: Buffer): Promise<{ grey: Uint8Array; width: number; height: number }> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const rgba = new Uint8Array(context.getImageData(0, 0, image.width, image.height).data.buffer);
  return { grey: rgbaToGrey(rgba, image.width, image.height), width: image.width, height: image.height };
}

const SAMPLE: SkSample = { nip: '198503122010011004', nomor: '823.3/1234/BKD/2016', tanggal: '2016-03-12', tmt: '2016-04-01', nama: 'Budi Santoso' };

describe('rgbaToGrey', () => {
  it('maps white, black and the typed grey of the samples to their grey levels', () => {
    const rgba = new Uint8Array([255, 255, 255, 255, 0, 0, 0, 255, 17, 17, 17, 255, 51, 51, 51, 255]);
    expect([...rgbaToGrey(rgba, 4, 1)]).toEqual([255, 0, 17, 51]);
  });
});

describe('despeckle', () => {
  it('removes single-pixel, 2x2 and 3x3 specks on white, at the edges too', () => {
    const grey = white();
    fillRect(grey, 10, 10, 1, 1);
    fillRect(grey, 30, 10, 2, 2, 51);
    fillRect(grey, 50, 10, 3, 3);
    fillRect(grey, 0, 0, 2, 2);
    fillRect(grey, W - 1, H - 1, 1, 1);
    expect(despeckle(grey, W, H)).toBe(5);
    expect(inkCount(grey)).toBe(0);
  });

  it('removes a speck with its anti-aliased rim', () => {
    const grey = white();
    fillRect(grey, 19, 19, 4, 4, 210);
    fillRect(grey, 20, 20, 2, 2, 51);
    expect(despeckle(grey, W, H)).toBe(1);
    expect(inkCount(grey)).toBe(0);
  });

  it('keeps 1-px horizontal and vertical strokes, a full stop and a glyph-sized blob', () => {
    const grey = white();
    fillRect(grey, 10, 5, 25, 1); // a 1-px rule, 2 mm at 300 dpi
    fillRect(grey, 5, 10, 1, 25); // a 1-px upright
    fillRect(grey, 5, 50, 4, 4); // a full stop of small type at 300 dpi
    fillRect(grey, 60, 20, 24, 36); // a capital at 12 pt
    fillRect(grey, 100, 20, 5, 1); // a short hairline, longer than a speck
    const before = grey.slice();
    expect(despeckle(grey, W, H)).toBe(0);
    expect(grey).toEqual(before);
  });

  it('keeps a small dot with ink near it (the dot of an i, a broken stroke of a glyph)', () => {
    const grey = white();
    fillRect(grey, 40, 30, 3, 20); // the stem
    fillRect(grey, 40, 27, 3, 2); // its dot, one white row above it: inside the gap
    fillRect(grey, 80, 30, 2, 2); // a fragment one white column left of a stroke
    fillRect(grey, 83, 20, 2, 30);
    const before = grey.slice();
    expect(despeckle(grey, W, H)).toBe(0);
    expect(grey).toEqual(before);
  });

  it('treats only pixels darker than the threshold as ink: light grey stays', () => {
    const grey = white();
    fillRect(grey, 10, 10, 2, 2, 200);
    const before = grey.slice();
    expect(despeckle(grey, W, H)).toBe(0);
    expect(grey).toEqual(before);
  });

  it('follows its options: a larger speck size, a smaller gap', () => {
    const grey = white();
    fillRect(grey, 10, 10, 4, 4);
    expect(despeckle(grey, W, H)).toBe(0);
    expect(despeckle(grey, W, H, { maxSide: 4 })).toBe(1);
    fillRect(grey, 40, 30, 3, 20);
    fillRect(grey, 40, 27, 2, 2);
    expect(despeckle(grey, W, H)).toBe(0);
    expect(despeckle(grey, W, H, { gap: 1 })).toBe(1);
  });

  it('leaves a clean and a rotated generated SK page byte-identical, and clears a speckled one', async () => {
    for (const look of [{}, { rotate: 1 }]) {
      const page = await pageGrey(renderSkPage(SAMPLE, { lines: 6, ...look }));
      const before = page.grey.slice();
      expect(despeckle(page.grey, page.width, page.height)).toBe(0);
      expect(Buffer.compare(page.grey, before)).toBe(0);
    }
    const clean = await pageGrey(renderSkPage(SAMPLE, { lines: 6 }));
    const speckled = await pageGrey(renderSkPage(SAMPLE, { lines: 6, noise: 0.0008, seed: 7 }));
    const removed = despeckle(speckled.grey, speckled.width, speckled.height);
    // Specks drawn: 0.08% of the pixels (some overlap each other or touch the text).
    expect(removed).toBeGreaterThan(0.7 * speckled.width * speckled.height * 0.0008);
    let differ = 0;
    for (let i = 0; i < clean.grey.length; i++) if (clean.grey[i] !== speckled.grey[i]) differ++;
    // What differs from the clean page: the specks left (on or near the text), 2x2 pixels each.
    expect(differ).toBeLessThan(0.25 * 4 * 0.0008 * clean.grey.length);
  });
});

describe('the OCR worker module', () => {
  /** Runs the cleaning module in front of a stand-in for tesseract's script that sends back the image it was given. */
  async function throughWorker(image: Uint8Array, clean: Parameters<typeof workerModule>[1] = {}): Promise<Uint8Array> {
    const dir = mkdtempSync(join(tmpdir(), 'lemari-ocr-worker-'));
    try {
      const inner = join(dir, 'echo.cjs');
      writeFileSync(inner, `const { parentPort } = require('node:worker_threads');\nparentPort.on('message', (packet) => parentPort.postMessage(packet.payload.image));\n`);
      const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(workerModule(inner, clean))}`));
      try {
        return await new Promise<Uint8Array>((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.postMessage({ jobId: 'Job-1', action: 'recognize', payload: { image, options: {}, output: { text: true } } });
        });
      } finally {
        await worker.terminate();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  function rgbaPage(): { rgba: Uint8Array; width: number; height: number } {
    const grey = white();
    fillRect(grey, 60, 20, 24, 36);
    fillRect(grey, 10, 10, 2, 2, 51);
    const rgba = new Uint8Array(W * H * 4);
    grey.forEach((v, i) => rgba.set([v, v, v, 255], i * 4));
    return { rgba, width: W, height: H };
  }

  it('turns a raw page into a cleaned grey PGM on the worker thread, before tesseract reads it', { timeout: 20_000 }, async () => {
    const out = Buffer.from(await throughWorker(new Uint8Array(pamOf(rgbaPage()))));
    const header = `P5\n${W} ${H}\n255\n`;
    expect(out.subarray(0, header.length).toString('latin1')).toBe(header);
    const grey = out.subarray(header.length);
    expect(grey.length).toBe(W * H);
    const expected = white();
    fillRect(expected, 60, 20, 24, 36);
    expect(Buffer.compare(grey, expected)).toBe(0);
  });

  it('with cleaning off, converts to grey only; encoded images pass untouched', { timeout: 20_000 }, async () => {
    const out = Buffer.from(await throughWorker(new Uint8Array(pamOf(rgbaPage())), false));
    expect(out[10 * W + 10 + `P5\n${W} ${H}\n255\n`.length]).toBe(51);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    expect([...(await throughWorker(png))]).toEqual([...png]);
  });
});
