// The tenants, their users and devices, and the server's own keys.
export default [
  `create table instansi (
    id text primary key check (id ~ '^[A-Za-z0-9]{1,16}$'),
    name text not null,
    created_at timestamptz not null default now()
  )`,
  // One account per NIP across the server: a civil servant belongs to one instansi at a time.
  `create table users (
    id bigserial primary key,
    instansi_id text not null references instansi (id),
    nip text not null unique,
    name text not null,
    email text,
    role text not null check (role in ('clerk', 'verifier', 'admin')),
    status text not null default 'pending' check (status in ('pending', 'active', 'disabled')),
    password_hash text,
    totp_secret text,
    totp_last_step bigint,
    failed_attempts int not null default 0,
    lock_count int not null default 0,
    locked_until timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  'create index users_instansi on users (instansi_id)',
  // A workstation registered to one instansi. Revoking it ends every token it holds.
  `create table devices (
    id uuid primary key,
    instansi_id text not null references instansi (id),
    name text not null,
    registered_by bigint references users (id),
    created_at timestamptz not null default now(),
    last_seen_at timestamptz,
    revoked_at timestamptz
  )`,
  'create index devices_instansi on devices (instansi_id)',
  // Secrets every node must share (the access-token signing key), made once by whichever
  // node migrates first.
  `create table server_keys (
    name text primary key,
    secret text not null,
    created_at timestamptz not null default now()
  )`,
];
