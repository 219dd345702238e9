// uploads: one row per tus upload. Owned by server/uploads/. A row becomes `complete`
// only after the server has hashed the received bytes and found the declared SHA-256; its
// bytes then live in the blob store under `blob_key`, and documents.commit refers to it.
export default [
  `create table uploads (
    id text primary key,
    instansi_id text not null references instansi (id),
    device_id uuid not null references devices (id),
    user_id bigint not null references users (id),
    file_name text not null,
    declared_sha256 text not null check (declared_sha256 ~ '^[0-9a-f]{64}$'),
    size bigint not null check (size >= 0),
    status text not null default 'receiving' check (status in ('receiving', 'complete', 'rejected', 'expired')),
    blob_key text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    completed_at timestamptz
  )`,
  'create index uploads_instansi on uploads (instansi_id)',
  "create index uploads_stale on uploads (updated_at) where status = 'receiving'",
];
