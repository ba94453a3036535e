import { Alert, errorSummary, Field, HostedForm, Links, PasswordHint, Submit, type FieldProps, type FormBase, type PageLink, type PasswordRules } from '../form.js';
import { Layout, type PageFrame } from '../layout.js';

/** One input of the sign-up form: the username or a user attribute the pool asks for. */
export interface SignUpField {
  name: string;
  label: string;
  type: string;
  autocomplete?: string;
  inputmode?: FieldProps['inputmode'];
  hint?: string;
}

export interface SignUpPageProps {
  frame: PageFrame;
  form: FormBase;
  fields: SignUpField[];
  values: Record<string, string>;
  /** Errors by field name. */
  errors: Record<string, string | undefined>;
  alert?: string;
  rules: PasswordRules;
  links: PageLink[];
}

export function SignUpPage({ frame, form, fields, values, errors, alert, rules, links }: SignUpPageProps) {
  const { t } = frame.locale;
  const summary = errorSummary(t, alert, errors);
  const firstInvalid = [...fields.map((f) => f.name), 'password'].find((name) => errors[name]) ?? fields[0]?.name;
  return (
    <Layout title={t.signUpTitle} lang={frame.locale.lang} stylesheet={frame.stylesheet} logo={frame.logo}>
      <h1>{t.signUpTitle}</h1>
      <Alert message={summary} />
      <HostedForm form={form}>
        {fields.map((field) => (
          <Field name={field.name} label={field.label} type={field.type} autocomplete={field.autocomplete} inputmode={field.inputmode}
            value={values[field.name]} error={errors[field.name]} hint={field.hint} autofocus={field.name === firstInvalid} />
        ))}
        <Field name="password" label={t.password} type="password" autocomplete="new-password" error={errors.password}
          hint={<PasswordHint t={t} rules={rules} />} autofocus={firstInvalid === 'password'} />
        <Submit label={t.signUp} />
      </HostedForm>
      <Links links={links} />
    </Layout>
  );
}
