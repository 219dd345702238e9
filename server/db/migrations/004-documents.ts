// documents: one row per committed document, owned by server/documents/. The idempotency
// key is unique per instansi, so a retried commit (even two at once) finds the first row
// instead of making a second. (change_xid, change_seq) place a row in the instansi's change
// feed; server/reference/feed.ts says why a sequence alone would not do.
export default [
  // Change numbers of every feed (documents, employees, document types, audit entries).
  'create sequence change_seq',
  `create table documents (
    id uuid primary key,
    instansi_id text not null references instansi (id),
    idempotency_key text not null,
    -- SHA-256 of the commit request as first made: the same key with other content is a conflict.
    commit_hash text not null,
    upload_id text not null,
    nip text not null,
    type_code text not null,
    fields jsonb not null,
    file_name text not null,
    content_type text not null,
    sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    size bigint not null check (size >= 0),
    blob_key text not null,
    version int not null default 1 check (version >= 1),
    deleted boolean not null default false,
    change_xid xid8 not null,
    change_seq bigint not null,
    created_by bigint not null references users (id),
    created_device uuid not null references devices (id),
    updated_by bigint not null references users (id),
    updated_device uuid not null references devices (id),
    created_at timestamptz not null,
    updated_at timestamptz not null,
    unique (instansi_id, idempotency_key)
  )`,
  'create index documents_changes on documents (instansi_id, change_xid, change_seq)',
  'create index documents_nip on documents (instansi_id, nip)',
];
