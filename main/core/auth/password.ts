// Passwords on the workstation: the shared policy and argon2id settings of common/auth,
// hashed through the native binding, and the policy's messages in the user's language.

import { hash, parseOptions, verify } from '@node-rs/argon2';
import { passwordHasher, type PasswordProblem } from '../../../common/auth/password';
import type { Translate } from '../ports';

export {
  ARGON2_PARAMS,
  normalizePassword,
  PASSWORD_MAX,
  PASSWORD_MIN,
  passwordLength,
  passwordProblem,
  type Argon2Params,
  type PasswordContext,
  type PasswordProblem,
} from '../../../common/auth/password';

export const { hash: hashPassword, verify: verifyPassword, needsRehash } = passwordHasher({ hash, verify, parseOptions });

export function passwordProblemMessage(problem: PasswordProblem, translate: Translate): string {
  switch (problem.reason) {
    case 'too_short':
      return translate('auth.password_too_short', { min: problem.min });
    case 'too_long':
      return translate('auth.password_too_long', { max: problem.max });
    case 'unchanged':
      return translate('auth.password_unchanged');
    case 'personal':
      return translate('auth.password_personal');
    case 'common':
      return translate('auth.password_common');
    case 'guessable':
      return translate('auth.password_guessable');
  }
}
