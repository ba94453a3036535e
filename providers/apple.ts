import { importPKCS8, SignJWT } from 'jose';
import { UpstreamError } from '../src/errors.js';
import { upstreamKeys, verifyIdToken } from './id-token.js';
import { authorizationRequest, exchangeCode, flag, idTokenOf, missing, oauth2Options } from './oauth2.js';
import type { ProviderKind } from './types.js';

const ISSUER = 'https://appleid.apple.com';
const JWKS_URI = 'https://appleid.apple.com/auth/keys';
const APPLE_ID = /^[A-Z0-9]{10}$/;
/** Apple accepts client secrets up to six months old; a fresh short one per exchange leaks nothing lasting. */
const CLIENT_SECRET_SECONDS = 300;

/** What Cognito's DescribeIdentityProvider shows for Sign in with Apple. */
const DEFAULTS = {
  authorize_scopes: 'email name',
  authorize_url: 'https://appleid.apple.com/auth/authorize',
  token_url: 'https://appleid.apple.com/auth/token',
  token_request_method: 'POST',
  oidc_issuer: ISSUER,
};

/**
 * The name Apple posts in `user` on the first sign-in only. The field is not signed, but the
 * callback is bound to the browser that started the sign-in, so it can only name the person
 * signing in; email comes from the signed ID token alone. Later sign-ins send no `user`:
 * the claims then lack the name and the mapping leaves the stored one alone.
 */
function firstSignInName(raw: string | null): Record<string, string> {
  let user: unknown;
  try {
    user = raw ? JSON.parse(raw) : undefined;
  } catch {
    return {};
  }
  const name = (user as { name?: { firstName?: unknown; lastName?: unknown } } | undefined)?.name;
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 256) : undefined);
  const firstName = text(name?.firstName);
  const lastName = text(name?.lastName);
  const full = [firstName, lastName].filter(Boolean).join(' ');
  return Object.fromEntries(Object.entries({ firstName, lastName, name: full || undefined }).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

/** Sign in with Apple: `form_post` answers, an ES256 client-secret JWT, identity from the verified ID token. */
export const apple: ProviderKind = {
  type: 'SignInWithApple',
  secretKeys: ['private_key'],
  async check(details) {
    const problems = missing(details, ['client_id', 'team_id', 'key_id', 'private_key']);
    if (details.team_id && !APPLE_ID.test(details.team_id)) problems.push('team_id must be the 10-character Apple team ID');
    if (details.key_id && !APPLE_ID.test(details.key_id)) problems.push('key_id must be the 10-character ID of the Sign in with Apple key');
    if (details.private_key && !(await importPKCS8(details.private_key, 'ES256').then(() => true, () => false))) {
      problems.push('private_key must be a PKCS#8 PEM of an EC P-256 private key');
    }
    return { problems, details: { ...DEFAULTS, ...details } };
  },
  issuer: (details) => details.oidc_issuer ?? ISSUER,
  create(setup, ctx) {
    const details: Record<string, string> & typeof DEFAULTS = { ...DEFAULTS, ...setup.details };
    const issuer = details.oidc_issuer;
    const clientId = details.client_id ?? '';
    const clientSecret = async () => {
      const now = Math.floor(ctx.now() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: details.key_id })
        .setIssuer(details.team_id ?? '')
        .setSubject(clientId)
        .setAudience(issuer)
        .setIssuedAt(now)
        .setExpirationTime(now + CLIENT_SECRET_SECONDS)
        .sign(await importPKCS8(details.private_key ?? '', 'ES256'));
    };
    const options = oauth2Options(setup.redirectUri, details, { clientId, clientSecret, pkce: false });
    return {
      async authorize({ state, nonce }) {
        // Apple requires form_post whenever name or email is asked for.
        return authorizationRequest(ctx, options, state, { response_mode: 'form_post', nonce });
      },
      async callback(kept, params) {
        if (!kept) throw new UpstreamError('Sign in with Apple does not start sign-ins on its own');
        const tokens = await exchangeCode(ctx, options, params, kept);
        const claims = await verifyIdToken(idTokenOf(tokens), {
          issuer,
          audience: clientId,
          keys: upstreamKeys(ctx, details.jwks_uri ?? JWKS_URI),
          nonce: kept.nonce,
          algorithms: ['RS256'],
          now: ctx.now(),
        });
        const flags = { email_verified: flag(claims.email_verified), is_private_email: flag(claims.is_private_email) };
        return { issuer, subject: claims.sub, claims: { ...claims, ...flags, ...firstSignInName(params.get('user')) } };
      },
    };
  },
};
