import { format } from '../i18n.js';
import { HostedForm, type FormBase } from '../form.js';
import { Layout, type PageFrame } from '../layout.js';

export interface ConsentPageProps {
  frame: PageFrame;
  form: FormBase;
  clientName: string;
  /** What each requested scope lets the client do, in the page's language where the scope is a standard one. */
  scopes: string[];
  username: string;
  /** The signed-in account's sub, which the form carries back. */
  account: string;
}

/** `prompt=consent`: the client and what it asks for, with Allow and Deny. */
export function ConsentPage({ frame, form, clientName, scopes, username, account }: ConsentPageProps) {
  const { t } = frame.locale;
  return (
    <Layout title={t.consentTitle} lang={frame.locale.lang} stylesheet={frame.stylesheet} logo={frame.logo}>
      <h1>{t.consentTitle}</h1>
      <p id="consent-intro" class="textDescription-customizable">{format(t.consentIntro, { client: clientName })}</p>
      <ul class="scopes" aria-labelledby="consent-intro">
        {scopes.map((scope) => (
          <li>{scope}</li>
        ))}
      </ul>
      <p class="hint textDescription-customizable">{format(t.consentSignedInAs, { username })}</p>
      <HostedForm form={form} hidden={{ account }}>
        <button type="submit" name="decision" value="allow" class="submitButton-customizable">{t.allow}</button>
        <button type="submit" name="decision" value="deny" class="secondary submitButton-customizable">{t.deny}</button>
      </HostedForm>
    </Layout>
  );
}
