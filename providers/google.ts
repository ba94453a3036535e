import { UpstreamError } from '../src/errors.js';
import { upstreamKeys, verifyIdToken } from './id-token.js';
import { authorizationRequest, exchangeCode, fetchProfile, idTokenOf, missing, oauth2Options, scopesOf } from './oauth2.js';
import type { ProviderKind } from './types.js';

const ISSUER = 'https://accounts.google.com';
/** Cognito's stored default; its answer is not OpenID claims, so it is not read (the ID token carries them). */
const PEOPLE_API = 'https://people.googleapis.com/v1/people/me?personFields=';

/** What Cognito's DescribeIdentityProvider shows for Google. */
const DEFAULTS = {
  authorize_scopes: 'email profile openid',
  authorize_url: 'https://accounts.google.com/o/oauth2/v2/auth',
  token_url: 'https://www.googleapis.com/oauth2/v4/token',
  token_request_method: 'POST',
  attributes_url: PEOPLE_API,
  attributes_url_add_attributes: 'true',
  oidc_issuer: ISSUER,
};
const JWKS_URI = 'https://www.googleapis.com/oauth2/v3/certs';

/** Sign in with Google: OpenID Connect with PKCE; identity from the verified ID token. */
export const google: ProviderKind = {
  type: 'Google',
  secretKeys: ['client_secret'],
  async check(details) {
    const stored = { ...DEFAULTS, ...details };
    const problems = missing(details, ['client_id', 'client_secret']);
    if (!scopesOf(stored.authorize_scopes).includes('openid')) problems.push('authorize_scopes must include openid');
    return { problems, details: stored };
  },
  issuer: (details) => details.oidc_issuer ?? ISSUER,
  create(setup, ctx) {
    const details: Record<string, string> & typeof DEFAULTS = { ...DEFAULTS, ...setup.details };
    const issuer = details.oidc_issuer;
    const options = oauth2Options(setup.redirectUri, details, { pkce: true });
    return {
      async authorize({ state, nonce, loginHint }) {
        return authorizationRequest(ctx, options, state, { nonce, login_hint: loginHint });
      },
      async callback(kept, params) {
        if (!kept) throw new UpstreamError('Google does not start sign-ins on its own');
        const tokens = await exchangeCode(ctx, options, params, kept);
        const claims = await verifyIdToken(idTokenOf(tokens), {
          // Google writes its issuer with or without the scheme.
          issuer: issuer === ISSUER ? [ISSUER, 'accounts.google.com'] : issuer,
          audience: options.clientId,
          keys: upstreamKeys(ctx, details.jwks_uri ?? JWKS_URI),
          nonce: kept.nonce,
          algorithms: ['RS256'],
          now: ctx.now(),
        });
        let profile: Record<string, unknown> = {};
        if (details.attributes_url !== PEOPLE_API) {
          profile = await fetchProfile(ctx, details.attributes_url, tokens.accessToken());
          if (profile.sub !== claims.sub) throw new UpstreamError('Google\'s userinfo is about another user than its ID token');
        }
        return { issuer, subject: claims.sub, claims: { ...profile, ...claims, iss: issuer } };
      },
    };
  },
};
