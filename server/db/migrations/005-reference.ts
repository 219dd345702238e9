// reference: the employees and document types of each instansi, each a change feed
// (server/reference/feed.ts). Owned by server/reference/.
export default [
  `create table employees (
    instansi_id text not null references instansi (id),
    nip text not null check (nip ~ '^[0-9]{18}$'),
    kind text not null check (kind in ('pns', 'pppk')),
    nama text not null,
    tempat_lahir text,
    tanggal_lahir text,
    golongan text,
    jabatan text,
    unit_kerja text,
    kedudukan_hukum text,
    change_xid xid8 not null,
    change_seq bigint not null,
    updated_at timestamptz not null,
    updated_by bigint references users (id),
    primary key (instansi_id, nip)
  )`,
  'create index employees_changes on employees (instansi_id, change_xid, change_seq)',
  // The shipped types (resources/reference-data.json) are copied in per instansi, so one feed
  // carries them and the admin's own; `custom` rows are the admin's and a newer shipped list
  // never overwrites them.
  `create table document_types (
    instansi_id text not null references instansi (id),
    code text not null,
    definition jsonb not null,
    custom boolean not null default false,
    change_xid xid8 not null,
    change_seq bigint not null,
    updated_at timestamptz not null,
    updated_by bigint references users (id),
    primary key (instansi_id, code)
  )`,
  'create index document_types_changes on document_types (instansi_id, change_xid, change_seq)',
];
