// Generated SK pages for the OCR bench and tests: Indonesian decree text rendered at scan
// resolution, optionally rotated and speckled like a feeder scan. Never used by the app.

import { createCanvas } from '@napi-rs/canvas';

export interface SkSample {
  nip: string;
  nomor: string;
  /** Tanggal SK and TMT as ISO dates. */
  tanggal: string;
  tmt: string;
  nama: string;
}

const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

function longDate(iso: string): string {
  const [year, month, day] = iso.split('-').map(Number);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/** The lines of a kenaikan pangkat SK as BKD offices type them. */
export function skLines(sample: SkSample): string[] {
  const nip = `${sample.nip.slice(0, 8)} ${sample.nip.slice(8, 14)} ${sample.nip.slice(14, 15)} ${sample.nip.slice(15)}`;
  return [
    'PEMERINTAH KABUPATEN SLEMAN',
    'BADAN KEPEGAWAIAN DAERAH',
    'KEPUTUSAN BUPATI SLEMAN',
    `NOMOR : ${sample.nomor}`,
    'TENTANG KENAIKAN PANGKAT PEGAWAI NEGERI SIPIL',
    'Menimbang bahwa pegawai negeri sipil yang namanya',
    'tersebut di bawah ini telah memenuhi syarat.',
    'MEMUTUSKAN',
    `Nama : ${sample.nama}`,
    `NIP : ${nip}`,
    'Pangkat baru : Penata Muda Tingkat I, III/b',
    `terhitung mulai tanggal ${longDate(sample.tmt)}`,
    'Ditetapkan di Sleman',
    `pada tanggal ${longDate(sample.tanggal)}`,
    'BUPATI SLEMAN',
  ];
}

export interface RenderOptions {
  dpi?: number;
  /** Degrees, clockwise. */
  rotate?: number;
  /** Share of pixels flipped to dark specks, e.g. 0.002. */
  noise?: number;
  /** A seed for the specks, so a run is repeatable. */
  seed?: number;
  /** Only the first n lines (a small page for quick tests). */
  lines?: number;
}

/** An A4 page (or its top part, with `lines`) as PNG bytes. */
export function renderSkPage(sample: SkSample, options: RenderOptions = {}): Buffer {
  const dpi = options.dpi ?? 300;
  const lines = skLines(sample).slice(0, options.lines);
  const width = Math.round(8.27 * dpi);
  const lineHeight = Math.round(0.32 * dpi);
  const height = options.lines ? Math.round(lineHeight * (lines.length + 1.5)) : Math.round(11.69 * dpi);
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  context.translate(width / 2, height / 2);
  context.rotate(((options.rotate ?? 0) * Math.PI) / 180);
  context.translate(-width / 2, -height / 2);
  context.fillStyle = '#111';
  // 12 pt text, as a typed decree.
  context.font = `${Math.round((12 / 72) * dpi)}px sans-serif`;
  lines.forEach((line, index) => context.fillText(line, Math.round(0.9 * dpi), Math.round(lineHeight * (index + 1.2))));
  if (options.noise) {
    context.setTransform(1, 0, 0, 1, 0, 0);
    let state = options.seed ?? 1;
    const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    const specks = Math.round(width * height * options.noise);
    context.fillStyle = '#333';
    for (let i = 0; i < specks; i++) context.fillRect(Math.floor(random() * width), Math.floor(random() * height), 2, 2);
  }
  return canvas.toBuffer('image/png');
}
