import { Alert, Field, HostedForm, Links, Notice, Submit, type FormBase, type PageLink } from '../form.js';
import { Layout, type PageFrame } from '../layout.js';

export interface LoginPageProps {
  frame: PageFrame;
  form: FormBase;
  username?: string;
  /** One message for the whole form: credential errors must not say which field was wrong. */
  error?: string;
  notice?: string;
  links: PageLink[];
}

export function LoginPage({ frame, form, username, error, notice, links }: LoginPageProps) {
  const { t } = frame.locale;
  const describedBy = error ? ['form-error'] : [];
  return (
    <Layout title={t.signInTitle} lang={frame.locale.lang} stylesheet={frame.stylesheet} logo={frame.logo}>
      <h1>{t.signInTitle}</h1>
      <Alert message={error} />
      <Notice message={notice} />
      <HostedForm form={form}>
        <Field name="username" label={t.username} autocomplete="username" value={username} describedBy={describedBy} invalid={!!error}
          autofocus={!username} />
        <Field name="password" label={t.password} type="password" autocomplete="current-password" describedBy={describedBy} invalid={!!error}
          autofocus={!!username} />
        <Submit label={t.signIn} />
      </HostedForm>
      <Links links={links} />
    </Layout>
  );
}
