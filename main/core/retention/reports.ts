// The retention documents as ReportDocs (main/infra/reports renders them): the Berita
// Acara Pemusnahan Arsip with its Daftar Arsip yang Dimusnahkan, the Daftar Arsip Statis
// handed to the archival institution, and the Berita Acara Alih Media of a digitized
// batch. Forms follow the ones seen in practice (../shared/DOMAIN.md): number, day, date
// and place, a table of the archives, and places for signatures. They are official
// documents, written in Indonesian whatever language the UI is in.

import type { ReferenceData } from '../../../common/doctypes';
import { t, type MessageKey, type MessageParams } from '../../../common/i18n';
import type { ProposalDetail } from '../../../common/retention';
import type { ReportDoc } from '../../infra/reports/types';

export type ReportText = (key: MessageKey, params?: MessageParams) => string;

export const reportText: ReportText = (key, params) => t('id', key, params);

const DAYS = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'];
const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

/** "24 November 2026" from a Date (local day) or an ISO date. */
export function longDate(at: Date | string): string {
  const date = typeof at === 'string' ? new Date(`${at.slice(0, 10)}T00:00:00`) : at;
  return `${date.getDate()} ${MONTHS[date.getMonth()]} ${date.getFullYear()}`;
}

function typeName(reference: Pick<ReferenceData, 'documentTypes'>, code: string | null): string {
  return reference.documentTypes.find((type) => type.code === code)?.name.id ?? code ?? '-';
}

interface Person {
  nip: string;
  nama: string;
}

function frame(text: ReportText, agency: string, at: Date, place: string): Pick<ReportDoc, 'agency' | 'generatedAt' | 'pageLabel' | 'placeDate'> {
  return { agency, generatedAt: at, pageLabel: (page, pages) => text('retention.report.page', { page, pages }), placeDate: `${place}, ${longDate(at)}` };
}

export function disposalReport(
  text: ReportText,
  input: { proposal: ProposalDetail; number: string; agency: string; place: string; at: Date; executor: Person; approver: Person | null; reference: Pick<ReferenceData, 'documentTypes'> },
): ReportDoc {
  const { proposal, at } = input;
  const musnah = proposal.kind === 'musnah';
  const pages = proposal.items.reduce((sum, item) => sum + item.pages, 0);
  const folders = new Set(proposal.items.map((item) => item.nip)).size;
  const params = {
    day: DAYS[at.getDay()],
    date: longDate(at),
    place: input.place,
    agency: input.agency,
    count: proposal.items.length,
    folders,
    proposal: proposal.number,
    approver: input.approver ? `${input.approver.nama} (NIP ${input.approver.nip})` : '-',
    approvedOn: proposal.approved ? longDate(proposal.approved.at) : '-',
  };
  return {
    ...frame(text, input.agency, at, input.place),
    title: text(musnah ? 'retention.report.musnah_title' : 'retention.report.statis_title'),
    subtitle: text('retention.report.number', { number: input.number }),
    facts: [
      [text('retention.report.proposal'), proposal.number],
      [text('retention.report.approved'), `${params.approver}, ${params.approvedOn}`],
      [text('retention.report.count'), text('retention.report.count_value', { count: proposal.items.length, folders, pages })],
    ],
    paragraphs: [text(musnah ? 'retention.report.musnah_body' : 'retention.report.statis_body', params)],
    tables: [
      {
        title: text(musnah ? 'retention.report.musnah_list' : 'retention.report.statis_list'),
        columns: ['No', 'NIP', text('retention.report.col_nama'), text('retention.report.col_jenis'), text('retention.report.col_nomor'), text('retention.report.col_kurun'), text('retention.report.col_jumlah'), text('retention.report.col_retensi'), 'SHA-256'],
        widths: [3, 15, 11, 10, 10, 9, 7, 9, 16],
        rows: proposal.items.map((item, index) => [index + 1, item.nip, item.nama, typeName(input.reference, item.typeCode), item.nomor ?? '-', item.tanggal ?? '-', item.pages, item.dueOn, item.sha256]),
      },
    ],
    signatures: musnah
      ? [
          { role: text('retention.report.sign_executor'), name: input.executor.nama, nip: input.executor.nip },
          { role: text('retention.report.sign_approver'), name: input.approver?.nama, nip: input.approver?.nip },
          { role: text('retention.report.sign_witness') },
        ]
      : [
          { role: text('retention.report.sign_giver'), name: input.executor.nama, nip: input.executor.nip },
          { role: text('retention.report.sign_receiver') },
        ],
  };
}

/**
 * The Daftar Arsip Usul Musnah (or the list of archives proposed statis) as it stands, to be
 * checked and signed on paper by the proposer, the appraisal panel and the approver: every
 * listed archive with its retention, and who proposed, recommended and approved it so far.
 */
export function proposalReport(
  text: ReportText,
  input: { proposal: ProposalDetail; agency: string; place: string | null; at: Date; names: (nip: string) => string; reference: Pick<ReferenceData, 'documentTypes'> },
): ReportDoc {
  const { proposal, at, names } = input;
  const musnah = proposal.kind === 'musnah';
  const pages = proposal.items.reduce((sum, item) => sum + item.pages, 0);
  const folders = new Set(proposal.items.map((item) => item.nip)).size;
  const who = (step: { by: string; at: string } | null) => (step ? `${names(step.by)} (NIP ${step.by}), ${longDate(step.at)}` : '-');
  const person = (step: { by: string } | null) => (step ? { name: names(step.by), nip: step.by } : {});
  return {
    agency: input.agency,
    generatedAt: at,
    pageLabel: (page, pages) => text('retention.report.page', { page, pages }),
    placeDate: input.place ? `${input.place}, ${longDate(at)}` : longDate(at),
    title: text(musnah ? 'retention.report.proposal_musnah_title' : 'retention.report.proposal_statis_title'),
    subtitle: text('retention.report.number', { number: proposal.number }),
    facts: [
      [text('retention.report.state'), text(`retention.state.${proposal.state}`)],
      [text('retention.report.proposed_by'), who({ by: proposal.createdBy, at: proposal.createdAt })],
      [text('retention.report.recommended_by'), who(proposal.recommended)],
      [text('retention.report.approved'), who(proposal.approved)],
      ...(proposal.rejected ? [[text('retention.report.rejected_by'), `${who(proposal.rejected)}: ${proposal.rejected.note}`] as [string, string]] : []),
      [text('retention.report.count'), text('retention.report.count_value', { count: proposal.items.length, folders, pages })],
    ],
    tables: [
      {
        title: text(musnah ? 'retention.report.proposal_musnah_list' : 'retention.report.proposal_statis_list'),
        columns: ['No', 'NIP', text('retention.report.col_nama'), text('retention.report.col_jenis'), text('retention.report.col_nomor'), text('retention.report.col_kurun'), text('retention.report.col_jumlah'), text('retention.report.col_retensi'), 'SHA-256'],
        widths: [3, 15, 11, 10, 10, 9, 7, 9, 16],
        rows: proposal.items.map((item, index) => [index + 1, item.nip, item.nama, typeName(input.reference, item.typeCode), item.nomor ?? '-', item.tanggal ?? '-', item.pages, item.dueOn, item.sha256]),
      },
    ],
    signatures: [
      { role: text('retention.report.sign_proposer'), ...person({ by: proposal.createdBy }) },
      { role: text('retention.report.sign_panel'), ...person(proposal.recommended) },
      { role: text('retention.report.sign_approver'), ...person(proposal.approved) },
    ],
  };
}

/** A document of a Berita Acara Alih Media: labelled with its folder's NIP, and who imported it (null when no entry says). */
export interface AlihMediaDocument {
  nip: string;
  nama: string | null;
  type_code: string | null;
  nomor: string | null;
  page_count: number;
  sha256: string;
  created_at: string;
  operator: Person | null;
}

const personText = (person: Person) => (person.nama === person.nip ? `NIP ${person.nip}` : `${person.nama} (NIP ${person.nip})`);

export function alihMediaReport(
  text: ReportText,
  input: {
    number: string;
    agency: string;
    place: string;
    from: string;
    to: string;
    at: Date;
    /** Who drew up the report (and signs it). */
    drawnUpBy: Person;
    documents: AlihMediaDocument[];
    /** Scans of the period without a NIP: in no folder, so not listed. */
    unlabelled: number;
    reference: Pick<ReferenceData, 'documentTypes'>;
  },
): ReportDoc {
  const { documents, at } = input;
  const folders = new Set(documents.map((doc) => doc.nip)).size;
  const pages = documents.reduce((sum, doc) => sum + doc.page_count, 0);
  const period = `${longDate(input.from)} s.d. ${longDate(input.to)}`;
  // The digitizing operators, in the order they first appear, each with their documents.
  const operators = new Map<string, { person: Person | null; count: number }>();
  for (const doc of documents) {
    const key = doc.operator?.nip ?? '';
    const seen = operators.get(key) ?? { person: doc.operator, count: 0 };
    seen.count++;
    operators.set(key, seen);
  }
  const operatorList = [...operators.values()].map(({ person, count }) => text('retention.report.operator_count', { operator: person ? personText(person) : text('retention.report.operator_unknown'), count })).join('; ');
  return {
    ...frame(text, input.agency, at, input.place),
    title: text('retention.report.alih_title'),
    subtitle: text('retention.report.number', { number: input.number }),
    facts: [
      [text('retention.report.drawn_up_by'), personText(input.drawnUpBy)],
      [text('retention.report.period'), period],
      [text('retention.report.count'), text('retention.report.count_value', { count: documents.length, folders, pages })],
      [text('retention.report.operators'), operatorList],
      ...(input.unlabelled > 0 ? [[text('retention.report.unlabelled'), text('retention.report.unlabelled_value', { count: input.unlabelled })] as [string, string]] : []),
    ],
    paragraphs: [text('retention.report.alih_body', { day: DAYS[at.getDay()], date: longDate(at), place: input.place, agency: input.agency, period, count: documents.length, folders, pages })],
    tables: [
      {
        title: text('retention.report.alih_list'),
        columns: ['No', text('retention.report.col_nomor_arsip'), text('retention.report.col_nama_arsip'), text('retention.report.col_digitized'), text('retention.report.col_jumlah'), text('retention.report.col_operator'), 'SHA-256'],
        widths: [3, 8, 18, 8, 6, 15, 18],
        rows: documents.map((doc, index) => [
          index + 1,
          doc.nomor ?? '-',
          `${typeName(input.reference, doc.type_code)} - ${doc.nama ?? '-'} (${doc.nip})`,
          doc.created_at.slice(0, 10),
          doc.page_count,
          doc.operator ? personText(doc.operator) : '-',
          doc.sha256,
        ]),
      },
    ],
    signatures: [{ role: text('retention.report.sign_drawn_up'), name: input.drawnUpBy.nama, nip: input.drawnUpBy.nip }, { role: text('retention.report.sign_knowing') }],
  };
}
