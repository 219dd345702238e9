// A spent refresh token remembers the token it was exchanged for, so that an exchange whose
// answer was lost (the link dropped after the server committed it, or the workstation died
// before storing the new token) can be repeated once the successor is known never to have
// been used (server/auth/sessions.ts).
const statements: readonly string[] = ['alter table refresh_tokens add column replaced_by text'];
export default statements;
