import { Alert, errorSummary, Field, HostedForm, Links, Notice, PasswordHint, Submit, type FormBase, type PageLink, type PasswordRules } from '../form.js';
import { Layout, type PageFrame } from '../layout.js';

export interface ResetPasswordPageProps {
  frame: PageFrame;
  form: FormBase;
  username?: string;
  sentTo?: string;
  errors: { username?: string; code?: string; password?: string };
  alert?: string;
  notice?: string;
  rules: PasswordRules;
  links: PageLink[];
}

/** The code from the reset message and the new password; the second button sends a new code. */
export function ResetPasswordPage({ frame, form, username, sentTo, errors, alert, notice, rules, links }: ResetPasswordPageProps) {
  const { t } = frame.locale;
  const askName = username === undefined || errors.username !== undefined;
  const first = askName && errors.username ? 'username' : errors.code ? 'code' : errors.password ? 'password' : askName ? 'username' : 'code';
  return (
    <Layout title={t.resetTitle} lang={frame.locale.lang} stylesheet={frame.stylesheet} logo={frame.logo}>
      <h1>{t.resetTitle}</h1>
      <Alert message={errorSummary(t, alert, errors)} />
      <Notice message={notice} />
      <p id="sent-to" class="textDescription-customizable">{sentTo ?? t.codeSentGeneric}</p>
      <HostedForm form={form} hidden={askName ? {} : { username: username! }}>
        {askName && <Field name="username" label={t.username} autocomplete="username" value={username} error={errors.username} autofocus={first === 'username'} />}
        <Field name="code" label={t.code} autocomplete="one-time-code" inputmode="numeric" error={errors.code} describedBy={['sent-to']} autofocus={first === 'code'} />
        <Field name="password" label={t.newPassword} type="password" autocomplete="new-password" error={errors.password}
          hint={<PasswordHint t={t} rules={rules} />} autofocus={first === 'password'} />
        <Submit label={t.resetPassword} />
        <button type="submit" name="intent" value="resend" class="secondary submitButton-customizable" formnovalidate>{t.resendCode}</button>
      </HostedForm>
      <Links links={links} />
    </Layout>
  );
}
