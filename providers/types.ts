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
  /** What the upstream needs to end this sign-in's session later (SAML NameID and SessionIndex). */
  session?: Record<string, string>;
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
  /** Single logout with the upstream (SAML SLO); absent when the provider has none or it is off. */
  logout?: UpstreamLogout;
}

/** Ending the upstream's session together with ours, in both directions. */
export interface UpstreamLogout {
  /** Sends the browser to the upstream to end the session a sign-in kept (`FederatedIdentity.session`). */
  start(session: Record<string, string>, state: string): Promise<UpstreamRequest>;
  /** Verifies the upstream's answer to `start`; throws UpstreamError when it does not verify or did not succeed. */
  finish(kept: Record<string, string>, params: URLSearchParams): Promise<void>;
  /** Verifies a logout the upstream started; `rawQuery` is the query as sent (its signature covers the exact bytes). */
  accept(params: URLSearchParams, rawQuery: string): Promise<UpstreamLogoutRequest>;
}

export interface UpstreamLogoutRequest {
  /** Whether a kept session is the one this request ends. */
  names(session: Record<string, string>): boolean;
  /** Where to send the browser with the answer, once the session ended (or there was none to end). */
  answer(success: boolean): Promise<string>;
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
