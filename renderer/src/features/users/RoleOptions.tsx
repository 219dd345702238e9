// The roles as <option>s of a role <select>, in the user's language: the same three roles
// for local accounts (Pengguna) and the central server's (Akun di server pusat).
import { ROLES } from '../../../../common/contract';
import { useT } from '../../shared/i18n';

export function RoleOptions() {
  const tr = useT();
  return (
    <>
      {ROLES.map((each) => (
        <option key={each} value={each}>
          {tr(`role.${each}`)}
        </option>
      ))}
    </>
  );
}
