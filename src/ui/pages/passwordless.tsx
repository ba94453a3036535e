import { Alert, Field, HostedForm, Links, Notice, Submit, type FormBase, type PageLink } from '../form.js';
import { Layout, type PageFrame } from '../layout.js';

export type PasswordlessStep =
  | { kind: 'username'; username?: string; usernameError?: string }
  /** `destination`: the masked address the code went to, carried so a wrong code's page still names it. */
  | { kind: 'code'; username: string; session: string; sentTo: string; codeError?: string; notice?: string; destination?: string };

export interface PasswordlessPageProps {
  frame: PageFrame;
  form: FormBase;
  factor: 'EMAIL_OTP' | 'SMS_OTP';
  step: PasswordlessStep;
  /** A problem with the whole form, such as a lock. */
  alert?: string;
  links: PageLink[];
}

/** Sign-in with a one-time code: first who is signing in, then the code sent to them (or a new one). */
export function PasswordlessPage({ frame, form, factor, step, alert, links }: PasswordlessPageProps) {
  const { t } = frame.locale;
  const fieldError = step.kind === 'username' ? step.usernameError : step.codeError;
  return (
    <Layout title={t.passwordlessTitle} lang={frame.locale.lang} stylesheet={frame.stylesheet} logo={frame.logo}>
      <h1>{t.passwordlessTitle}</h1>
      <Alert message={alert ?? (fieldError ? t.fixErrors : undefined)} />
      {step.kind === 'username' ? (
        <>
          <p id="passwordless-intro" class="textDescription-customizable">{factor === 'EMAIL_OTP' ? t.passwordlessEmailIntro : t.passwordlessSmsIntro}</p>
          <HostedForm form={form} hidden={{ factor }}>
            <Field name="username" label={t.username} autocomplete="username" value={step.username} error={step.usernameError}
              describedBy={['passwordless-intro']} autofocus />
            <Submit label={t.sendCode} />
          </HostedForm>
        </>
      ) : (
        <>
          <Notice message={step.notice} />
          <p id="sent-to" class="textDescription-customizable">{step.sentTo}</p>
          <HostedForm form={form} hidden={{ factor, username: step.username, session: step.session, ...(step.destination ? { destination: step.destination } : {}) }}>
            <Field name="code" label={t.code} autocomplete="one-time-code" inputmode="numeric" error={step.codeError} describedBy={['sent-to']} autofocus />
            <Submit label={t.signIn} />
            <button type="submit" name="intent" value="resend" class="secondary submitButton-customizable" formnovalidate>{t.resendCode}</button>
          </HostedForm>
        </>
      )}
      <Links links={links} />
    </Layout>
  );
}
