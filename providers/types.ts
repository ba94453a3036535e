/** What a provider hands the broker after a successful upstream sign-in. */
export interface FederatedIdentity {
  providerName: string;
  issuer: string;
  subject: string;
  attributes: Record<string, string>;
}

/**
 * A stateless protocol adapter (DESIGN.md §2): the broker keeps `state` between the
 * redirect and the callback, and owns cookies and routes.
 */
export interface FederatedProvider {
  authorize(input: { redirectUri: string; nonce: string; state: string }): Promise<{ url: string; state: Record<string, string> }>;
  callback(kept: Record<string, string>, params: URLSearchParams): Promise<FederatedIdentity>;
}
