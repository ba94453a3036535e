/** Hosted UI strings. English is complete; every other language falls back to it per key. */
const en = {
  signInTitle: 'Sign in',
  username: 'Username or email',
  password: 'Password',
  signIn: 'Sign in',
  signOut: 'Sign out',
  wrongCredentials: 'Incorrect username or password.',
  locked: 'Too many failed attempts. Try again later.',
  notConfirmed: 'Confirm your account before signing in.',
  resetRequired: 'You must reset your password before signing in.',
  disabled: 'This account is disabled.',
  errorTitle: 'Something went wrong',
  signedOut: 'You are signed out.',
  required: 'This field is required.',
  newPasswordTitle: 'Choose a new password',
  newPassword: 'New password',
  save: 'Save',
};

export type Messages = typeof en;

const de: Partial<Messages> = {
  signInTitle: 'Anmelden',
  username: 'Benutzername oder E-Mail',
  password: 'Passwort',
  signIn: 'Anmelden',
  signOut: 'Abmelden',
  wrongCredentials: 'Benutzername oder Passwort ist falsch.',
  locked: 'Zu viele Fehlversuche. Bitte später erneut versuchen.',
  notConfirmed: 'Bestätigen Sie Ihr Konto vor der Anmeldung.',
  resetRequired: 'Sie müssen Ihr Passwort zurücksetzen, bevor Sie sich anmelden.',
  disabled: 'Dieses Konto ist deaktiviert.',
  errorTitle: 'Etwas ist schiefgelaufen',
  signedOut: 'Sie sind abgemeldet.',
  required: 'Dieses Feld ist erforderlich.',
  newPasswordTitle: 'Neues Passwort wählen',
  newPassword: 'Neues Passwort',
  save: 'Speichern',
};

const catalogs: Record<string, Partial<Messages>> = { en, de };

export interface Locale {
  lang: string;
  t: Messages;
}

/** `ui_locales` (space-separated, in order of preference) wins over Accept-Language. */
export function pickLocale(uiLocales: string | undefined, acceptLanguage: string | undefined): Locale {
  const fromAccept = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { tag: tag ?? '', q: q === undefined ? 1 : Number(q) };
    })
    .sort((a, b) => b.q - a.q)
    .map((x) => x.tag);
  for (const tag of [...(uiLocales ?? '').split(' '), ...fromAccept]) {
    const lang = tag.toLowerCase().split('-')[0] ?? '';
    if (catalogs[lang]) return { lang, t: { ...en, ...catalogs[lang] } };
  }
  return { lang: 'en', t: en };
}
