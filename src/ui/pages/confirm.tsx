import { Alert, Field, HostedForm, Links, Notice, Submit, type FormBase, type PageLink } from '../form.js';
import { Layout, type PageFrame } from '../layout.js';

export interface ConfirmPageProps {
  frame: PageFrame;
  form: FormBase;
  /** Known from the sign-up just made (kept hidden), or typed by the user. */
  username?: string;
  /** Lets the browser that signed up continue signed in after confirming. */
  session?: string;
  /** Where the code went, already put into words. */
  sentTo?: string;
  codeError?: string;
  usernameError?: string;
  alert?: string;
  notice?: string;
  links: PageLink[];
}

/** Confirms a new account with the code it was sent; the second button asks for a new code. */
export function ConfirmPage({ frame, form, username, session, sentTo, codeError, usernameError, alert, notice, links }: ConfirmPageProps) {
  const { t } = frame.locale;
  const askName = username === undefined || usernameError !== undefined;
  const hidden: Record<string, string> = { ...(askName ? {} : { username: username! }), ...(session ? { session } : {}) };
  return (
    <Layout title={t.confirmTitle} lang={frame.locale.lang} stylesheet={frame.stylesheet} logo={frame.logo}>
      <h1>{t.confirmTitle}</h1>
      <Alert message={alert ?? (codeError || usernameError ? t.fixErrors : undefined)} />
      <Notice message={notice} />
      <p id="sent-to" class="textDescription-customizable">{sentTo ?? t.codeSentGeneric}</p>
      <HostedForm form={form} hidden={hidden}>
        {askName && <Field name="username" label={t.username} autocomplete="username" value={username} error={usernameError} autofocus={!codeError} />}
        <Field name="code" label={t.code} autocomplete="one-time-code" inputmode="numeric" error={codeError} describedBy={['sent-to']}
          autofocus={!askName || !!codeError} />
        <Submit label={t.confirm} />
        <button type="submit" name="intent" value="resend" class="secondary submitButton-customizable" formnovalidate>{t.resendCode}</button>
      </HostedForm>
      <Links links={links} />
    </Layout>
  );
}
