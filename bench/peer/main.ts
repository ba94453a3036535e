/**
 * The peer: oidc-provider, configured to do what Cognate does on the measured paths.
 * Run as a child process by the bench: PORT=... node --import tsx bench/peer/main.ts
 */
import { exportJWK, generateKeyPair } from 'jose';
import { MapAdapter } from './map-adapter.js';
import { PEER } from './fixtures.js';
import { loadProvider, type ClientRecord, type KoaContext } from './provider-api.js';

const port = Number(process.env.PORT ?? 3000);
const issuer = `http://127.0.0.1:${port}`;

async function signingKey(alg: 'RS256' | 'ES256') {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  return { ...(await exportJWK(privateKey)), alg, use: 'sig', kid: `peer-${alg.toLowerCase()}` };
}

const algOf = (resource: string) => (resource === PEER.resources.ES256 ? 'ES256' : 'RS256');

const configuration = {
  adapter: MapAdapter,
  jwks: { keys: [await signingKey('RS256'), await signingKey('ES256')] },
  cookies: { keys: ['bench-cookie-key-0123456789abcdef'] },
  clients: [
    {
      client_id: PEER.ccClient.id,
      client_secret: PEER.ccClient.secret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    {
      client_id: PEER.codeClient.id,
      client_secret: PEER.codeClient.secret,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [PEER.redirectUri],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  scopes: ['openid', 'email', 'offline_access'],
  findAccount: async (_ctx: unknown, sub: string) => ({
    accountId: sub,
    claims: async () => ({ sub, email: PEER.account.email, email_verified: true }),
  }),
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    userinfo: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (_ctx: unknown, _client: unknown, oneOf?: string) => oneOf,
      // Code and refresh exchanges keep the resource the authorization asked for.
      useGrantedResource: async () => true,
      getResourceServerInfo: async (_ctx: unknown, resource: string) => ({
        scope: PEER.resourceScope,
        audience: resource,
        accessTokenTTL: 3600,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: algOf(resource) } },
      }),
    },
  },
  pkce: { required: () => true },
  // Like Cognate: every code exchange yields a refresh token, rotated on every use, and
  // tokens outlive the browser session that produced them.
  issueRefreshToken: async (_ctx: unknown, client: ClientRecord) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,
  expiresWithSession: async () => false,
  ttl: { AccessToken: 3600, AuthorizationCode: 600, IdToken: 3600, RefreshToken: 30 * 86_400, ClientCredentials: 3600, Grant: 30 * 86_400, Session: 86_400, Interaction: 600 },
  interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
};

const Provider = await loadProvider();
const provider = new Provider(issuer, configuration);

/** Signs the bench user in without a form: the interaction finishes at once with a full grant. */
provider.use(async (ctx: KoaContext, next: () => Promise<void>) => {
  if (!ctx.path.startsWith('/interaction/')) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const clientId = String(details.params.client_id);
  const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: PEER.account.sub, clientId });
  if (!grant) throw new Error('grant vanished');
  grant.addOIDCScope(String(details.params.scope ?? 'openid'));
  const resource = details.params.resource;
  if (typeof resource === 'string') grant.addResourceScope(resource, PEER.resourceScope);
  const grantId = await grant.save();
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, { login: { accountId: PEER.account.sub }, consent: { grantId } }, { mergeWithLastSubmission: false });
  ctx.status = 303;
  ctx.redirect(returnTo);
});

provider.listen(port, '127.0.0.1');
console.log(`oidc-provider peer listening on ${issuer}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
