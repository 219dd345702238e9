import { describe, expect, it } from 'vitest';
import { hasPdfExtension, sniffKind } from './sniff';

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (value: string) => new TextEncoder().encode(value);

describe('sniffKind', () => {
  it('knows the four formats by their magic bytes', () => {
    expect(sniffKind(text('%PDF-1.7\n'))).toBe('pdf');
    expect(sniffKind(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10))).toBe('jpeg');
    expect(sniffKind(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('png');
    expect(sniffKind(bytes(0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0))).toBe('tiff');
    expect(sniffKind(bytes(0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8))).toBe('tiff');
  });

  it('finds a PDF header behind junk within the first 1 KiB, not beyond', () => {
    const junk = (length: number) => new Uint8Array(length).fill(0x20);
    expect(sniffKind(new Uint8Array([...junk(1000), ...text('%PDF-1.4')]))).toBe('pdf');
    expect(sniffKind(new Uint8Array([...junk(1100), ...text('%PDF-1.4')]))).toBeNull();
  });

  it('trusts an image signature over a "%PDF-" inside the image', () => {
    expect(sniffKind(new Uint8Array([0xff, 0xd8, 0xff, 0xfe, 0, 12, ...text('see %PDF-1.4')]))).toBe('jpeg');
  });

  it('knows nothing else', () => {
    expect(sniffKind(text('PK\u0003\u0004 a zip'))).toBeNull();
    expect(sniffKind(text('hanya teks'))).toBeNull();
    expect(sniffKind(bytes(0xff, 0xd8))).toBeNull();
  });
});

describe('hasPdfExtension', () => {
  it('matches .pdf in any case', () => {
    expect(hasPdfExtension('SK.PDF')).toBe(true);
    expect(hasPdfExtension('sk.pdf.jpg')).toBe(false);
  });
});
