import type { ProviderType } from '../src/records.js';

export type { ProviderType };

/** What adapters may use from the world; the broker passes the pool's injected deps. */
export interface ProviderContext {
  fetch: typeof fetch;
  /** Epoch milliseconds from the injected clock. */
  now(): number;
  randomBytes(length: number): Uint8Array;
  /** `http://` upstream URLs are refused unless the host is loopback or this is set. */
  allowInsecureUpstreams: boolean;
  /** Records `id` as used within `scope` until `expiresAt`; false when it was used before (a replay). */
  useOnce(scope: string, id: string, expiresAt: number): Promise<boolean>;
}

/** The pool's SAML service-provider side: entity id, endpoints and its certificate. */
export interface SamlServiceProvider {
  entityId: string;
  acsUrl: string;
  logoutUrl: string;
  /** PEM certificate and PKCS#8 private key that sign AuthnRequests and decrypt assertions. */
  certificate: string;
  privateKey: string;
}

/** One configured provider of a pool, secrets unsealed, as an adapter needs it. */
export interface ProviderSetup {
  poolId: string;
  name: string;
  type: ProviderType;
  details: Record<string, string>;
  /** `{issuer}/oauth2/idpresponse`: the redirect URI registered upstream. */
  redirectUri: string;
  /** Present for SAML providers only. */
  saml?: SamlServiceProvider;
}

/** An external identity as the upstream asserted it; the broker maps and links it. */
export interface FederatedIdentity {
  /** The upstream's issuer (OIDC `iss`, SAML entity id, or the provider's fixed name for OAuth-only upstreams). */
  issuer: string;
  subject: string;
  /** Claims or SAML attributes as received: nested objects kept, SAML multi-values as arrays. */
  claims: Record<string, unknown>;
}

/** Where to send the browser: a redirect, or an auto-submitted POST (SAML POST binding). */
export interface UpstreamRequest {
  url: string;
  form?: Record<string, string>;
  /** Kept server-side by the broker until the callback, bound to the browser. */
  kept: Record<string, string>;
}

/**
 * A stateless protocol adapter (DESIGN.md §2). `callback` gets the callback's parameters
 * (query, or form body for form_post and the SAML POST binding) and the `kept` state of
 * the matching `authorize`, or `undefined` for an unsolicited (IdP-initiated) response.
 * It throws UpstreamError when anything does not verify.
 */
export interface FederatedProvider {
  authorize(input: { state: string; nonce: string; loginHint?: string }): Promise<UpstreamRequest>;
  callback(kept: Record<string, string> | undefined, params: URLSearchParams): Promise<FederatedIdentity>;
}

/** Checked ProviderDetails: every problem found, and the details to store (defaults filled in). */
export interface DetailsCheck {
  problems: string[];
  details: Record<string, string>;
}

/** A provider type: its ProviderDetails rules and its adapter factory. */
export interface ProviderKind {
  type: ProviderType;
  /** ProviderDetails keys sealed at rest. */
  secretKeys: readonly string[];
  check(details: Record<string, string>, ctx: ProviderContext): Promise<DetailsCheck>;
  /**
   * The issuer this provider's identities carry (the same as `FederatedIdentity.issuer`),
   * from stored details alone: AdminLinkProviderForUser links an identity before any sign-in.
   */
  issuer(details: Record<string, string>): string;
  create(setup: ProviderSetup, ctx: ProviderContext): FederatedProvider;
}
