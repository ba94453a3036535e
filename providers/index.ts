import type { FederatedProvider } from './types.js';

/**
 * ProviderType → adapter factory. Empty until the federation broker lands; the broker
 * will look adapters up here and never special-case a provider.
 */
export const providerFactories: Record<string, (details: Record<string, string>) => FederatedProvider> = {};
