// Authentication, activation and devices. A login is two calls: NIP + password give a
// short-lived step token, which with a TOTP code (or a recovery code) gives a session: a
// short-lived access token and an opaque refresh token that rotates on every use. A new
// account is activated with a code sent by e-mail (reset/request, reset/confirm with a
// new password), then enrols an authenticator (mfa/enrol, mfa/activate). The workstation
// registers as a device of the user's instansi at login; an admin lists and revokes them.
// Every route here is rate limited per client address and per NIP (429 rate_limited with
// Retry-After); wrong passwords and codes lock the account for a growing delay
// (423 account_locked with Retry-After).
import { z } from 'zod';
import { routes } from './route';

/** 18 digits, as the workstation normalizes it (no spaces). */
export const NipText = z.string().regex(/^\d{18}$/, 'a NIP is 18 digits');
/** Bounded so nobody makes the server hash megabytes; the policy (8-128 characters) is checked by the handler. */
const PasswordText = z.string().min(1).max(1024);
const TokenText = z.string().min(1).max(4096);
const CodeText = z.string().min(1).max(64);
const IsoTime = z.string();

export const LoginInput = z
  .strictObject({
    nip: NipText,
    password: PasswordText,
    /** A device of the user's instansi this workstation registered before. */
    deviceId: z.uuid().optional(),
    /** Registers this workstation as a new device at the end of the login (e.g. "PC Arsip 2"). */
    deviceName: z.string().trim().min(1).max(100).optional(),
  })
  .refine((input) => (input.deviceId === undefined) !== (input.deviceName === undefined), 'give exactly one of deviceId and deviceName');
export type LoginInput = z.input<typeof LoginInput>;

/**
 * `totp`: send the step token with a code to auth.completeLogin. `enrol`: the account has no
 * authenticator yet; the step token opens auth.enrolMfa and auth.activateMfa.
 */
export const StepAnswer = z.object({
  next: z.enum(['totp', 'enrol']),
  stepToken: z.string(),
  expiresAt: IsoTime,
});
export type StepAnswer = z.infer<typeof StepAnswer>;

export const TotpInput = z
  .strictObject({
    stepToken: TokenText,
    /** The 6 digits the authenticator app shows. */
    code: CodeText.optional(),
    /** One of the recovery codes given at enrolment, for a lost phone; used up. */
    recoveryCode: CodeText.optional(),
  })
  .refine((input) => (input.code === undefined) !== (input.recoveryCode === undefined), 'give exactly one of code and recoveryCode');
export type TotpInput = z.input<typeof TotpInput>;

export const UserProfile = z.object({
  nip: z.string(),
  name: z.string(),
  role: z.enum(['clerk', 'verifier', 'admin']),
  instansi: z.object({ id: z.string(), name: z.string() }),
});
export type UserProfile = z.infer<typeof UserProfile>;

export const Session = z.object({
  /** Bearer token for every other route; short-lived: refresh before `accessTokenExpiresAt`. */
  accessToken: z.string(),
  accessTokenExpiresAt: IsoTime,
  /** Opaque, single use: each refresh answers a new one and the old one is spent. */
  refreshToken: z.string(),
  refreshTokenExpiresAt: IsoTime,
  /** This workstation's device id: keep it and send it as deviceId at the next login. */
  deviceId: z.uuid(),
  user: UserProfile,
});
export type Session = z.infer<typeof Session>;

export const RefreshInput = z.strictObject({ refreshToken: TokenText });

export const ResetRequestInput = z.strictObject({ nip: NipText, email: z.string().min(1).max(254) });

export const ResetConfirmInput = z.strictObject({
  nip: NipText,
  /** The code from the e-mail (or from `lemari-server admin create`). */
  code: CodeText,
  newPassword: PasswordText,
});

/** `login`: log in with the new password. `enrol`: set up the authenticator first with the step token. */
export const ResetConfirmAnswer = z.object({
  next: z.enum(['login', 'enrol']),
  stepToken: z.string().optional(),
  expiresAt: IsoTime.optional(),
});

export const MfaEnrolInput = z.strictObject({ stepToken: TokenText });

export const MfaEnrolment = z.object({
  /** otpauth://totp/Lemari:<NIP>?secret=...&issuer=Lemari, to show as a QR code. */
  otpauthUri: z.string(),
  /** The same secret in base32, for typing into an app by hand. */
  secret: z.string(),
});

export const MfaActivateInput = z.strictObject({ stepToken: TokenText, code: CodeText });

export const MfaActivated = z.object({
  /** Shown once: ten single-use codes for logging in without the phone. */
  recoveryCodes: z.array(z.string()),
});

export const Device = z.object({
  id: z.uuid(),
  name: z.string(),
  registeredBy: z.object({ nip: z.string(), name: z.string() }).nullable(),
  createdAt: IsoTime,
  lastSeenAt: IsoTime.nullable(),
  revokedAt: IsoTime.nullable(),
});
export type Device = z.infer<typeof Device>;

export const authRoutes = routes({
  'auth.login': {
    method: 'POST',
    path: '/v1/auth/login',
    summary:
      'Login step 1: NIP and password, and the device (deviceId of a device registered before, or deviceName to register one). Answers a step token for auth.completeLogin, or for enrolment when the account has no authenticator yet. Wrong credentials and unknown NIPs answer alike (invalid_credentials).',
    tag: 'auth',
    access: 'public',
    body: LoginInput,
    response: StepAnswer,
  },
  'auth.completeLogin': {
    method: 'POST',
    path: '/v1/auth/login/totp',
    summary:
      'Login step 2: the step token and a TOTP code (RFC 6238, 30 s, one step of drift; a code of a step already used is refused) or a recovery code. Answers the session; a new workstation is registered as a device here.',
    tag: 'auth',
    access: 'public',
    body: TotpInput,
    response: Session,
  },
  'auth.refresh': {
    method: 'POST',
    path: '/v1/auth/refresh',
    summary:
      'Exchanges a refresh token for a new session; the token is spent. A spent token sent again revokes every token of its login and answers session_revoked, as do an expired token, a revoked device and a disabled account: log in again.',
    tag: 'auth',
    access: 'public',
    body: RefreshInput,
    response: Session,
  },
  'auth.logout': {
    method: 'POST',
    path: '/v1/auth/logout',
    summary: 'Ends the login the refresh token belongs to (every refresh token of it). Answers 204 also for a token already spent or unknown.',
    tag: 'auth',
    access: 'public',
    body: RefreshInput,
    response: null,
    status: 204,
  },
  'auth.requestReset': {
    method: 'POST',
    path: '/v1/auth/reset/request',
    summary:
      'Activation or a forgotten password, step 1: NIP and e-mail. When they belong to one account, a one-time code (valid 15 minutes, 5 tries) is e-mailed to it. The answer is the same 202 whether or not they match.',
    tag: 'auth',
    access: 'public',
    body: ResetRequestInput,
    response: z.object({ accepted: z.literal(true) }),
    status: 202,
  },
  'auth.confirmReset': {
    method: 'POST',
    path: '/v1/auth/reset/confirm',
    summary:
      'Activation or a forgotten password, step 2: NIP, the e-mailed code and a new password (8-128 characters, not common, breached or personal; invalid_input says why). Ends every session of the account. Answers a step token for enrolment when the account has no authenticator yet.',
    tag: 'auth',
    access: 'public',
    body: ResetConfirmInput,
    response: ResetConfirmAnswer,
  },
  'auth.enrolMfa': {
    method: 'POST',
    path: '/v1/auth/mfa/enrol',
    summary: 'Starts authenticator enrolment with an enrolment step token: a new TOTP secret as an otpauth:// URI (issuer Lemari, label the NIP) and in base32. Replaces a secret not yet activated.',
    tag: 'auth',
    access: 'public',
    body: MfaEnrolInput,
    response: MfaEnrolment,
  },
  'auth.activateMfa': {
    method: 'POST',
    path: '/v1/auth/mfa/activate',
    summary: 'Completes enrolment with a correct code from the app: the account becomes active and ten recovery codes are answered, once. Then log in with auth.login.',
    tag: 'auth',
    access: 'public',
    body: MfaActivateInput,
    response: MfaActivated,
  },
  'auth.listDevices': {
    method: 'GET',
    path: '/v1/devices',
    summary: 'The devices (workstations) registered to the caller\'s instansi, revoked ones included.',
    tag: 'auth',
    access: 'admin',
    response: z.object({ devices: z.array(Device) }),
  },
  'auth.revokeDevice': {
    method: 'POST',
    path: '/v1/devices/:id/revoke',
    summary: 'Revokes a device of the caller\'s instansi: its access tokens stop working at once and its refresh tokens are revoked. Idempotent.',
    tag: 'auth',
    access: 'admin',
    params: z.strictObject({ id: z.uuid() }),
    response: Device,
  },
});
