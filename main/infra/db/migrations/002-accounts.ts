// Local accounts for the offline login: users with their argon2id password hash and their
// TOTP secret sealed by the profile's secret store, the hashed single-use recovery codes,
// and the failure counters for login names that have no account (so a lockout looks the
// same whether or not the NIP exists).
export const name = 'accounts';

export const sql = /* sql */ `
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  nip TEXT NOT NULL UNIQUE CHECK (length(nip) = 18 AND nip NOT GLOB '*[^0-9]*'),
  nama TEXT NOT NULL CHECK (length(trim(nama)) > 0),
  email TEXT,
  role TEXT NOT NULL CHECK (role IN ('clerk', 'verifier', 'admin')),
  password_hash TEXT NOT NULL,
  password_changed_at TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
  -- AES-256-GCM sealed (see main/infra/secrets); null until enrolment is confirmed.
  totp_secret_enc BLOB,
  -- The secret shown during enrolment, until a correct code confirms it.
  totp_pending_enc BLOB,
  -- The last accepted TOTP time step: a code of this step or earlier is a replay.
  totp_last_step INTEGER,
  failed_count INTEGER NOT NULL DEFAULT 0,
  -- Epoch milliseconds; null or past = not locked.
  locked_until INTEGER,
  -- Locks since the last successful login: each one lasts longer.
  lock_count INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  last_login_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX users_role ON users (role, disabled);

CREATE TABLE recovery_codes (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  salt BLOB NOT NULL,
  code_hash BLOB NOT NULL,
  used_at TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id, used_at);

CREATE TABLE login_throttle (
  nip TEXT PRIMARY KEY,
  failed_count INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER,
  lock_count INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
`;
