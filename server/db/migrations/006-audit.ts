// audit: the audit entries workstations send, per device, append-only, with each device's
// chain tail. Owned by server/audit/.
export default [
  `create table audit_chains (
    device_id uuid primary key references devices (id),
    instansi_id text not null references instansi (id),
    last_id bigint not null,
    last_hash text not null,
    updated_at timestamptz not null
  )`,
  // Stored as sent (at as text, detail as JSON text): the hash covers these exact strings.
  `create table audit_entries (
    device_id uuid not null references devices (id),
    id bigint not null,
    instansi_id text not null references instansi (id),
    at text not null,
    actor text not null,
    action text not null,
    document_id bigint,
    nip text,
    detail text not null,
    prev_hash text not null,
    hash text not null,
    change_xid xid8 not null,
    change_seq bigint not null,
    received_at timestamptz not null,
    received_by bigint not null references users (id),
    primary key (device_id, id)
  )`,
  'create index audit_entries_changes on audit_entries (instansi_id, change_xid, change_seq)',
  // Append-only in the database too, so a bug or a hand-run statement cannot rewrite history.
  `create function audit_entries_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_entries is append-only';
    end
  $$`,
  `create trigger audit_entries_no_change before update or delete on audit_entries
    for each row execute function audit_entries_append_only()`,
];
