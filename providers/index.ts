import { samlKind } from './saml/index.js';
import type { ProviderKind, ProviderType } from './types.js';

/**
 * ProviderType → its kind (details rules + adapter factory). The broker looks adapters up
 * here and never special-cases a provider.
 */
export const providerKinds: Partial<Record<ProviderType, ProviderKind>> = {
  SAML: samlKind,
};
