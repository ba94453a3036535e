import { format } from '../i18n.js';
import { HostedForm, Links, type FormBase, type PageLink } from '../form.js';
import { Layout, type PageFrame } from '../layout.js';

export interface SelectAccountPageProps {
  frame: PageFrame;
  form: FormBase;
  /** The account the browser is signed in with, and its sub, which the form carries back. */
  username: string;
  account: string;
  links: PageLink[];
}

/** `prompt=select_account` with a live session: go on as that account, or sign in as someone else. */
export function SelectAccountPage({ frame, form, username, account, links }: SelectAccountPageProps) {
  const { t } = frame.locale;
  return (
    <Layout title={t.selectAccountTitle} lang={frame.locale.lang} stylesheet={frame.stylesheet} logo={frame.logo}>
      <h1>{t.selectAccountTitle}</h1>
      <p id="select-intro" class="textDescription-customizable">{format(t.selectAccountIntro, { username })}</p>
      <HostedForm form={form} hidden={{ account }}>
        <button type="submit" name="choice" value="continue" class="submitButton-customizable" aria-describedby="select-intro">
          {format(t.continueAs, { username })}
        </button>
        <button type="submit" name="choice" value="switch" class="secondary submitButton-customizable">{t.useAnotherAccount}</button>
      </HostedForm>
      <Links links={links} />
    </Layout>
  );
}
