import { amazon } from './amazon.js';
import { apple } from './apple.js';
import { facebook } from './facebook.js';
import { google } from './google.js';
import { oidc } from './oidc.js';
import { samlKind } from './saml/index.js';
import type { ProviderKind, ProviderType } from './types.js';

/**
 * ProviderType → its kind (details rules + adapter factory). The broker looks adapters up
 * here and never special-cases a provider.
 */
export const providerKinds: Record<ProviderType, ProviderKind> = {
  Google: google,
  Facebook: facebook,
  SignInWithApple: apple,
  LoginWithAmazon: amazon,
  OIDC: oidc,
  SAML: samlKind,
};
