import type { federationEn } from './federation-en.js';

/** German strings of the federation pages. */
export const federationDe: typeof federationEn = {
  orSignInWith: 'Oder anmelden mit',
  continueWith: 'Weiter mit {provider}',
  linkTitle: 'Konto verknüpfen',
  linkIntro: 'Sie haben bereits ein Konto mit {email}. Bestätigen Sie, dass es Ihnen gehört, um sich künftig mit {provider} daran anzumelden.',
  linkWithPassword: 'Mit meinem Passwort verknüpfen',
  linkSendCode: 'Stattdessen einen Code per E-Mail senden',
  linkCodeSent: 'Wir haben einen Code an {destination} gesendet.',
  linkWithCode: 'Mit dem Code verknüpfen',
  linkDecline: 'Getrennt lassen: ein neues Konto anlegen',
  linkNeedsMfa: 'Dieses Konto verwendet Mehr-Faktor-Authentifizierung. Melden Sie sich zuerst daran an und verknüpfen Sie {provider} dann auf Ihrer Kontoseite.',
  identitiesTitle: 'Verknüpfte Anmeldemethoden',
  identitiesNone: 'Mit Ihrem Konto ist kein Identitätsanbieter verknüpft.',
  unlink: '{provider} trennen',
  linkProvider: '{provider} verknüpfen',
  identityLinked: '{provider} ist jetzt mit Ihrem Konto verknüpft.',
  identityUnlinked: '{provider} ist nicht mehr mit Ihrem Konto verknüpft.',
  continueToApp: 'Weiter zur Anwendung',
};
