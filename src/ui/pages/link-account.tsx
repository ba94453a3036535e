import { format } from '../i18n.js';
import { Alert, Field, HostedForm, Links, Notice, Submit, type FormBase, type PageLink } from '../form.js';
import { Layout, type PageFrame } from '../layout.js';

export interface LinkAccountPageProps {
  frame: PageFrame;
  form: FormBase;
  /** The pending link's one-time handle. */
  pending: string;
  email: string;
  provider: string;
  canProve: boolean;
  codeSentTo?: string;
  error?: string;
  links: PageLink[];
}

/**
 * A first sign-in through a `confirm` provider whose email matches a native account: the
 * person proves the account is theirs (password or emailed code), or keeps them apart.
 */
export function LinkAccountPage({ frame, form, pending, email, provider, canProve, codeSentTo, error, links }: LinkAccountPageProps) {
  const { t } = frame.locale;
  const hidden = { pending };
  return (
    <Layout title={t.linkTitle} lang={frame.locale.lang} stylesheet={frame.stylesheet} logo={frame.logo}>
      <h1>{t.linkTitle}</h1>
      <Alert message={error} />
      <p id="link-intro">{format(canProve ? t.linkIntro : t.linkNeedsMfa, { email, provider })}</p>
      {canProve && !codeSentTo && (
        <HostedForm form={form} hidden={hidden}>
          <Field name="password" label={t.password} type="password" autocomplete="current-password" describedBy={['link-intro']} autofocus required={false} />
          <Submit label={t.linkWithPassword} />
          <button type="submit" name="intent" value="send-code" class="secondary submitButton-customizable" formnovalidate>{t.linkSendCode}</button>
        </HostedForm>
      )}
      {canProve && codeSentTo && (
        <HostedForm form={form} hidden={{ ...hidden, intent: 'code' }}>
          <Notice message={format(t.linkCodeSent, { destination: codeSentTo })} />
          <Field name="code" label={t.code} autocomplete="one-time-code" inputmode="numeric" autofocus />
          <Submit label={t.linkWithCode} />
        </HostedForm>
      )}
      <HostedForm form={form} hidden={{ ...hidden, intent: 'decline' }}>
        <Submit label={t.linkDecline} secondary />
      </HostedForm>
      <Links links={links} />
    </Layout>
  );
}
