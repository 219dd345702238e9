// Online activation (issue 3, path 1): an account the central server holds, made usable on
// this workstation. The clerk gives NIP and registered e-mail (the server mails a code),
// then the code with a new password, enrols an authenticator with the server, keeps the ten
// recovery codes, and logs in once online with a fresh code. That login also makes (or
// updates) the LOCAL account with the same password, the same TOTP secret and the same
// recovery codes, and stores the server session sealed, so every later login works offline
// exactly like a local one. The server is reached through a DMS client port, so tests can
// hand in a real server on port 0 or a fetch that fails.
//
// Between the calls main holds the activation (not the renderer): the server's enrolment
// step token, the TOTP secret and the new password, which the final login needs. It lives
// in memory only, for ACTIVATION_TTL_MS after the last step, and is dropped when done.

import { randomBytes } from 'node:crypto';
import { ServerUrl, type Enrolment, type LoginResult } from '../../../common/contract';
import { AppError } from '../../../common/errors';
import { minutesLeft } from '../../../common/auth/lockout';
import type { Db } from '../../infra/db';
import { DmsCallError, type DmsClient } from '../../infra/dms';
import type { SecretStore } from '../../infra/secrets';
import { writeTransaction, type AuditEntry } from '../audit';
import type { Clock, Translate } from '../ports';
import type { AuthService } from './index';
import { passwordProblemMessage, type PasswordProblem } from './password';
import { normalizeRecoveryCode, RECOVERY_CODE_COUNT } from './recovery';
import { checkTotp, fromBase32, otpauthUri, qrSvg, toBase32 } from './totp';

/** How long an activation waits for its next step (the e-mailed code itself lives 15 minutes). */
export const ACTIVATION_TTL_MS = 20 * 60_000;
/** Activations held at once; the oldest goes first (each is a few hundred bytes). */
const MAX_PENDING = 200;

/** What the flow calls on the central server: the DMS client (createDmsClient) for one address. */
export type ActivationServer = Pick<DmsClient, 'call'>;

export interface ActivationDeps {
  db: Db;
  clock: Clock;
  translate: Translate;
  secrets: SecretStore;
  audit: { append(entry: AuditEntry): unknown };
  auth: AuthService;
  /** The central server's client at an address. */
  server: (baseUrl: string) => ActivationServer;
  /** The profile's configured server address, and storing one (the first activation of a fresh profile). */
  serverUrl: { get(): string | null; set(url: string): void };
  /** How this workstation is named when the server registers it as a device of the instansi. */
  deviceName: () => string;
  random?: (n: number) => Buffer;
}

/** The server session kept for sync, sealed in server_sessions (migration 006). */
export interface StoredServerSession {
  serverUrl: string;
  deviceId: string;
  instansi: { id: string; name: string };
  refreshToken: string;
  refreshTokenExpiresAt: string;
  savedAt: string;
}

type Step = 'request' | 'password' | 'mfa' | 'login';

interface Pending {
  serverUrl: string;
  nip: string;
  email: string;
  expiresAt: number;
  /** The new password, once the server accepted it (the final login needs it). */
  password: string | null;
  /** The server's enrolment step token, until the authenticator is active. */
  stepToken: string | null;
  secret: Uint8Array | null;
  /** The step of the code that activated the authenticator: the login needs a later one. */
  activatedStep: number | null;
  recoveryCodes: string[] | null;
  /** The server's account had an authenticator already (a forgotten password): the local one must match it. */
  existingAuthenticator: boolean;
}

const PASSWORD_REASONS: readonly string[] = ['too_short', 'too_long', 'unchanged', 'personal', 'common', 'guessable'] satisfies PasswordProblem['reason'][];

const sessionContext = (userId: number) => `lemari:server-session:${userId}`;

/** The address as typed, without the trailing slashes people add. */
export function normalizeServerUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** The sealed server session of a local account, or null when it never activated online. */
export function readServerSession(db: Db, secrets: SecretStore, userId: number): StoredServerSession | null {
  const row = db.prepare('SELECT session_enc FROM server_sessions WHERE user_id = ?').get(userId) as { session_enc: Buffer } | undefined;
  return row ? (JSON.parse(secrets.open(row.session_enc, sessionContext(userId)).toString('utf8')) as StoredServerSession) : null;
}

/** Seals and stores an account's server session (after activation, and after each refresh). */
export function writeServerSession(db: Db, secrets: SecretStore, userId: number, session: StoredServerSession): void {
  const sealed = secrets.seal(Buffer.from(JSON.stringify(session), 'utf8'), sessionContext(userId));
  db.prepare(
    `INSERT INTO server_sessions (user_id, session_enc, created_at, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET session_enc = excluded.session_enc, updated_at = excluded.updated_at`,
  ).run(userId, sealed, session.savedAt, session.savedAt);
}

export function createActivation(deps: ActivationDeps) {
  const { db, clock, translate, secrets, auth } = deps;
  const random = deps.random ?? randomBytes;
  const pending = new Map<string, Pending>();
  const nowMs = () => clock.now().getTime();

  function audit(actor: string, action: string, detail: Record<string, unknown>): void {
    writeTransaction(db, () => deps.audit.append({ actor, action, nip: actor, detail }));
  }

  function prune(): void {
    const now = nowMs();
    for (const [id, item] of pending) if (item.expiresAt <= now) pending.delete(id);
    // Map order is insertion order: the oldest goes first.
    for (const id of pending.keys()) {
      if (pending.size < MAX_PENDING) break;
      pending.delete(id);
    }
  }

  function take(id: string): Pending {
    prune();
    const item = pending.get(id);
    if (!item) throw new AppError('unauthenticated', translate('activation.expired'));
    item.expiresAt = nowMs() + ACTIVATION_TTL_MS;
    return item;
  }

  /** The address this activation uses; a fresh profile takes the one typed, a set-up one keeps its own. */
  function resolveServerUrl(typed: string | undefined): { url: string; store: boolean } {
    const configured = deps.serverUrl.get();
    const fresh = !auth.status().bootstrapped;
    const input = typed === undefined ? '' : normalizeServerUrl(typed);
    if (input === '') {
      if (configured) return { url: normalizeServerUrl(configured), store: false };
      throw new AppError('invalid_input', translate(fresh ? 'activation.server_required' : 'activation.server_missing'));
    }
    if (!ServerUrl.safeParse(input).success) throw new AppError('invalid_input', translate('activation.server_invalid'));
    if (configured && normalizeServerUrl(configured) === input) return { url: input, store: false };
    // Once the profile has accounts, the address is an admin's setting: a stranger at the
    // login screen must not point the workstation (and people's passwords) elsewhere.
    if (!fresh) throw new AppError('forbidden', translate(configured ? 'activation.server_fixed' : 'activation.server_missing', { server: configured ?? '' }));
    return { url: input, store: true };
  }

  /** A failed server call as a message the clerk can act on; audited with its code, never its input. */
  function serverFailure(error: unknown, item: { serverUrl: string; nip: string }, step: Step): unknown {
    if (!(error instanceof DmsCallError)) return error;
    audit(item.nip, 'auth.activation_failed', { step, reason: error.code, server: item.serverUrl });
    const server = item.serverUrl;
    switch (error.code) {
      case 'network':
      case 'timeout':
        return new AppError('io', translate('activation.offline', { server }));
      case 'rate_limited': {
        const fromDetails = Number(error.details?.retryAfterSeconds);
        const seconds = error.retryAfterMs !== undefined ? Math.ceil(error.retryAfterMs / 1000) : Number.isFinite(fromDetails) ? fromDetails : 60;
        return new AppError('io', translate('activation.rate_limited', { seconds: Math.max(1, seconds) }));
      }
      case 'account_locked':
        return new AppError('unauthenticated', translate('auth.locked', { minutes: minutesLeft(error.retryAfterMs ?? 60_000) }));
      case 'invalid_code':
        return new AppError('unauthenticated', translate(step === 'password' ? 'activation.email_code_wrong' : 'activation.code_wrong'));
      case 'invalid_credentials':
        return new AppError('unauthenticated', translate('auth.login_failed'));
      case 'unauthenticated':
        return new AppError('unauthenticated', translate('activation.expired'));
      case 'session_revoked':
        return new AppError('forbidden', translate('activation.device_revoked'));
      case 'conflict':
        return new AppError('conflict', translate(step === 'mfa' ? 'activation.already_enrolled' : 'activation.server_refused', { message: error.message }));
      case 'invalid_input': {
        // The server checks the same rules (common/auth/password.ts): its reason has a message here.
        const problem = error.details as (PasswordProblem & { field?: unknown }) | undefined;
        if (problem?.field === 'newPassword' && PASSWORD_REASONS.includes(problem.reason)) {
          return new AppError('invalid_input', passwordProblemMessage(problem, translate));
        }
        return new AppError('invalid_input', translate('activation.server_refused', { message: error.message }));
      }
      case 'bad_response':
      case 'not_found':
      case 'unknown_field':
      case 'invalid_json':
        return new AppError('io', translate('activation.bad_server', { server }));
      default:
        if (error.code === 'unavailable' || (error.status !== null && error.status >= 500)) return new AppError('io', translate('activation.server_error', { server }));
        return new AppError('forbidden', translate('activation.server_refused', { message: error.message }));
    }
  }

  async function onServer<T>(item: { serverUrl: string; nip: string }, step: Step, run: (server: ActivationServer) => Promise<T>): Promise<T> {
    try {
      return await run(deps.server(item.serverUrl));
    } catch (error) {
      throw serverFailure(error, item, step);
    }
  }

  /** The enrolment the screen shows: the URI built here, so it carries the rules this workstation checks codes by. */
  async function enrol(item: Pending): Promise<Enrolment> {
    const answer = await onServer(item, 'mfa', (server) => server.call('auth.enrolMfa', { body: { stepToken: item.stepToken! } }));
    let secret: Uint8Array;
    try {
      secret = fromBase32(answer.secret);
    } catch {
      throw new AppError('io', translate('activation.bad_server', { server: item.serverUrl }));
    }
    if (secret.length < 10) throw new AppError('io', translate('activation.bad_server', { server: item.serverUrl }));
    item.secret = secret;
    const base32 = toBase32(secret);
    const uri = otpauthUri(base32, item.nip);
    return { uri, secret: base32, qrSvg: await qrSvg(uri) };
  }

  /** Step 1 of the server's login; a device id the server no longer knows is replaced by a new registration. */
  async function beginServerLogin(server: ActivationServer, item: Pending, password: string) {
    const deviceId = knownDeviceId(item.serverUrl, item.nip);
    const body = { nip: item.nip, password };
    if (deviceId) {
      try {
        return await server.call('auth.login', { body: { ...body, deviceId } });
      } catch (error) {
        if (!(error instanceof DmsCallError && error.code === 'not_found')) throw error;
      }
    }
    return server.call('auth.login', { body: { ...body, deviceName: deps.deviceName() } });
  }

  /** The device id this workstation got from the server before: the NIP's own first, else any account's. */
  function knownDeviceId(serverUrl: string, nip: string): string | null {
    const rows = db.prepare('SELECT s.user_id, u.nip FROM server_sessions s JOIN users u ON u.id = s.user_id ORDER BY s.updated_at DESC').all() as { user_id: number; nip: string }[];
    const sessions = rows
      .sort((a, b) => Number(b.nip === nip) - Number(a.nip === nip))
      .map((row) => {
        try {
          return readServerSession(db, secrets, row.user_id);
        } catch {
          return null; // sealed by another store: not ours to reuse
        }
      });
    return sessions.find((session) => session && normalizeServerUrl(session.serverUrl) === serverUrl)?.deviceId ?? null;
  }

  function storeSession(userId: number, session: StoredServerSession): void {
    writeServerSession(db, secrets, userId, session);
  }

  return {
    /** Step 1: NIP and registered e-mail; the server mails a code when they belong to one account (and says nothing otherwise). */
    async requestCode(input: { serverUrl?: string; nip: string; email: string }): Promise<{ activationId: string; expiresAt: string; serverUrl: string }> {
      const { url, store } = resolveServerUrl(input.serverUrl);
      const { nip, email } = auth.activationIdentity(input);
      if (auth.accountState(nip)?.disabled) throw new AppError('forbidden', translate('activation.local_disabled'));
      await onServer({ serverUrl: url, nip }, 'request', (server) => server.call('auth.requestReset', { body: { nip, email } }));
      if (store) {
        deps.serverUrl.set(url);
        audit(nip, 'settings.changed', { serverUrl: url, by: 'activation' });
      }
      audit(nip, 'auth.activation_requested', { server: url });
      prune();
      const activationId = random(32).toString('base64url');
      const expiresAt = nowMs() + ACTIVATION_TTL_MS;
      pending.set(activationId, {
        serverUrl: url,
        nip,
        email,
        expiresAt,
        password: null,
        stepToken: null,
        secret: null,
        activatedStep: null,
        recoveryCodes: null,
        existingAuthenticator: false,
      });
      return { activationId, expiresAt: new Date(expiresAt).toISOString(), serverUrl: url };
    },

    /**
     * Step 2: the e-mailed code and a new password, checked here first and then by the
     * server; answers the authenticator to enrol. Sent again after the server accepted the
     * password (the enrolment call failed), it only retries the enrolment.
     */
    async setPassword(input: { activationId: string; code: string; newPassword: string }): Promise<{ next: 'enrol'; enrolment: Enrolment } | { next: 'login' }> {
      const item = take(input.activationId);
      if (item.activatedStep !== null || item.existingAuthenticator) throw new AppError('conflict', translate('activation.out_of_order'));
      if (item.password === null) {
        auth.checkNewPassword(input.newPassword, { nip: item.nip, nama: '' });
        const answer = await onServer(item, 'password', (server) => server.call('auth.confirmReset', { body: { nip: item.nip, code: input.code, newPassword: input.newPassword } }));
        item.password = input.newPassword;
        audit(item.nip, 'auth.activation_password_set', { server: item.serverUrl });
        if (answer.next === 'login' || !answer.stepToken) {
          // The server's account has an authenticator already; this workstation can only
          // use it if the local account of the NIP holds the same one.
          item.existingAuthenticator = true;
          if (!auth.accountState(item.nip)?.mfaEnrolled) {
            pending.delete(input.activationId);
            throw new AppError('conflict', translate('activation.already_enrolled'));
          }
          return { next: 'login' };
        }
        item.stepToken = answer.stepToken;
      } else if (input.newPassword !== item.password) {
        throw new AppError('conflict', translate('activation.password_already_set'));
      }
      return { next: 'enrol', enrolment: await enrol(item) };
    },

    /** Step 3: a code from the newly scanned app activates it on the server; answers the ten recovery codes, once. */
    async confirmMfa(input: { activationId: string; code: string }): Promise<{ recoveryCodes: string[] }> {
      const item = take(input.activationId);
      if (!item.secret || !item.stepToken) throw new AppError('conflict', translate('activation.out_of_order'));
      // Checked here first: a phone or PC clock that is off shows now, not at the first offline login.
      const check = checkTotp(item.secret, input.code, clock.now(), null);
      if (!check.ok) throw new AppError('invalid_input', translate('activation.code_wrong'));
      const { stepToken } = item;
      const answer = await onServer(item, 'mfa', (server) => server.call('auth.activateMfa', { body: { stepToken, code: input.code } }));
      const codes = answer.recoveryCodes;
      if (codes.length !== RECOVERY_CODE_COUNT || codes.some((code) => normalizeRecoveryCode(code) === null)) {
        throw new AppError('io', translate('activation.bad_server', { server: item.serverUrl }));
      }
      Object.assign(item, { stepToken: null, activatedStep: check.step, recoveryCodes: codes });
      audit(item.nip, 'auth.activation_mfa_enrolled', { server: item.serverUrl });
      return { recoveryCodes: codes };
    },

    /**
     * Step 4: the first login, online, with a code newer than the one that activated the app
     * (the server refuses a used step). It makes the local account and stores the session.
     */
    async login(input: { activationId: string; code: string }): Promise<{ result: LoginResult; replaced: boolean }> {
      const item = take(input.activationId);
      const password = item.password;
      if (password === null || (!item.existingAuthenticator && item.activatedStep === null)) throw new AppError('conflict', translate('activation.out_of_order'));
      let step: number | null = null;
      if (item.secret) {
        const check = checkTotp(item.secret, input.code, clock.now(), item.activatedStep);
        if (!check.ok) throw new AppError('invalid_input', translate(check.reason === 'replayed' ? 'activation.code_used' : 'activation.code_wrong'));
        step = check.step;
      }
      const session = await onServer(item, 'login', async (server) => {
        const begun = await beginServerLogin(server, item, password);
        // 'enrol' would mean the authenticator is not active on the server after all.
        if (begun.next !== 'totp') throw new AppError('conflict', translate('activation.out_of_order'));
        return server.call('auth.completeLogin', { body: { stepToken: begun.stepToken, code: input.code } });
      });
      if (session.user.nip !== item.nip) throw new AppError('io', translate('activation.bad_server', { server: item.serverUrl }));
      const stored: StoredServerSession = {
        serverUrl: item.serverUrl,
        deviceId: session.deviceId,
        instansi: session.user.instansi,
        refreshToken: session.refreshToken,
        refreshTokenExpiresAt: session.refreshTokenExpiresAt,
        savedAt: clock.now().toISOString(),
      };
      const adopt = auth.adoptServerAccount(
        {
          nip: item.nip,
          nama: session.user.name,
          role: session.user.role,
          email: item.email,
          password,
          totp: item.secret && step !== null ? { secret: item.secret, step } : { code: input.code },
          recoveryCodes: item.recoveryCodes,
          detail: { server: item.serverUrl, deviceId: session.deviceId, instansi: session.user.instansi.id },
        },
        (userId) => storeSession(userId, stored),
      );
      const outcome = await adopt.catch(async (error: unknown) => {
        // Refused here (another authenticator, a disabled account): the server session goes too.
        await deps
          .server(item.serverUrl)
          .call('auth.logout', { body: { refreshToken: session.refreshToken } })
          .catch(() => {});
        throw error;
      });
      pending.delete(input.activationId);
      return outcome;
    },

    /** The clerk went back: what main held for the activation (the password among it) is dropped. */
    cancel(activationId: string): void {
      pending.delete(activationId);
    },
  };
}

export type ActivationService = ReturnType<typeof createActivation>;
