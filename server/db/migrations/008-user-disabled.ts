// An admin can disable an account (users.update): its refresh-token families are revoked
// with their own reason, so a log or an audit query tells a disabled holder from a logout.
const statements: readonly string[] = [
  'alter table refresh_families drop constraint refresh_families_revoked_reason_check',
  `alter table refresh_families add constraint refresh_families_revoked_reason_check
     check (revoked_reason in ('logout', 'replayed', 'device_revoked', 'password_reset', 'user_disabled'))`,
];
export default statements;
