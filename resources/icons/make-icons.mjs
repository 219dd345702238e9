// Draws Lemari's icon (a filing cabinet shaped as an "L": the tall part is a stack of
// drawers, the foot an open drawer with a file in it) and writes the files the window and
// the installers use: 512x512.png, 256x256.png and icon.ico (16-256 px). Run it only when
// the design changes: `node resources/icons/make-icons.mjs`; the outputs are committed.

import { writeFileSync } from 'node:fs';
import { createCanvas } from '@napi-rs/canvas';

const dir = new URL('.', import.meta.url);

const COLORS = {
  background: '#0f4c5c',
  backgroundEdge: '#0a3742',
  cabinet: '#f6f1e3',
  seam: '#0f4c5c',
  handle: '#e0a526',
  file: '#e0a526',
  shadow: 'rgba(0, 0, 0, 0.22)',
};

/** Draws the icon at `size` px; every coordinate is on a 512 grid, scaled. */
function draw(size) {
  const canvas = createCanvas(size, size);
  const ctx = canvas.getContext('2d');
  ctx.scale(size / 512, size / 512);

  // Rounded tile, a little darker at the bottom so it reads on light and dark taskbars.
  const tile = ctx.createLinearGradient(0, 0, 0, 512);
  tile.addColorStop(0, COLORS.background);
  tile.addColorStop(1, COLORS.backgroundEdge);
  ctx.fillStyle = tile;
  ctx.beginPath();
  ctx.roundRect(16, 16, 480, 480, 96);
  ctx.fill();

  // The "L": a tall drawer stack and, at its foot, a drawer pulled out to the right.
  const stack = { x: 128, y: 88, w: 150, h: 336 };
  const foot = { x: 128, y: 328, w: 268, h: 96 };
  ctx.fillStyle = COLORS.shadow;
  ctx.beginPath();
  ctx.roundRect(stack.x + 10, stack.y + 12, stack.w, stack.h, 18);
  ctx.roundRect(foot.x + 10, foot.y + 12, foot.w, foot.h, 18);
  ctx.fill();

  // A file sticking out of the open drawer, drawn first so the drawer front covers its foot.
  ctx.fillStyle = COLORS.file;
  ctx.beginPath();
  ctx.roundRect(300, 282, 70, 70, 10);
  ctx.fill();
  ctx.fillStyle = COLORS.backgroundEdge;
  ctx.fillRect(314, 298, 42, 8);

  ctx.fillStyle = COLORS.cabinet;
  ctx.beginPath();
  ctx.roundRect(stack.x, stack.y, stack.w, stack.h, 18);
  ctx.roundRect(foot.x, foot.y, foot.w, foot.h, 18);
  ctx.fill();

  // Drawer seams and handles on the stack.
  ctx.fillStyle = COLORS.seam;
  for (const y of [192, 296]) ctx.fillRect(stack.x, y, stack.w, 10);
  ctx.fillStyle = COLORS.handle;
  for (const y of [132, 236]) {
    ctx.beginPath();
    ctx.roundRect(stack.x + stack.w / 2 - 30, y, 60, 16, 8);
    ctx.fill();
  }
  // The open drawer's handle, at its far end.
  ctx.beginPath();
  ctx.roundRect(foot.x + foot.w - 86, foot.y + 40, 60, 16, 8);
  ctx.fill();

  return canvas;
}

const png = (size) => draw(size).encodeSync('png');

/** A 32-bit BMP entry (small sizes: some Windows tools and NSIS want these, not PNG). */
function bmpEntry(size) {
  const { data } = draw(size).getContext('2d').getImageData(0, 0, size, size);
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // colour rows plus the AND mask, as ICO wants
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4;
      const to = ((size - 1 - y) * size + x) * 4; // bottom-up
      pixels[to] = data[from + 2];
      pixels[to + 1] = data[from + 1];
      pixels[to + 2] = data[from];
      pixels[to + 3] = data[from + 3];
    }
  }
  const mask = Buffer.alloc((Math.ceil(size / 32) * 4) * size); // all zero: alpha decides
  return Buffer.concat([header, pixels, mask]);
}

function ico(sizes) {
  const images = sizes.map((size) => ({ size, bytes: size >= 256 ? png(size) : bmpEntry(size) }));
  const head = Buffer.alloc(6 + 16 * images.length);
  head.writeUInt16LE(0, 0);
  head.writeUInt16LE(1, 2);
  head.writeUInt16LE(images.length, 4);
  let offset = head.length;
  images.forEach(({ size, bytes }, i) => {
    const at = 6 + 16 * i;
    head.writeUInt8(size >= 256 ? 0 : size, at);
    head.writeUInt8(size >= 256 ? 0 : size, at + 1);
    head.writeUInt8(0, at + 2);
    head.writeUInt8(0, at + 3);
    head.writeUInt16LE(1, at + 4);
    head.writeUInt16LE(32, at + 6);
    head.writeUInt32LE(bytes.length, at + 8);
    head.writeUInt32LE(offset, at + 12);
    offset += bytes.length;
  });
  return Buffer.concat([head, ...images.map((image) => image.bytes)]);
}

writeFileSync(new URL('512x512.png', dir), png(512));
writeFileSync(new URL('256x256.png', dir), png(256));
writeFileSync(new URL('icon.ico', dir), ico([16, 24, 32, 48, 64, 128, 256]));
process.stdout.write('wrote 512x512.png, 256x256.png, icon.ico\n');
