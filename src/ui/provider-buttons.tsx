import { format, type Locale } from './i18n.js';

export interface ProviderLink {
  name: string;
  href: string;
}

/** One plain link per identity provider the application offers; no script, no third-party images. */
export function ProviderButtons({ locale, providers, separate }: { locale: Locale; providers: ProviderLink[]; separate: boolean }) {
  if (providers.length === 0) return null;
  return (
    <nav class="providers" aria-label={locale.t.orSignInWith}>
      {separate && <p class="separator">{locale.t.orSignInWith}</p>}
      {providers.map((p) => (
        <a class="provider-button submitButton-customizable" href={p.href}>{format(locale.t.continueWith, { provider: p.name })}</a>
      ))}
    </nav>
  );
}
