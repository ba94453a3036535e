import { Alert, errorSummary, Field, HostedForm, Links, PasswordHint, Submit, type FormBase, type PageLink, type PasswordRules } from '../form.js';
import { Layout, type PageFrame } from '../layout.js';
import type { SignUpField } from './sign-up.js';

export interface NewPasswordPageProps {
  frame: PageFrame;
  form: FormBase;
  /** The NEW_PASSWORD_REQUIRED challenge session and the user it belongs to. */
  session: string;
  username: string;
  /** Required attributes the account does not have yet. */
  fields: SignUpField[];
  values: Record<string, string>;
  errors: Record<string, string | undefined>;
  alert?: string;
  rules: PasswordRules;
  links: PageLink[];
}

/** After a correct temporary password: the user picks their own before the sign-in completes. */
export function NewPasswordPage({ frame, form, session, username, fields, values, errors, alert, rules, links }: NewPasswordPageProps) {
  const { t } = frame.locale;
  const firstInvalid = ['password', ...fields.map((f) => f.name)].find((name) => errors[name]) ?? 'password';
  return (
    <Layout title={t.newPasswordTitle} lang={frame.locale.lang} stylesheet={frame.stylesheet} logo={frame.logo}>
      <h1>{t.newPasswordTitle}</h1>
      <Alert message={errorSummary(t, alert, errors)} />
      <p id="new-password-intro" class="textDescription-customizable">{t.newPasswordIntro}</p>
      <HostedForm form={form} hidden={{ session, username }}>
        <Field name="password" label={t.newPassword} type="password" autocomplete="new-password" error={errors.password}
          hint={<PasswordHint t={t} rules={rules} />} describedBy={['new-password-intro']} autofocus={firstInvalid === 'password'} />
        {fields.map((field) => (
          <Field name={field.name} label={field.label} type={field.type} autocomplete={field.autocomplete} inputmode={field.inputmode}
            value={values[field.name]} error={errors[field.name]} hint={field.hint} autofocus={field.name === firstInvalid} />
        ))}
        <Submit label={t.save} />
      </HostedForm>
      <Links links={links} />
    </Layout>
  );
}
