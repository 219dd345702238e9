// Generated personnel data that looks like an Indonesian regency's: names from common
// given names, family names and Javanese-style syllable names (with academic titles, as
// agency spreadsheets write them), units (dinas, puskesmas, sekolah), valid NIPs (checked
// with common/nip.ts), SK numbers in the forms agencies use (800/1234/BKD/2019), and a
// mix of labelled and unlabelled scans with scanner-style file names. Deterministic per seed.

import { createHash } from 'node:crypto';
import { checkNip, type EmployeeKind } from '../../common/nip';
import { Random, Weighted } from './random';

/** TMT and appointment years are kept at or before this, so every NIP stays valid on any later day. */
const LATEST = { y: 2025, m: 12, d: 31 };

const MALE_GIVEN = [
  'Muhammad', 'Agus', 'Budi', 'Ahmad', 'Eko', 'Dwi', 'Joko', 'Bambang', 'Andi', 'Hendra', 'Rudi', 'Slamet', 'Abdul', 'Heru', 'Wahyu',
  'Arif', 'Yusuf', 'Rizky', 'Fajar', 'Dedi', 'Hadi', 'Irwan', 'Asep', 'Bayu', 'Teguh', 'Sugeng', 'Rahmat', 'Hasan', 'Fauzi', 'Ilham',
  'Iwan', 'Aris', 'Yudi', 'Imam', 'Dodi', 'Doni', 'Edi', 'Hery', 'Indra', 'Jaka', 'Kurnia', 'Lukman', 'Mulyadi', 'Nanang', 'Oki',
  'Putu', 'Ketut', 'Made', 'Wayan', 'Rahmad', 'Samsul', 'Taufik', 'Umar', 'Wawan', 'Yoga', 'Zainal', 'Firman', 'Gilang', 'Hamdan',
];
const FEMALE_GIVEN = [
  'Siti', 'Sri', 'Dewi', 'Nur', 'Rina', 'Ratna', 'Yuni', 'Endang', 'Ani', 'Lina', 'Fitri', 'Indah', 'Ika', 'Rini', 'Eka', 'Ayu',
  'Putri', 'Nurul', 'Maya', 'Kartika', 'Novi', 'Yuliana', 'Wulan', 'Dian', 'Tri', 'Desi', 'Elly', 'Fatimah', 'Hesti', 'Ida',
  'Juwita', 'Kiki', 'Lilis', 'Mega', 'Nining', 'Okta', 'Peni', 'Rosa', 'Susi', 'Tuti', 'Umi', 'Vivi', 'Winda', 'Yanti', 'Zahra',
];
const MALE_FAMILY = [
  'Santoso', 'Saputra', 'Hidayat', 'Kurniawan', 'Setiawan', 'Pratama', 'Nugroho', 'Wibowo', 'Susanto', 'Gunawan', 'Hartono', 'Wijaya',
  'Siregar', 'Nasution', 'Harahap', 'Lubis', 'Simanjuntak', 'Sitompul', 'Hutapea', 'Purba', 'Tarigan', 'Ginting', 'Sembiring',
  'Prasetyo', 'Firmansyah', 'Ramadhan', 'Hakim', 'Syahputra', 'Permana', 'Sulistyo', 'Purnomo', 'Supriyadi', 'Suryadi', 'Hermawan',
  'Prabowo', 'Utomo', 'Wahyudi', 'Kusuma', 'Maulana', 'Rahman', 'Effendi', 'Siagian', 'Pane', 'Daulay', 'Manurung',
];
const FEMALE_FAMILY = [
  'Lestari', 'Wahyuni', 'Rahmawati', 'Susanti', 'Handayani', 'Kusumawati', 'Safitri', 'Permatasari', 'Anggraini', 'Puspitasari',
  'Wulandari', 'Maharani', 'Rahayu', 'Yulianti', 'Utami', 'Fitriani', 'Hartati', 'Suryani', 'Sumarni', 'Hartini', 'Ernawati',
  'Nurhayati', 'Sulastri', 'Mulyani', 'Purwanti', 'Setyaningsih', 'Pertiwi', 'Oktaviani', 'Novitasari', 'Damayanti',
];
const SYLLABLES = ['su', 'sa', 'ma', 'mu', 'ha', 'di', 'pra', 'wi', 'ra', 'ja', 'ka', 'ti', 'to', 'no', 'ya', 'ri', 'se', 'bu', 'da', 'sri', 'tu', 'ku', 'na', 'pur', 'war', 'sar', 'yo'];
const MALE_ENDINGS = ['yanto', 'yono', 'man', 'adi', 'ono', 'to', 'di', 'jo', 'min', 'ri', 'lan', 'tono', 'rjo', 'wan'];
const FEMALE_ENDINGS = ['yati', 'wati', 'ni', 'nah', 'sih', 'yem', 'ningsih', 'yani', 'tun', 'rti', 'sri', 'asih'];
const FRONT_TITLES = ['Drs.', 'Dra.', 'Dr.', 'Ir.', 'H.', 'Hj.', 'dr.', 'Ns.'];
const BACK_TITLES = ['S.Pd.', 'S.Pd.', 'S.Pd.', 'S.E.', 'S.Kom.', 'S.H.', 'S.Sos.', 'S.Kep.', 'A.Md.', 'A.Md.Keb.', 'S.ST.', 'S.IP.', 'M.Si.', 'M.Pd.', 'S.Pd.SD.', 'S.KM.', 'S.T.', 'M.M.', 'S.Ag.', 'S.Farm.'];

const PLACES = [
  'Pontianak', 'Singkawang', 'Sambas', 'Mempawah', 'Sanggau', 'Sintang', 'Ketapang', 'Kubu Raya', 'Landak', 'Bengkayang', 'Sekadau',
  'Melawi', 'Kapuas Hulu', 'Kayong Utara', 'Sungai Raya', 'Sungai Ambawang', 'Rasau Jaya', 'Teluk Pakedai', 'Siantan', 'Segedong',
  'Sungai Kakap', 'Kuala Mandor', 'Batu Ampar', 'Terentang', 'Sui Pinyuh', 'Anjongan', 'Toho', 'Sadaniang', 'Menjalin', 'Ngabang',
];
const BIRTHPLACES = [...PLACES, 'Jakarta', 'Surabaya', 'Yogyakarta', 'Semarang', 'Medan', 'Padang', 'Makassar', 'Bandung', 'Solo', 'Malang', 'Banjarmasin', 'Palembang'];
const OFFICES = [
  'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia', 'Sekretariat Daerah', 'Sekretariat DPRD', 'Inspektorat Daerah',
  'Dinas Pendidikan dan Kebudayaan', 'Dinas Kesehatan', 'Dinas Sosial', 'Dinas Pekerjaan Umum dan Penataan Ruang', 'Dinas Perhubungan',
  'Dinas Kependudukan dan Pencatatan Sipil', 'Dinas Pertanian dan Ketahanan Pangan', 'Dinas Perikanan', 'Dinas Lingkungan Hidup',
  'Dinas Komunikasi dan Informatika', 'Dinas Penanaman Modal dan PTSP', 'Dinas Perindustrian dan Perdagangan', 'Dinas Koperasi dan UKM',
  'Dinas Pemuda dan Olahraga', 'Dinas Pariwisata', 'Dinas Perpustakaan dan Kearsipan', 'Dinas Tenaga Kerja dan Transmigrasi',
  'Dinas Pemberdayaan Perempuan dan Perlindungan Anak', 'Dinas Perumahan dan Kawasan Permukiman', 'Badan Perencanaan Pembangunan Daerah',
  'Badan Pengelolaan Keuangan dan Aset Daerah', 'Badan Pendapatan Daerah', 'Badan Penanggulangan Bencana Daerah',
  'Badan Kesatuan Bangsa dan Politik', 'Satuan Polisi Pamong Praja', 'RSUD dr. Soedarso', 'RSUD Sultan Syarif Mohamad Alkadrie',
];
const GENERAL_JABATAN = [
  'Pengadministrasi Umum', 'Analis Kepegawaian Ahli Pertama', 'Analis Kepegawaian Ahli Muda', 'Pengelola Keuangan', 'Arsiparis Terampil',
  'Arsiparis Ahli Pertama', 'Pranata Komputer Ahli Pertama', 'Analis Kebijakan Ahli Muda', 'Kepala Seksi', 'Kepala Sub Bagian Umum',
  'Kepala Bidang', 'Sekretaris', 'Bendahara', 'Pengemudi', 'Penyusun Laporan Keuangan', 'Auditor Ahli Pertama', 'Perencana Ahli Muda',
];
const TEACHER_JABATAN = ['Guru Ahli Pertama', 'Guru Ahli Muda', 'Guru Ahli Madya', 'Guru Kelas', 'Guru Mata Pelajaran', 'Kepala Sekolah', 'Guru Pertama', 'Guru Muda'];
const HEALTH_JABATAN = ['Perawat Terampil', 'Perawat Ahli Pertama', 'Bidan Terampil', 'Bidan Ahli Pertama', 'Dokter Ahli Pertama', 'Apoteker Ahli Pertama', 'Sanitarian Terampil', 'Nutrisionis Terampil', 'Kepala Puskesmas'];
const PNS_GOLONGAN = ['II/a', 'II/b', 'II/c', 'II/d', 'III/a', 'III/b', 'III/c', 'III/d', 'IV/a', 'IV/b', 'IV/c'];
const PPPK_GOLONGAN = ['V', 'VII', 'IX', 'X', 'XI'];

export interface Unit {
  name: string;
  kind: 'office' | 'school' | 'health' | 'district';
}

/** About 600 units: offices, sub-districts, puskesmas, and many schools (most staff are teachers). */
export function makeUnits(): Unit[] {
  const units: Unit[] = OFFICES.map((name) => ({ name, kind: name.startsWith('RSUD') ? 'health' : 'office' }));
  for (const place of PLACES) {
    units.push({ name: `Kecamatan ${place}`, kind: 'district' });
    units.push({ name: `Puskesmas ${place}`, kind: 'health' });
    units.push({ name: `Kelurahan ${place} Hilir`, kind: 'district' });
    for (let n = 1; n <= 12; n++) units.push({ name: `SD Negeri ${n} ${place}`, kind: 'school' });
    for (let n = 1; n <= 4; n++) units.push({ name: `SMP Negeri ${n} ${place}`, kind: 'school' });
  }
  return units;
}

export interface EmployeeRow {
  nip: string;
  kind: EmployeeKind;
  nama: string;
  tempat_lahir: string;
  tanggal_lahir: string;
  golongan: string;
  jabatan: string;
  unit_kerja: string;
  kedudukan_hukum: string;
}

export interface DocumentRow {
  sha256: string;
  source_sha256: string;
  original_name: string;
  size: number;
  source_size: number;
  page_count: number;
  source_kind: 'pdf' | 'jpeg' | 'png' | 'tiff';
  nip: string | null;
  type_code: string | null;
  nomor: string | null;
  tanggal: string | null;
  fields: string;
  notes: string;
  guess_nip: string | null;
  guess_type: string | null;
  state: 'draft' | 'ready';
  created_at: string;
  updated_at: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const capital = (s: string) => s[0].toUpperCase() + s.slice(1);
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

export class PeopleGenerator {
  readonly random: Random;
  readonly units = makeUnits();
  private readonly unitPick: Weighted<Unit>;
  private readonly maleGiven = Weighted.zipf(MALE_GIVEN, 0.9);
  private readonly femaleGiven = Weighted.zipf(FEMALE_GIVEN, 0.9);
  private readonly maleFamily = Weighted.zipf(MALE_FAMILY, 0.8);
  private readonly femaleFamily = Weighted.zipf(FEMALE_FAMILY, 0.8);
  private readonly nips = new Set<string>();

  constructor(seed: number) {
    this.random = new Random(seed);
    // Schools hold about half of a regency's ASN; offices are big, schools and puskesmas small.
    this.unitPick = new Weighted(this.units, this.units.map((u) => ({ office: 25, health: 8, district: 3, school: 2.2 })[u.kind]));
  }

  private syllableName(female: boolean): string {
    const r = this.random;
    let stem = '';
    for (let i = r.int(1, 2); i > 0; i--) stem += r.pick(SYLLABLES);
    return capital(stem + r.pick(female ? FEMALE_ENDINGS : MALE_ENDINGS));
  }

  name(female: boolean): string {
    const r = this.random;
    const given = () => (r.chance(0.35) ? this.syllableName(female) : (female ? this.femaleGiven : this.maleGiven).pick(r));
    const family = () => (r.chance(0.3) ? this.syllableName(female) : (female ? this.femaleFamily : this.maleFamily).pick(r));
    const shape = r.next();
    const parts = shape < 0.18 ? [given()] : shape < 0.72 ? [given(), family()] : [given(), given(), family()];
    if (parts.length > 1 && parts[0] === parts[1]) parts.splice(1, 1);
    let nama = parts.join(' ');
    if (r.chance(0.08)) nama = `${r.pick(FRONT_TITLES.filter((t) => (female ? t !== 'H.' && t !== 'Drs.' : t !== 'Hj.' && t !== 'Dra.')))} ${nama}`;
    if (r.chance(0.42)) nama = `${nama}, ${r.pick(BACK_TITLES)}`;
    return nama;
  }

  private nip(kind: EmployeeKind, birth: { y: number; m: number; d: number }, female: boolean): string {
    const r = this.random;
    for (;;) {
      const birthText = `${birth.y}${pad(birth.m)}${pad(birth.d)}`;
      let middle: string;
      if (kind === 'pns') {
        const y = Math.min(LATEST.y, birth.y + r.int(19, 34));
        middle = `${y}${pad(r.int(1, 12))}`;
      } else {
        middle = `${Math.min(LATEST.y, Math.max(2019, birth.y + r.int(19, 40)))}${pad(r.int(1, 3))}`;
      }
      const nip = `${birthText}${middle}${female ? 2 : 1}${pad(r.int(1, 999), 3)}`;
      if (this.nips.has(nip)) continue;
      const check = checkNip(nip, kind, LATEST);
      if (!check.ok) throw new Error(`generator made an invalid NIP ${nip}: ${JSON.stringify(check.problem)}`);
      this.nips.add(nip);
      return nip;
    }
  }

  employee(): EmployeeRow {
    const r = this.random;
    const female = r.chance(0.52);
    const kind: EmployeeKind = r.chance(0.15) ? 'pppk' : 'pns';
    const y = kind === 'pns' ? r.int(1962, 2000) : r.int(1970, 2001);
    const m = r.int(1, 12);
    const birth = { y, m, d: r.int(1, daysIn(y, m)) };
    const unit = this.unitPick.pick(r);
    const jabatan = unit.kind === 'school' ? r.pick(TEACHER_JABATAN) : unit.kind === 'health' ? r.pick(HEALTH_JABATAN) : r.pick(GENERAL_JABATAN);
    return {
      nip: this.nip(kind, birth, female),
      kind,
      nama: this.name(female),
      tempat_lahir: r.pick(BIRTHPLACES),
      tanggal_lahir: `${birth.y}-${pad(birth.m)}-${pad(birth.d)}`,
      golongan: kind === 'pns' ? r.pick(PNS_GOLONGAN) : r.pick(PPPK_GOLONGAN),
      jabatan,
      unit_kerja: unit.name,
      kedudukan_hukum: r.chance(0.95) ? '01' : r.pick(['02', '03', '20', '99']),
    };
  }
}

/** Document types and how often each turns up in a personnel folder. */
const TYPE_WEIGHTS: [string, number][] = [
  ['SK_PANGKAT', 18], ['SKP', 13], ['SK_CPNS', 7], ['SK_PNS', 7], ['SPMT', 6], ['DRH', 6], ['IJAZAH', 8], ['TRANSKRIP', 5],
  ['SK_JABATAN', 7], ['PELANTIKAN', 3], ['DIKLAT', 5], ['KURSUS', 2], ['PENGHARGAAN', 2], ['EVALUASI_KINERJA', 3], ['SK_PAK', 2],
  ['DOK_PAK', 1.5], ['D2NP', 1.5], ['SK_HUKDIS', 0.2], ['SK_PINDAH_INSTANSI', 0.5], ['SK_CLTN', 0.1], ['SK_PEMBERHENTIAN', 0.3], ['SK_PMK', 0.4],
];
const SK_CODES = ['800', '800', '800', '800.1.2.2', '800.1.6.3', '813.2', '813.3', '821.2', '821.13', '822.4', '823.3', '823.3', '824.2', '882'];
const SK_ISSUERS = ['BKD', 'BKD', 'BKPSDM', 'BKPSDM', 'BKPP', 'SETDA', 'DISDIK', 'KEP'];
const NOTES = [
  'asli dilegalisir', 'fotokopi dilegalisir', 'halaman 2 buram, scan ulang', 'lampiran tidak lengkap', 'berkas dari map lama',
  'tanda tangan kurang jelas', 'cap basah', 'salinan sesuai aslinya', 'dokumen rusak sebagian', 'perlu verifikasi ke BKN',
  'nomor SK tidak terbaca', 'dua lembar digabung', 'warna pudar', 'ralat SK terlampir',
];

export class DocumentGenerator {
  private readonly types = new Weighted(TYPE_WEIGHTS.map(([code]) => code), TYPE_WEIGHTS.map(([, w]) => w));
  private serial = 0;
  private readonly created = Date.UTC(2025, 0, 6);

  constructor(
    private readonly random: Random,
    private readonly seed: number,
  ) {}

  /** How many scans an employee's folder holds: mean about `mean`, at least one. */
  folderSize(mean: number): number {
    // Geometric-ish around the mean: a few thick folders, many thin ones.
    return Math.max(1, Math.min(40, Math.round(-Math.log(1 - this.random.next()) * mean + 0.5)));
  }

  nomor(type: string, year: number): string | null {
    const r = this.random;
    if (type.startsWith('SK_') || type === 'SPMT' || type === 'PELANTIKAN' || type === 'D2NP') {
      const n = r.chance(0.7) ? r.int(1, 9999) : r.int(1, 999);
      const code = r.pick(SK_CODES);
      const issuer = r.pick(SK_ISSUERS);
      const shape = r.next();
      if (shape < 0.72) return `${code}/${n}/${issuer}/${year}`;
      if (shape < 0.88) return `${code}/${issuer}-${pad(n, 3)}/${year}`;
      return `${issuer}.${n}/KP/${year}`;
    }
    if (type === 'IJAZAH') return r.chance(0.6) ? `DN-${pad(r.int(1, 34))} Ma ${pad(r.int(1, 9999999), 7)}` : `${r.int(100, 99999)}/UN${r.int(1, 60)}/${year}`;
    if (type === 'DIKLAT' || type === 'KURSUS') return `${r.int(1, 999)}/${r.pick(['DIKLAT', 'BPSDM', 'LAN', 'PUSDIKLAT'])}/${year}`;
    if (type === 'PENGHARGAAN') return `${r.int(1, 200)}/TK/${year}`;
    if (type === 'DOK_PAK') return `${r.int(1, 999)}/PAK/${year}`;
    return null;
  }

  private originalName(kind: DocumentRow['source_kind'], nip: string | null, type: string | null): string {
    const r = this.random;
    const ext = { pdf: 'pdf', jpeg: r.chance(0.8) ? 'jpg' : 'jpeg', png: 'png', tiff: 'tif' }[kind];
    const shape = r.next();
    if (nip && type && shape < 0.25) return `${nip}_${type}.${ext}`;
    if (shape < 0.55) return `scan${pad(r.int(1, 9999), 4)}.${ext}`;
    if (shape < 0.75) return `IMG_2025${pad(r.int(1, 12))}${pad(r.int(1, 28))}_${pad(r.int(0, 235959), 6)}.${ext}`;
    if (shape < 0.9) return `Dokumen ${r.int(1, 400)}.${ext}`;
    return `${r.pick(['SCN', 'DOC', 'Pindai'])}_${pad(r.int(1, 99999), 5)}.${ext}`;
  }

  document(employee: EmployeeRow | null): DocumentRow {
    const r = this.random;
    this.serial++;
    const sha = createHash('sha256').update(`${this.seed}:${this.serial}`).digest('hex');
    const source_kind = r.next() < 0.75 ? 'pdf' : r.chance(0.85) ? 'jpeg' : r.chance(0.5) ? 'tiff' : 'png';
    const page_count = source_kind === 'pdf' ? (r.chance(0.5) ? 1 : r.int(2, 8)) : 1;
    const size = page_count * r.int(120_000, 900_000);
    const at = new Date(this.created + this.serial * 25_000).toISOString();
    // Unlabelled scans (employee null) are still drafts with what the file name suggested.
    const labelled = employee !== null;
    const type = labelled ? this.types.pick(r) : null;
    const birthYear = employee ? Number(employee.nip.slice(0, 4)) : 1980;
    const year = Math.min(2025, birthYear + r.int(20, 45));
    const nomor = type ? this.nomor(type, year) : null;
    const tanggal = type && r.chance(0.9) ? `${year}-${pad(r.int(1, 12))}-${pad(r.int(1, 28))}` : null;
    const fields: Record<string, string> = {};
    if (nomor) fields.nomor = nomor;
    if (tanggal) fields.tanggal = tanggal;
    const name = this.originalName(source_kind, employee?.nip ?? null, type);
    return {
      sha256: sha,
      source_sha256: sha,
      original_name: name,
      size,
      source_size: size + r.int(0, 50_000),
      page_count,
      source_kind,
      nip: employee?.nip ?? null,
      type_code: type,
      nomor,
      tanggal,
      fields: JSON.stringify(fields),
      notes: r.chance(0.12) ? r.pick(NOTES) : '',
      guess_nip: name.startsWith('19') || name.startsWith('20') ? name.slice(0, 18) : null,
      guess_type: null,
      state: labelled ? 'ready' : 'draft',
      created_at: at,
      updated_at: at,
    };
  }
}
