import { format } from '../i18n.js';
import { Alert, HostedForm, Links, Notice, type FormBase, type PageLink } from '../form.js';
import { Layout, type PageFrame } from '../layout.js';

export interface IdentitiesPageProps {
  frame: PageFrame;
  form: FormBase;
  username: string;
  linked: string[];
  /** Providers the application offers that are not linked yet. */
  linkable: string[];
  /** Federated users keep their own identity: it cannot be unlinked. */
  primary?: string;
  notice?: string;
  error?: string;
  links: PageLink[];
}

/** A signed-in user's linked identity providers: unlink one, or link another. */
export function IdentitiesPage({ frame, form, username, linked, linkable, primary, notice, error, links }: IdentitiesPageProps) {
  const { t } = frame.locale;
  return (
    <Layout title={t.identitiesTitle} lang={frame.locale.lang} stylesheet={frame.stylesheet} logo={frame.logo}>
      <h1>{t.identitiesTitle}</h1>
      <p class="textDescription-customizable">{username}</p>
      <Alert message={error} />
      <Notice message={notice} />
      {linked.length === 0 ? <p>{t.identitiesNone}</p> : (
        <ul class="identities">
          {linked.map((provider) => (
            <li>
              {provider}
              {provider !== primary && (
                <HostedForm form={form} hidden={{ intent: 'unlink', provider }}>
                  <button type="submit" class="secondary submitButton-customizable">{format(t.unlink, { provider })}</button>
                </HostedForm>
              )}
            </li>
          ))}
        </ul>
      )}
      {linkable.map((provider) => (
        <HostedForm form={form} hidden={{ intent: 'link', provider }}>
          <button type="submit" class="submitButton-customizable">{format(t.linkProvider, { provider })}</button>
        </HostedForm>
      ))}
      <Links links={links} />
    </Layout>
  );
}
