// The accounts of an instansi, managed by its admin: list them, make one for a clerk or a
// verifier (the activation code goes to the new user's e-mail, never to the admin), change
// a role, and disable an account the moment its holder leaves (every token it holds stops
// at once) or enable it again. An admin cannot change their own account: the last admin of
// an instansi can never lock everyone out by accident.
import { z } from 'zod';
import { NipText } from './auth';
import { routes } from './route';

const IsoTime = z.string();
const RoleText = z.enum(['clerk', 'verifier', 'admin']);

export const Account = z.object({
  nip: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  role: RoleText,
  /** `pending` until the holder set a password and activated an authenticator. */
  status: z.enum(['pending', 'active', 'disabled']),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type Account = z.infer<typeof Account>;

export const CreateAccountInput = z.strictObject({
  nip: NipText,
  name: z.string().min(1).max(200),
  email: z.string().min(1).max(254),
  role: RoleText,
});
export type CreateAccountInput = z.input<typeof CreateAccountInput>;

export const UpdateAccountInput = z
  .strictObject({
    name: z.string().min(1).max(200).optional(),
    email: z.string().min(1).max(254).optional(),
    role: RoleText.optional(),
    /** `disabled` ends every session of the account at once; `active` enables it again (pending if it was never activated). */
    status: z.enum(['active', 'disabled']).optional(),
  })
  .refine((input) => Object.keys(input).length > 0, 'an update changes at least one field');
export type UpdateAccountInput = z.input<typeof UpdateAccountInput>;

const AccountNip = z.strictObject({ nip: NipText });

export const userRoutes = routes({
  'users.list': {
    method: 'GET',
    path: '/v1/users',
    summary: 'The accounts of the caller\'s instansi, disabled ones included, by NIP.',
    tag: 'users',
    access: 'admin',
    response: z.object({ users: z.array(Account) }),
  },
  'users.create': {
    method: 'POST',
    path: '/v1/users',
    summary:
      'Makes a pending account in the caller\'s instansi and e-mails its holder a one-time activation code (valid 72 hours): the holder sets a password with auth.confirmReset, then enrols an authenticator. The code is never answered to the admin. A NIP that has an account already (in any instansi) is a conflict.',
    tag: 'users',
    access: 'admin',
    body: CreateAccountInput,
    response: z.object({ user: Account, activationCodeExpiresAt: IsoTime }),
    status: 201,
  },
  'users.update': {
    method: 'PATCH',
    path: '/v1/users/:nip',
    summary:
      'Changes an account of the caller\'s instansi: name, e-mail, role, or status. Disabling revokes every refresh token of the account and its access tokens stop working at once. An admin cannot change their own account.',
    tag: 'users',
    access: 'admin',
    params: AccountNip,
    body: UpdateAccountInput,
    response: z.object({ user: Account }),
  },
});
