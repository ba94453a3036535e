import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type ProviderContextLike } from 'oidc-provider';

/** A certified OpenID provider (node oidc-provider) on loopback, as Cognate's upstream. */
export interface OidcUpstream {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Accounts by id: their claims can change between sign-ins. */
  accounts: Map<string, Record<string, unknown>>;
  /** The account the next interaction signs in, without a form. */
  nextLogin: string;
  /** Requests the provider received, e.g. to see how userinfo was asked for. */
  requests: { method: string; path: string }[];
  close(): Promise<void>;
}

async function listening(server: Server): Promise<number> {
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return (server.address() as AddressInfo).port;
}

/**
 * Starts oidc-provider with one confidential client registered for `redirectUris`
 * (Cognate's `/oauth2/idpresponse`), PKCE required, and an interaction route that signs in
 * `nextLogin` at once and grants what was asked (first-party client, no consent page).
 */
export async function startOidcUpstream(redirectUris: string[], accounts: Record<string, Record<string, unknown>> = {}): Promise<OidcUpstream> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'upstream-1', alg: 'RS256', use: 'sig' };
  const clientId = 'cognate';
  const clientSecret = randomBytes(24).toString('base64url');
  let provider!: Provider;
  const upstream: OidcUpstream = {
    issuer: '', clientId, clientSecret, accounts: new Map(Object.entries(accounts)), nextLogin: Object.keys(accounts)[0] ?? '', requests: [], close: async () => {},
  };
  const server = createServer((req, res) => {
    upstream.requests.push({ method: req.method ?? 'GET', path: new URL(req.url ?? '/', 'http://upstream').pathname });
    if (req.url?.startsWith('/interaction/')) {
      provider.interactionFinished(req, res, { login: { accountId: upstream.nextLogin } }, { mergeWithLastSubmission: false }).catch((error: Error) => {
        res.writeHead(500).end(error.message);
      });
      return;
    }
    provider.callback()(req, res);
  });
  upstream.issuer = `http://127.0.0.1:${await listening(server)}`;
  provider = new Provider(upstream.issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: redirectUris, grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' }],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name'] },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, id: string) => {
      const claims = upstream.accounts.get(id);
      return claims && { accountId: id, claims: () => ({ sub: id, ...upstream.accounts.get(id) }) };
    },
    async loadExistingGrant(ctx: ProviderContextLike) {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  upstream.close = () => new Promise<void>((done) => server.close(() => done()));
  return upstream;
}
