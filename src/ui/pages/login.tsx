import { Alert, Field, HostedForm, Links, Notice, Submit, type FormBase, type PageLink } from '../form.js';
import { Layout, type PageFrame } from '../layout.js';
import { ProviderButtons, type ProviderLink } from '../provider-buttons.js';

export interface LoginPageProps {
  frame: PageFrame;
  form: FormBase;
  username?: string;
  /** One message for the whole form: credential errors must not say which field was wrong. */
  error?: string;
  notice?: string;
  links: PageLink[];
  /** External identity providers the client offers (SupportedIdentityProviders). */
  providers?: ProviderLink[];
  /** False when the client does not offer the pool's own directory (COGNITO). */
  passwordForm?: boolean;
}

export function LoginPage({ frame, form, username, error, notice, links, providers = [], passwordForm = true }: LoginPageProps) {
  const { t } = frame.locale;
  const describedBy = error ? ['form-error'] : [];
  return (
    <Layout title={t.signInTitle} lang={frame.locale.lang} stylesheet={frame.stylesheet} logo={frame.logo}>
      <h1>{t.signInTitle}</h1>
      <Alert message={error} />
      <Notice message={notice} />
      {passwordForm && <HostedForm form={form}>
        <Field name="username" label={t.username} autocomplete="username" value={username} describedBy={describedBy} invalid={!!error}
          autofocus={!username} />
        <Field name="password" label={t.password} type="password" autocomplete="current-password" describedBy={describedBy} invalid={!!error}
          autofocus={!!username} />
        <Submit label={t.signIn} />
      </HostedForm>}
      <ProviderButtons locale={frame.locale} providers={providers} separate={passwordForm} />
      {passwordForm && <Links links={links} />}
    </Layout>
  );
}
