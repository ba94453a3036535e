import { Alert, Field, HostedForm, Links, Submit, type FormBase, type PageLink } from '../form.js';
import { Layout, type PageFrame } from '../layout.js';

export interface ForgotPasswordPageProps {
  frame: PageFrame;
  form: FormBase;
  username?: string;
  error?: string;
  links: PageLink[];
}

/** Asks who forgot their password; the code goes to that account's verified address. */
export function ForgotPasswordPage({ frame, form, username, error, links }: ForgotPasswordPageProps) {
  const { t } = frame.locale;
  return (
    <Layout title={t.forgotTitle} lang={frame.locale.lang} stylesheet={frame.stylesheet} logo={frame.logo}>
      <h1>{t.forgotTitle}</h1>
      <Alert message={error ? t.fixErrors : undefined} />
      <p id="forgot-intro" class="textDescription-customizable">{t.forgotIntro}</p>
      <HostedForm form={form}>
        <Field name="username" label={t.username} autocomplete="username" value={username} error={error} describedBy={['forgot-intro']} autofocus />
        <Submit label={t.sendCode} />
      </HostedForm>
      <Links links={links} />
    </Layout>
  );
}
