import { Alert, Field, HostedForm, Links, Submit, type FormBase, type PageLink } from '../form.js';
import { Layout, type PageFrame } from '../layout.js';

export type MfaStep =
  | { kind: 'code'; factor: 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA' | 'EMAIL_OTP'; destination?: string }
  | { kind: 'choose'; factors: string[] }
  | { kind: 'setup'; secret: string; qrDataUri: string };

export interface MfaPageProps {
  frame: PageFrame;
  form: FormBase;
  step: MfaStep;
  /** The challenge Session and its name, carried through the form. */
  hidden: Record<string, string>;
  /** "Remember this device", when the pool lets a remembered device skip MFA. */
  remember?: { checked: boolean };
  /** What was wrong with the code; the alert at the top points to the field. */
  error?: string;
  links: PageLink[];
}

/** The second factor: a code, a choice of factor, or setting up an authenticator app. */
export function MfaPage({ frame, form, step, hidden, remember, error, links }: MfaPageProps) {
  const { t } = frame.locale;
  const factorLabel: Record<string, string> = { SOFTWARE_TOKEN_MFA: t.mfaFactorTotp, SMS_MFA: t.mfaFactorSms, EMAIL_OTP: t.mfaFactorEmail };
  const title = step.kind === 'choose' ? t.mfaChooseTitle : step.kind === 'setup' ? t.mfaSetupTitle : t.mfaTitle;
  const intro =
    step.kind === 'setup'
      ? t.mfaSetupIntro
      : step.kind === 'code'
        ? step.factor === 'SMS_MFA'
          ? t.mfaSmsIntro.replace('{destination}', step.destination ?? '')
          : step.factor === 'EMAIL_OTP'
            ? t.mfaEmailIntro.replace('{destination}', step.destination ?? '')
            : t.mfaTotpIntro
        : undefined;
  return (
    <Layout title={title} lang={frame.locale.lang} stylesheet={frame.stylesheet} logo={frame.logo}>
      <h1>{title}</h1>
      <Alert message={error && step.kind !== 'choose' ? t.fixErrors : error} />
      {intro && <p id="mfa-intro" class="textDescription-customizable">{intro}</p>}
      {step.kind === 'setup' && (
        <div class="totp-setup">
          <img src={step.qrDataUri} alt={t.mfaSetupQrAlt} width="200" height="200" />
          <p>
            {t.mfaSetupKey}: <code id="totp-secret">{step.secret}</code>
          </p>
        </div>
      )}
      <HostedForm form={form} hidden={hidden}>
        {step.kind === 'choose' ? (
          <fieldset>
            <legend>{t.mfaChooseTitle}</legend>
            {step.factors.map((factor, i) => (
              <label class="choice">
                <input type="radio" name="factor" value={factor} checked={i === 0} /> {factorLabel[factor] ?? factor}
              </label>
            ))}
          </fieldset>
        ) : (
          <Field name="code" label={t.mfaCode} autocomplete="one-time-code" inputmode="numeric" error={error}
            describedBy={intro ? ['mfa-intro'] : []} autofocus />
        )}
        {remember && (
          <div class="field">
            <label class="choice">
              <input type="checkbox" name="remember" value="1" checked={remember.checked} aria-describedby="remember-hint" /> {t.rememberDevice}
            </label>
            <p id="remember-hint" class="hint textDescription-customizable">{t.rememberDeviceHint}</p>
          </div>
        )}
        <Submit label={step.kind === 'choose' ? t.mfaChoose : t.mfaVerify} />
      </HostedForm>
      <Links links={links} />
    </Layout>
  );
}
