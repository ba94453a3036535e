import { UpstreamError } from '../src/errors.js';
import { authorizationRequest, exchangeCode, fetchProfile, missing, oauth2Options } from './oauth2.js';
import type { ProviderKind } from './types.js';

/** Login with Amazon issues no ID token; its identities carry this fixed issuer. */
const ISSUER = 'https://www.amazon.com';

/** What Cognito's DescribeIdentityProvider shows for Login with Amazon. */
const DEFAULTS = {
  authorize_scopes: 'profile postal_code',
  authorize_url: 'https://www.amazon.com/ap/oa',
  token_url: 'https://api.amazon.com/auth/o2/token',
  token_request_method: 'POST',
  attributes_url: 'https://api.amazon.com/user/profile',
  attributes_url_add_attributes: 'false',
};

/** Login with Amazon: OAuth 2.0 with PKCE; the profile endpoint names the user (`user_id`). */
export const amazon: ProviderKind = {
  type: 'LoginWithAmazon',
  secretKeys: ['client_secret'],
  async check(details) {
    return { problems: missing(details, ['client_id', 'client_secret']), details: { ...DEFAULTS, ...details } };
  },
  issuer: () => ISSUER,
  create(setup, ctx) {
    const details: Record<string, string> & typeof DEFAULTS = { ...DEFAULTS, ...setup.details };
    const options = oauth2Options(setup.redirectUri, details, { pkce: true });
    return {
      async authorize({ state }) {
        return authorizationRequest(ctx, options, state);
      },
      async callback(kept, params) {
        if (!kept) throw new UpstreamError('Login with Amazon does not start sign-ins on its own');
        const tokens = await exchangeCode(ctx, options, params, kept);
        const profile = await fetchProfile(ctx, details.attributes_url, tokens.accessToken());
        if (typeof profile.user_id !== 'string' || profile.user_id === '') throw new UpstreamError('Amazon\'s profile names no user_id');
        return { issuer: ISSUER, subject: profile.user_id, claims: profile };
      },
    };
  },
};
