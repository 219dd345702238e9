// The central server's session of each account activated online (main/core/auth/activation.ts):
// the server's address, this workstation's device id there, the instansi and the refresh
// token, sealed together by the profile's secret store, so the token is never in plain text
// even inside the encrypted database. One row per local account; it goes with the account.
export const name = 'server-sessions';

export const sql = /* sql */ `
CREATE TABLE server_sessions (
  user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  -- AES-256-GCM sealed JSON (context lemari:server-session:<user id>).
  session_enc BLOB NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`;
