// Online activation of an account the central server holds ("Aktivasi akun (online)"), in
// five keyboard-first steps: server address, NIP and e-mail -> the e-mailed code and a new
// password -> the authenticator (QR code and key) and its first code -> the recovery codes,
// shown once -> a fresh code to sign in. main holds the activation between the steps and
// makes the local account at the end, so the next sign-in works offline. What was typed
// stays on a failed step; the error is main's message, shown inline. Each step's card has
// its own key, so its first field takes the focus as the step opens.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Enrolment, MethodOutput } from '../../../../common/contract';
import { useT } from '../../shared/i18n';
import type { Host } from '../../host';
import { AuthCard, EnrolmentCode, Field, NewPasswordFields, prevent, RecoveryCodes, useSubmit } from './forms';

type Stage =
  | { step: 'request' }
  | { step: 'password' }
  | { step: 'enrol'; enrolment: Enrolment }
  | { step: 'recovery'; codes: string[] }
  | { step: 'login'; existing: boolean }
  | { step: 'done'; nip: string };

const STEPS = 5;
const STEP_NUMBER: Record<Stage['step'], number> = { request: 1, password: 2, enrol: 3, recovery: 4, login: 5, done: 5 };

interface ActivationProps {
  host: Host;
  /** The profile's configured address, if any. */
  serverUrl: string | null;
  /** A fresh profile takes the address typed here; otherwise it is an admin's setting. */
  serverEditable: boolean;
  onCancel(): void;
  /** Signed in: the gate shows the app. */
  onDone(): void;
}

export function ActivationFlow({ host, serverUrl: configured, serverEditable, onCancel, onDone }: ActivationProps) {
  const tr = useT();
  const { busy, error, setError, submit } = useSubmit();
  const [stage, setStage] = useState<Stage>({ step: 'request' });
  const [activationId, setActivationId] = useState<string | null>(null);
  const [serverUrl, setServerUrl] = useState(configured ?? '');
  const [nip, setNip] = useState('');
  const [email, setEmail] = useState('');
  const [mailCode, setMailCode] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [mfaCode, setMfaCode] = useState('');
  const [loginCode, setLoginCode] = useState('');
  // Decided once: the first empty field has focus, and typing must not move it.
  const [focusServer] = useState(serverEditable && !configured);

  const step = tr('activate.step', { step: STEP_NUMBER[stage.step], total: STEPS });
  const progress = busy ? tr('activate.busy') : null;

  function cancel() {
    // main forgets the activation (and the password it holds for the final sign-in).
    if (activationId) void host.call('activation.cancel', { activationId });
    onCancel();
  }

  function requestCode(then: () => void) {
    void submit(
      () => host.call('activation.requestCode', { ...(serverEditable ? { serverUrl } : {}), nip, email }),
      (value) => {
        // A new code starts a new activation on main; the old one is dropped there.
        if (activationId) void host.call('activation.cancel', { activationId });
        setActivationId(value.activationId);
        setServerUrl(value.serverUrl);
        then();
      },
    );
  }

  const back = (
    <button type="button" className="link" data-testid="activate-cancel" onClick={cancel}>
      {tr('activate.back')}
    </button>
  );

  if (stage.step === 'request') {
    return (
      <AuthCard title={tr('activate.title')} intro={tr('activate.request.intro')} error={error} key="request" testId="activate-request" step={step} busy={progress}>
        <form onSubmit={prevent(() => requestCode(() => setStage({ step: 'password' })))}>
          {serverEditable || configured ? (
            <Field
              label={tr('activate.server')}
              value={serverUrl}
              onChange={setServerUrl}
              autoComplete="url"
              inputMode="url"
              testId="activate-server"
              autoFocus={focusServer}
              readOnly={!serverEditable}
              hint={tr(serverEditable ? 'activate.server.hint' : 'activate.server.fixed')}
            />
          ) : (
            <p className="hint">{tr('activate.server.missing')}</p>
          )}
          <Field label={tr('doc.nip')} value={nip} onChange={setNip} autoComplete="username" inputMode="numeric" testId="auth-nip" autoFocus={!focusServer} />
          <Field label={tr('activate.email')} value={email} onChange={setEmail} autoComplete="email" inputMode="email" testId="activate-email" />
          <div className="auth-actions">
            <button type="submit" className="primary" disabled={busy}>
              {tr('activate.request.submit')}
            </button>
            {back}
          </div>
        </form>
      </AuthCard>
    );
  }

  if (stage.step === 'password') {
    return (
      <AuthCard title={tr('activate.password.title')} intro={tr('activate.password.intro', { email })} error={error} key="password" testId="activate-password" step={step} busy={progress}>
        <form
          onSubmit={prevent(() => {
            if (password !== again) return setError(tr('password.mismatch'));
            void submit(
              () => host.call('activation.setPassword', { activationId: activationId!, code: mailCode, newPassword: password }),
              (value: MethodOutput<'activation.setPassword'>) => setStage(value.next === 'enrol' ? { step: 'enrol', enrolment: value.enrolment } : { step: 'login', existing: true }),
            );
          })}
        >
          <Field label={tr('activate.code')} value={mailCode} onChange={setMailCode} autoComplete="one-time-code" inputMode="numeric" testId="activate-code" autoFocus />
          <NewPasswordFields label={tr('changePassword.new')} password={password} again={again} onPassword={setPassword} onAgain={setAgain} />
          <div className="auth-actions">
            <button type="submit" className="primary" disabled={busy}>
              {tr('activate.password.submit')}
            </button>
            <button type="button" className="link" data-testid="activate-resend" disabled={busy} onClick={() => requestCode(() => setMailCode(''))}>
              {tr('activate.resend')}
            </button>
          </div>
          <p>{back}</p>
        </form>
      </AuthCard>
    );
  }

  /** Steps 3 and 5: a code from the authenticator app, under what the step shows. */
  function codeStep(props: { key: 'enrol' | 'login'; title: string; intro: string; label: string; submitLabel: string; value: string; onChange(value: string): void; send(): void; children?: ReactNode }) {
    return (
      <AuthCard title={props.title} intro={props.intro} error={error} key={props.key} testId={`activate-${props.key}`} step={step} busy={progress}>
        {props.children}
        <form onSubmit={prevent(props.send)}>
          <Field label={props.label} value={props.value} onChange={props.onChange} autoComplete="one-time-code" inputMode="numeric" testId="auth-code-input" autoFocus />
          <div className="auth-actions">
            <button type="submit" className="primary" disabled={busy}>
              {props.submitLabel}
            </button>
            {back}
          </div>
        </form>
      </AuthCard>
    );
  }

  if (stage.step === 'enrol') {
    return codeStep({
      key: 'enrol',
      title: tr('enrol.title'),
      intro: tr('enrol.intro'),
      label: tr('enrol.code'),
      submitLabel: tr('enrol.submit'),
      value: mfaCode,
      onChange: setMfaCode,
      send: () =>
        void submit(
          () => host.call('activation.confirmMfa', { activationId: activationId!, code: mfaCode }),
          (value) => setStage({ step: 'recovery', codes: value.recoveryCodes }),
        ),
      children: <EnrolmentCode enrolment={stage.enrolment} />,
    });
  }

  if (stage.step === 'recovery') {
    return <RecoveryCodes codes={stage.codes} intro={tr('activate.recovery.intro')} step={step} onDone={() => setStage({ step: 'login', existing: false })} />;
  }

  if (stage.step === 'login') {
    return codeStep({
      key: 'login',
      title: tr('activate.login.title'),
      intro: tr(stage.existing ? 'activate.login.existing' : 'activate.login.intro'),
      label: tr('login.code.label'),
      submitLabel: tr('activate.login.submit'),
      value: loginCode,
      onChange: setLoginCode,
      send: () =>
        void submit(
          () => host.call('activation.login', { activationId: activationId!, code: loginCode }),
          (value) => (value.replacedLocalAccount ? setStage({ step: 'done', nip: value.user.nip }) : onDone()),
        ),
    });
  }

  return <Done nip={stage.nip} onDone={onDone} />;
}

/** Only after an existing local account was replaced: that is worth saying before the app opens. */
function Done({ nip, onDone }: { nip: string; onDone(): void }) {
  const tr = useT();
  const buttonRef = useRef<HTMLButtonElement>(null);
  useEffect(() => buttonRef.current?.focus(), []);
  return (
    <AuthCard title={tr('activate.done.title')} intro={tr('activate.done.offline')} error={null} testId="activate-done">
      <p data-testid="activate-replaced">{tr('activate.done.replaced', { nip })}</p>
      <button ref={buttonRef} type="button" className="primary" onClick={onDone}>
        {tr('activate.done.submit')}
      </button>
    </AuthCard>
  );
}
