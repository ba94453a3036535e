import { createRemoteJWKSet, customFetch, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { UpstreamError } from '../src/errors.js';
import type { ProviderContext } from './types.js';
import { upstreamFetch } from './upstream-url.js';

/** Public-key algorithms only: `none` and HS* (which a public key could "sign") are never accepted. */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
const CLOCK_SKEW_SECONDS = 60;
/** A code is redeemed seconds after the upstream issued its ID token; an hour leaves room for slow clocks. */
const MAX_ID_TOKEN_AGE = '1h';

export interface IdTokenExpectations {
  /** The upstream's issuer; several when it writes one issuer two ways (Google). */
  issuer: string | string[];
  /** Our client_id at the upstream. */
  audience: string;
  keys: JWTVerifyGetKey;
  /** The nonce sent with the authorization request; the ID token must echo it. */
  nonce?: string;
  /** Narrows ASYMMETRIC_ALGORITHMS, e.g. Apple and Google sign with RS256 only. */
  algorithms?: string[];
  /** Epoch milliseconds from the injected clock. */
  now: number;
}

export interface IdTokenClaims extends JWTPayload {
  iss: string;
  sub: string;
}

// One remote key set per (fetch, URL): jose caches keys and refetches on an unknown kid after a
// cooldown, and never caches a failed fetch. Keyed by the app's fetch so separate apps stay apart.
const keySets = new WeakMap<typeof fetch, Map<string, JWTVerifyGetKey>>();
const MAX_KEY_SETS = 256;

/** The upstream's published keys (its `jwks_uri`), fetched through the context's fetch. */
export function upstreamKeys(ctx: ProviderContext, jwksUri: string): JWTVerifyGetKey {
  let sets = keySets.get(ctx.fetch);
  if (!sets) keySets.set(ctx.fetch, (sets = new Map()));
  const key = `${ctx.allowInsecureUpstreams ? 'insecure' : 'strict'} ${jwksUri}`;
  let keys = sets.get(key);
  if (!keys) {
    if (sets.size >= MAX_KEY_SETS) sets.delete(sets.keys().next().value!);
    keys = createRemoteJWKSet(new URL(jwksUri), { [customFetch]: upstreamFetch(ctx) });
    sets.set(key, keys);
  }
  return keys;
}

function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return error.claim === 'iat' ? 'was issued too long ago' : 'has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'was issued by another issuer';
    if (error.claim === 'aud') return 'is for another audience';
    if (error.claim === 'iat' || error.claim === 'nbf') return 'is not valid yet';
    return `has a missing or invalid ${error.claim} claim`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'is signed with an algorithm that is not allowed';
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return 'is signed by a key the identity provider does not publish';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'has a signature that does not verify';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error instanceof UpstreamError) return 'could not be checked: the identity provider\'s keys are unavailable';
  if (error instanceof errors.JOSEError) return 'is malformed';
  return 'could not be checked: the identity provider\'s keys are unavailable';
}

/**
 * The one ID-token check for every upstream (DESIGN.md §2): signature by a published key
 * with an allowed public-key algorithm, issuer, audience (and `azp` when several or
 * present), `exp`/`iat`/`nbf` against the injected clock with a small skew, and the nonce.
 */
export async function verifyIdToken(token: string, expected: IdTokenExpectations): Promise<IdTokenClaims> {
  const algorithms = (expected.algorithms ?? ASYMMETRIC_ALGORITHMS).filter((a) => ASYMMETRIC_ALGORITHMS.includes(a));
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch (error) {
    throw new UpstreamError('The identity provider\'s ID token is malformed', { cause: error });
  }
  if (typeof alg !== 'string' || !algorithms.includes(alg)) {
    throw new UpstreamError(`The identity provider's ID token is signed with ${String(alg)}, which is not allowed`);
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, expected.keys, {
      issuer: expected.issuer,
      audience: expected.audience,
      algorithms,
      currentDate: new Date(expected.now),
      clockTolerance: CLOCK_SKEW_SECONDS,
      maxTokenAge: MAX_ID_TOKEN_AGE,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
    }));
  } catch (error) {
    throw new UpstreamError(`The identity provider's ID token ${reason(error)}`, { cause: error });
  }
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if ((audiences.length > 1 || payload.azp !== undefined) && payload.azp !== expected.audience) {
    throw new UpstreamError('The identity provider\'s ID token was issued to another party (azp)');
  }
  if (expected.nonce !== undefined && payload.nonce !== expected.nonce) {
    throw new UpstreamError('The identity provider\'s ID token does not carry the nonce of this sign-in');
  }
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new UpstreamError('The identity provider\'s ID token names no subject');
  return payload as IdTokenClaims;
}
