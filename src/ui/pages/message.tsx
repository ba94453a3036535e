import { Layout } from '../layout.js';
import type { Locale } from '../i18n.js';

export interface MessagePageProps {
  locale: Locale;
  stylesheet: string;
  title: string;
  message: string;
}

/** Errors that must not redirect (bad client or redirect URI) and plain notices. */
export function MessagePage({ locale, stylesheet, title, message }: MessagePageProps) {
  return (
    <Layout title={title} lang={locale.lang} stylesheet={stylesheet}>
      <h1>{title}</h1>
      <p role="alert">{message}</p>
    </Layout>
  );
}
