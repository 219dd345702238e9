// auth: the state of logins, activation and rate limits, owned by server/auth/ and
// server/http/rate-limit.ts. Every secret a client holds (refresh tokens, e-mailed codes,
// recovery codes) is stored only as a keyed hash (server/auth/secrets.ts).
export default [
  // A TOTP secret scanned but not yet confirmed with a code; it becomes totp_secret at activation.
  'alter table users add column totp_pending_secret text',
  // Wrong passwords for NIPs without an account lock the same way as for real ones, so a
  // lockout does not tell which NIPs have an account.
  `create table login_throttle (
    nip text primary key,
    failed_attempts int not null default 0,
    lock_count int not null default 0,
    locked_until timestamptz,
    updated_at timestamptz not null
  )`,
  // One login on one device: every refresh token it leads to belongs to it, and revoking it
  // (logout, a replayed token, a revoked device, a new password) ends them all.
  `create table refresh_families (
    id uuid primary key,
    user_id bigint not null references users (id),
    device_id uuid not null references devices (id),
    created_at timestamptz not null,
    revoked_at timestamptz,
    revoked_reason text check (revoked_reason in ('logout', 'replayed', 'device_revoked', 'password_reset'))
  )`,
  'create index refresh_families_user on refresh_families (user_id) where revoked_at is null',
  'create index refresh_families_device on refresh_families (device_id) where revoked_at is null',
  `create table refresh_tokens (
    token_hash text primary key,
    family_id uuid not null references refresh_families (id) on delete cascade,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    used_at timestamptz
  )`,
  'create index refresh_tokens_family on refresh_tokens (family_id)',
  'create index refresh_tokens_expiry on refresh_tokens (expires_at)',
  `create table recovery_codes (
    user_id bigint not null references users (id),
    code_hash text not null,
    created_at timestamptz not null,
    used_at timestamptz,
    primary key (user_id, code_hash)
  )`,
  // At most one live code per account: a new request replaces the old code.
  `create table reset_codes (
    user_id bigint primary key references users (id),
    code_hash text not null,
    expires_at timestamptz not null,
    attempts int not null default 0,
    created_at timestamptz not null
  )`,
  // Fixed-window request counters, one row per key (route and client address, or route
  // and NIP), shared by every node.
  `create table rate_limits (
    key text primary key,
    window_start timestamptz not null,
    hits int not null
  )`,
  'create index rate_limits_window on rate_limits (window_start)',
];
