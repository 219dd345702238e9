// The screens between opening Lemari and working in it: creating the first admin, signing
// in (password, then the authenticator code or a recovery code), enrolling an authenticator
// app, keeping the recovery codes, replacing a password an admin set, and unlocking after
// the idle lock. Each is a plain form: Enter submits, the first field has focus, errors are
// main's messages. The parts are shared with the online activation (Activation.tsx).
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { Enrolment, LoginResult } from '../../../../common/contract';
import type { Result } from '../../../../common/errors';
import { useT } from '../../shared/i18n';
import { ErrorBox } from '../../shared/ui';
import type { Host } from '../../host';

export function AuthCard(props: { title: string; intro?: ReactNode; error: string | null; testId: string; step?: string; busy?: string | null; children: ReactNode }) {
  return (
    <main className="auth-screen">
      <section className="auth-card" data-testid={props.testId} aria-labelledby="auth-title" aria-busy={props.busy ? true : undefined}>
        <div className="brand-dark">Lemari</div>
        {props.step && <p className="hint" data-testid="auth-step">{props.step}</p>}
        <h1 id="auth-title">{props.title}</h1>
        {props.intro && <p className="hint">{props.intro}</p>}
        <ErrorBox message={props.error} />
        {/* A live region only where calls take a while (the central server): present before it speaks. */}
        {props.busy !== undefined && (
          <p className="hint" role="status" data-testid="auth-busy">
            {props.busy ?? ''}
          </p>
        )}
        {props.children}
      </section>
    </main>
  );
}

/** Runs a call for a form: busy while it runs, its error message kept, the value handed on. */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit<T>(run: () => Promise<Result<T>>, then: (value: T) => void) {
    if (busy) return;
    setBusy(true);
    setError(null);
    const result = await run();
    setBusy(false);
    if (result.ok) then(result.value);
    else setError(result.error.message);
  }
  return { busy, error, setError, submit };
}

export function Field(props: {
  label: string;
  value: string;
  onChange(value: string): void;
  type?: 'text' | 'password';
  autoComplete: string;
  testId: string;
  autoFocus?: boolean;
  inputMode?: 'numeric' | 'email' | 'url';
  hint?: string;
  readOnly?: boolean;
}) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (props.autoFocus) ref.current?.focus();
  }, [props.autoFocus]);
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        ref={ref}
        type={props.type ?? 'text'}
        value={props.value}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        spellCheck={false}
        maxLength={1024}
        readOnly={props.readOnly}
        data-testid={props.testId}
        onChange={(event) => props.onChange(event.target.value)}
      />
      {props.hint && <span className="hint">{props.hint}</span>}
    </label>
  );
}

export function prevent(handler: () => void) {
  return (event: FormEvent) => {
    event.preventDefault();
    handler();
  };
}

/** A new password and its repetition, with the policy's hint; the form compares the two. */
export function NewPasswordFields(props: { label: string; password: string; again: string; onPassword(value: string): void; onAgain(value: string): void }) {
  const tr = useT();
  return (
    <>
      <Field label={props.label} value={props.password} onChange={props.onPassword} type="password" autoComplete="new-password" testId="auth-password" hint={tr('password.hint')} />
      <Field label={tr('password.again')} value={props.again} onChange={props.onAgain} type="password" autoComplete="new-password" testId="auth-password-again" />
    </>
  );
}

/** The way to online activation, under the sign-in and first-run forms. */
function ActivateLink({ onActivate }: { onActivate(): void }) {
  const tr = useT();
  return (
    <p>
      <button type="button" className="link" data-testid="auth-activate" onClick={onActivate}>
        {tr('activate.link')}
      </button>
    </p>
  );
}

/** The QR code of the otpauth:// URI and its key in groups of four, for typing by hand. */
export function EnrolmentCode({ enrolment }: { enrolment: Enrolment }) {
  const tr = useT();
  return (
    <div className="enrol">
      {/* An <img>, not inline markup: an SVG drawn this way can run nothing. */}
      <img className="qr" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qrSvg)}`} alt={tr('enrol.qr')} width={192} height={192} />
      <p>
        {tr('enrol.secret')}: <code className="secret" data-testid="auth-secret">{enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
      </p>
    </div>
  );
}

export function BootstrapForm({ host, onEnrol, onActivate }: { host: Host; onEnrol(enrolment: Enrolment): void; onActivate(): void }) {
  const tr = useT();
  const { busy, error, setError, submit } = useSubmit();
  const [nip, setNip] = useState('');
  const [nama, setNama] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  return (
    <AuthCard title={tr('bootstrap.title')} intro={tr('bootstrap.intro')} error={error} testId="auth-bootstrap">
      <form
        onSubmit={prevent(() => {
          if (password !== again) return setError(tr('password.mismatch'));
          void submit(() => host.call('auth.bootstrap', { nip, nama, password }), (value) => onEnrol(value.enrolment));
        })}
      >
        <Field label={tr('doc.nip')} value={nip} onChange={setNip} autoComplete="username" inputMode="numeric" testId="auth-nip" autoFocus />
        <Field label={tr('bootstrap.nama')} value={nama} onChange={setNama} autoComplete="name" testId="auth-nama" />
        <NewPasswordFields label={tr('login.password')} password={password} again={again} onPassword={setPassword} onAgain={setAgain} />
        <button type="submit" className="primary" disabled={busy}>
          {tr('bootstrap.submit')}
        </button>
      </form>
      <ActivateLink onActivate={onActivate} />
    </AuthCard>
  );
}

export function LoginForm({ host, onDone, onActivate }: { host: Host; onDone(): void; onActivate(): void }) {
  const tr = useT();
  const { busy, error, submit } = useSubmit();
  const [nip, setNip] = useState('');
  const [password, setPassword] = useState('');
  const [ticket, setTicket] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState(false);

  if (ticket) {
    return (
      <AuthCard title={tr(recovery ? 'login.recovery.title' : 'login.code.title')} intro={tr(recovery ? 'login.recovery.hint' : 'login.code.hint')} error={error} testId="auth-code">
        <form
          onSubmit={prevent(() =>
            submit<LoginResult>(
              () => (recovery ? host.call('auth.completeLoginWithRecoveryCode', { ticket, recoveryCode: code }) : host.call('auth.completeLogin', { ticket, code })),
              onDone,
            ),
          )}
        >
          <Field
            key={recovery ? 'recovery' : 'code'}
            label={tr(recovery ? 'login.recovery.label' : 'login.code.label')}
            value={code}
            onChange={setCode}
            autoComplete="one-time-code"
            inputMode={recovery ? undefined : 'numeric'}
            testId="auth-code-input"
            autoFocus
          />
          <div className="auth-actions">
            <button type="submit" className="primary" disabled={busy}>
              {tr('login.code.submit')}
            </button>
            <button
              type="button"
              className="link"
              onClick={() => {
                setRecovery(!recovery);
                setCode('');
              }}
            >
              {tr(recovery ? 'login.recovery.back' : 'login.recovery.use')}
            </button>
          </div>
        </form>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={tr('login.title')} error={error} testId="auth-login">
      <form
        onSubmit={prevent(() =>
          submit(
            () => host.call('auth.beginLogin', { nip, password }),
            (value) => (value.next === 'code' ? setTicket(value.ticket) : onDone()),
          ),
        )}
      >
        <Field label={tr('doc.nip')} value={nip} onChange={setNip} autoComplete="username" inputMode="numeric" testId="auth-nip" autoFocus />
        <Field label={tr('login.password')} value={password} onChange={setPassword} type="password" autoComplete="current-password" testId="auth-password" />
        <button type="submit" className="primary" disabled={busy}>
          {tr('login.submit')}
        </button>
      </form>
      <ActivateLink onActivate={onActivate} />
    </AuthCard>
  );
}

export function EnrolForm(props: { host: Host; enrolment: Enrolment | null; onCodes(codes: string[]): void; onLogout(): void }) {
  const { host } = props;
  const tr = useT();
  const { busy, error, setError, submit } = useSubmit();
  const [enrolment, setEnrolment] = useState(props.enrolment);
  const [code, setCode] = useState('');

  useEffect(() => {
    if (enrolment) return;
    void host.call('auth.startEnrolment', {}).then((result) => (result.ok ? setEnrolment(result.value) : setError(result.error.message)));
  }, [host, enrolment, setError]);

  return (
    <AuthCard title={tr('enrol.title')} intro={tr('enrol.intro')} error={error} testId="auth-enrol">
      {enrolment && <EnrolmentCode enrolment={enrolment} />}
      <form onSubmit={prevent(() => submit(() => host.call('auth.confirmEnrolment', { code }), (value) => props.onCodes(value.recoveryCodes)))}>
        <Field label={tr('enrol.code')} value={code} onChange={setCode} autoComplete="one-time-code" inputMode="numeric" testId="auth-code-input" autoFocus />
        <SubmitOrLogout label={tr('enrol.submit')} disabled={busy || !enrolment} onLogout={props.onLogout} />
      </form>
    </AuthCard>
  );
}

export function RecoveryCodes({ codes, onDone, intro, step }: { codes: string[]; onDone(): void; intro?: string; step?: string }) {
  const tr = useT();
  const buttonRef = useRef<HTMLButtonElement>(null);
  useEffect(() => buttonRef.current?.focus(), []);
  return (
    <AuthCard title={tr('recovery.title')} intro={intro ?? tr('recovery.intro')} error={null} testId="auth-recovery" step={step}>
      <ol className="recovery-codes" data-testid="auth-recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <button ref={buttonRef} type="button" className="primary" onClick={onDone}>
        {tr('recovery.done')}
      </button>
    </AuthCard>
  );
}

export function ChangePasswordForm({ host, onDone, onLogout }: { host: Host; onDone(): void; onLogout(): void }) {
  const tr = useT();
  const { busy, error, setError, submit } = useSubmit();
  const [oldPassword, setOld] = useState('');
  const [newPassword, setNew] = useState('');
  const [again, setAgain] = useState('');
  return (
    <AuthCard title={tr('changePassword.title')} intro={tr('changePassword.intro')} error={error} testId="auth-change-password">
      <form
        onSubmit={prevent(() => {
          if (newPassword !== again) return setError(tr('password.mismatch'));
          void submit(() => host.call('auth.changePassword', { oldPassword, newPassword }), onDone);
        })}
      >
        <Field label={tr('changePassword.old')} value={oldPassword} onChange={setOld} type="password" autoComplete="current-password" testId="auth-password-old" autoFocus />
        <NewPasswordFields label={tr('changePassword.new')} password={newPassword} again={again} onPassword={setNew} onAgain={setAgain} />
        <SubmitOrLogout label={tr('changePassword.submit')} disabled={busy} onLogout={onLogout} />
      </form>
    </AuthCard>
  );
}

export function UnlockForm({ host, nama, onDone, onLogout }: { host: Host; nama: string; onDone(): void; onLogout(): void }) {
  const tr = useT();
  const { busy, error, submit } = useSubmit();
  const [password, setPassword] = useState('');
  return (
    <div className="lock-overlay" role="dialog" aria-modal="true" aria-labelledby="auth-title">
      <AuthCard title={tr('unlock.title')} intro={tr('unlock.intro', { nama })} error={error} testId="auth-unlock">
        <form onSubmit={prevent(() => submit(() => host.call('auth.unlock', { password }), onDone))}>
          <Field label={tr('login.password')} value={password} onChange={setPassword} type="password" autoComplete="current-password" testId="auth-password" autoFocus />
          <SubmitOrLogout label={tr('unlock.submit')} disabled={busy} onLogout={onLogout} />
        </form>
      </AuthCard>
    </div>
  );
}

/** A form's submit button beside "Keluar": the row every signed-in step of the gate ends with. */
function SubmitOrLogout({ label, disabled, onLogout }: { label: string; disabled: boolean; onLogout(): void }) {
  const tr = useT();
  return (
    <div className="auth-actions">
      <button type="submit" className="primary" disabled={disabled}>
        {label}
      </button>
      <button type="button" className="link" onClick={onLogout}>
        {tr('session.logout')}
      </button>
    </div>
  );
}
