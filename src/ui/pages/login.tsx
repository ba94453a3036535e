import { Layout } from '../layout.js';
import type { Locale } from '../i18n.js';

export interface LoginPageProps {
  locale: Locale;
  stylesheet: string;
  action: string;
  csrf: string;
  /** The authorization request, carried through the form unchanged. */
  request: string;
  username?: string;
  error?: string;
}

export function LoginPage({ locale, stylesheet, action, csrf, request, username, error }: LoginPageProps) {
  const { t } = locale;
  return (
    <Layout title={t.signInTitle} lang={locale.lang} stylesheet={stylesheet}>
      <h1>{t.signInTitle}</h1>
      {error && (
        <p class="alert" id="form-error" role="alert">
          {error}
        </p>
      )}
      <form method="post" action={action} novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <input type="hidden" name="request" value={request} />
        <label for="username">{t.username}</label>
        <input id="username" name="username" type="text" autocomplete="username" required value={username ?? ''}
          aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'form-error' : undefined} autofocus />
        <label for="password">{t.password}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required
          aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'form-error' : undefined} />
        <button type="submit">{t.signIn}</button>
      </form>
    </Layout>
  );
}
