import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Core } from '../../core/context.js';
import { linkKey, unlinkFromUser } from '../../core/federation/linking.js';
import type { FederatedSignIn } from '../../core/federation/broker.js';
import { parseAuthorizeRequest, type AuthorizeRequest } from '../../core/oauth/authorize-request.js';
import { activeSession, type ActiveSession } from '../../core/oauth/sso.js';
import { CognateError } from '../../errors.js';
import type { PoolRecord } from '../../ports.js';
import { format } from '../../ui/i18n.js';
import { IdentitiesPage } from '../../ui/pages/identities.js';
import { authorizeFailure, formOf, frameOf, pageUrl, postedForm } from '../ui/frame.js';
import { renderPage, SSO_COOKIE } from '../ui/page.js';
import { redirectUpstream } from './start.js';

async function showAccount(
  c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, active: ActiveSession, message: { notice?: string; error?: string } = {},
): Promise<Response> {
  const frame = frameOf(c, pool, request.client, request);
  const links = await core.store.federation.forUser(pool.id, active.user.sub);
  const linked = links.map((l) => l.providerName);
  const supported = (request.client.config.SupportedIdentityProviders as string[] | undefined) ?? [];
  const federated = active.user.status === 'EXTERNAL_PROVIDER';
  return renderPage(
    c,
    IdentitiesPage({
      frame,
      form: formOf(c, core, pool, 'account', query),
      username: active.user.attributes.email ?? active.user.username,
      linked,
      // Only native users gather identities: Cognito links external identities to native users.
      linkable: federated ? [] : supported.filter((p) => p !== 'COGNITO' && !linked.includes(p)),
      primary: federated ? links[0]?.providerName : undefined,
      ...message,
      links: [{ href: `/${pool.id}/oauth2/authorize?${query}`, label: frame.locale.t.continueToApp }],
    }),
    message.error ? 400 : 200,
    request.redirectUri,
    await upstreamOrigins(core, pool, supported),
  );
}

/** Where linking a provider sends the browser: each provider's sign-in endpoint, as stored with it. */
async function upstreamOrigins(core: Core, pool: PoolRecord, names: string[]): Promise<string[]> {
  const origins = new Set<string>();
  for (const name of names) {
    const provider = name === 'COGNITO' ? undefined : await core.store.identityProviders.get(pool.id, name);
    const endpoint = provider?.details.authorize_url ?? provider?.details.SSORedirectBindingURI;
    if (endpoint && URL.canParse(endpoint)) origins.add(new URL(endpoint).origin);
  }
  return [...origins];
}

/** `GET /{poolId}/account?{authorization request}`: needs a live hosted session, else sign in first. */
export async function accountPage(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  const params = new URL(c.req.url).searchParams;
  const notice = params.get('linked');
  params.delete('linked');
  const query = params.toString();
  try {
    const request = await parseAuthorizeRequest(core, pool, params);
    const active = await activeSession(core, pool, getCookie(c, SSO_COOKIE));
    if (!active) return c.redirect(pageUrl(pool, 'login', query), 302);
    const t = frameOf(c, pool, request.client, request).locale.t;
    return await showAccount(c, core, pool, request, query, active, notice ? { notice: format(t.identityLinked, { provider: notice }) } : {});
  } catch (error) {
    return authorizeFailure(c, core, pool, params, error);
  }
}

/** `POST /{poolId}/account`: link (off to the provider) or unlink a provider. */
export async function submitAccount(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  const loaded = await postedForm(c, core, pool);
  if (loaded instanceof Response) return loaded;
  const { form, request, query } = loaded;
  const active = await activeSession(core, pool, getCookie(c, SSO_COOKIE));
  if (!active) return c.redirect(pageUrl(pool, 'login', query), 302);
  const provider = form.get('provider') ?? '';
  const t = frameOf(c, pool, request.client, request).locale.t;
  if (form.get('intent') === 'unlink') {
    const link = (await core.store.federation.forUser(pool.id, active.user.sub)).find((l) => l.providerName === provider);
    if (link && active.user.status !== 'EXTERNAL_PROVIDER') {
      const user = await unlinkFromUser(core, active.user, link);
      return showAccount(c, core, pool, request, query, { ...active, user }, { notice: format(t.identityUnlinked, { provider }) });
    }
    return showAccount(c, core, pool, request, query, active);
  }
  const supported = (request.client.config.SupportedIdentityProviders as string[] | undefined) ?? [];
  if (!supported.includes(provider) || provider === 'COGNITO') return showAccount(c, core, pool, request, query, active);
  return redirectUpstream(c, core, pool, request, query, provider, active.user);
}

/** The provider answered a link started from the account page: link it to the user still signed in. */
export async function finishLink(c: Context, core: Core, pool: PoolRecord, signIn: FederatedSignIn, sub: string): Promise<Response> {
  const active = await activeSession(core, pool, getCookie(c, SSO_COOKIE));
  if (!active || active.user.sub !== sub) return c.redirect(pageUrl(pool, 'login', signIn.query), 302);
  try {
    const { identity, provider } = signIn;
    await linkKey(core, pool, active.user, { poolId: pool.id, providerName: provider.name, issuer: identity.issuer, subject: identity.subject });
  } catch (error) {
    if (error instanceof CognateError) return showAccount(c, core, pool, signIn.request, signIn.query, active, { error: error.message });
    throw error;
  }
  return c.redirect(pageUrl(pool, 'account', signIn.query, { linked: signIn.provider.name }), 302);
}
