import type { Scenario } from './types.js';

/**
 * Placeholder: a federated OIDC sign-in end to end (Cognate's /oauth2/authorize with
 * identity_provider → a local oidc-provider upstream → /oauth2/idpresponse → code exchange).
 * Federation is being built on another branch; wire the flow in here once it lands.
 */
export const federatedSignIn: Scenario = {
  name: 'federated-sign-in',
  async run() {
    return {
      comparisons: [],
      figures: [{ scenario: 'federated-sign-in', name: 'federated OIDC sign-in end to end', value: 'not run: federation not built yet' }],
      notes: [],
    };
  },
};
