import { UpstreamError } from '../src/errors.js';
import { authorizationRequest, exchangeCode, fetchProfile, missing, oauth2Options } from './oauth2.js';
import type { ProviderKind } from './types.js';

/** Facebook's classic login issues no ID token; its identities carry this fixed issuer. */
const ISSUER = 'https://www.facebook.com';
const API_VERSION = /^v\d{1,2}\.\d$/;
/** The profile fields asked of the Graph API when `attributes_url` ends in `fields=`. */
const FIELDS = 'id,name,email,first_name,last_name,middle_name,picture';

/** What Cognito's DescribeIdentityProvider shows for Facebook, for an API version. */
function defaults(version: string) {
  return {
    api_version: version,
    authorize_scopes: 'public_profile, email',
    authorize_url: `https://www.facebook.com/${version}/dialog/oauth`,
    token_url: `https://graph.facebook.com/${version}/oauth/access_token`,
    token_request_method: 'GET',
    attributes_url: `https://graph.facebook.com/${version}/me?fields=`,
    attributes_url_add_attributes: 'true',
  };
}

/** appsecret_proof: proves the Graph API call comes from the app holding the secret, not just the token. */
async function appSecretProof(accessToken: string, appSecret: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(appSecret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(accessToken)));
  return [...mac].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const withDefaults = (details: Record<string, string>): Record<string, string> & ReturnType<typeof defaults> => ({ ...defaults(details.api_version ?? 'v17.0'), ...details });

/** Facebook Login: OAuth 2.0, then the Graph API's `/me` names the user (`id`). */
export const facebook: ProviderKind = {
  type: 'Facebook',
  secretKeys: ['client_secret'],
  async check(details) {
    const problems = missing(details, ['client_id', 'client_secret']);
    if (details.api_version !== undefined && !API_VERSION.test(details.api_version)) problems.push('api_version must look like v17.0');
    return { problems, details: withDefaults(details) };
  },
  issuer: () => ISSUER,
  create(setup, ctx) {
    const details = withDefaults(setup.details);
    const options = oauth2Options(setup.redirectUri, details, { pkce: false, tokenRequestMethod: details.token_request_method });
    return {
      async authorize({ state }) {
        return authorizationRequest(ctx, options, state);
      },
      async callback(kept, params) {
        if (!kept) throw new UpstreamError('Facebook does not start sign-ins on its own');
        const accessToken = (await exchangeCode(ctx, options, params, kept)).accessToken();
        const url = new URL(details.attributes_url + (details.attributes_url_add_attributes === 'true' && details.attributes_url.endsWith('fields=') ? FIELDS : ''));
        url.searchParams.set('appsecret_proof', await appSecretProof(accessToken, details.client_secret ?? ''));
        const profile = await fetchProfile(ctx, url.href, accessToken);
        if (typeof profile.id !== 'string' || profile.id === '') throw new UpstreamError('Facebook\'s profile names no id');
        return { issuer: ISSUER, subject: profile.id, claims: profile };
      },
    };
  },
};
