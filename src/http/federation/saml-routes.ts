import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { POOL_ID } from '../../core/api/input.js';
import type { Core } from '../../core/context.js';
import { finishFederatedSignIn, type FederatedSignIn } from '../../core/federation/broker.js';
import { samlMetadata } from '../../core/federation/saml-certificate.js';
import { finishUnsolicitedSignIn } from '../../core/federation/unsolicited.js';
import { acceptUpstreamLogout, finishUpstreamLogout } from '../../core/federation/upstream-logout.js';
import { AuthorizePageError } from '../../core/oauth/authorize-request.js';
import { OAuthError } from '../../errors.js';
import type { PoolRecord } from '../../ports.js';
import { readForm } from '../oauth/respond.js';
import { authorizeFailure, errorPage, localeOf } from '../ui/frame.js';
import { secureCookies, SSO_COOKIE } from '../ui/page.js';
import { signedIn } from '../ui/signed-in.js';
import { finishLink } from './account.js';
import { askToLink } from './link-account.js';
import { BROWSER_COOKIE } from './start.js';

type Env = { Variables: { pool: PoolRecord } };

/** The broker's state (base64url of 32 bytes); anything else in RelayState is an IdP-initiated sign-in's request. */
const BROKER_STATE = /^[A-Za-z0-9_-]{43}$/;

function respond(c: Context<Env>, core: Core, signIn: FederatedSignIn): Promise<Response> {
  const pool = c.get('pool');
  if ('confirm' in signIn.outcome) return askToLink(c, core, pool, signIn, signIn.outcome.confirm);
  if ('linkTo' in signIn.outcome) return finishLink(c, core, pool, signIn, signIn.outcome.linkTo);
  return signedIn(c, core, pool, signIn.request, signIn.query, signIn.outcome.user, { provider: signIn.provider.name, session: signIn.identity.session });
}

/** `/saml2/idpresponse`, the ACS (HTTP-POST binding): a response to our AuthnRequest, or an unsolicited one. */
async function assertionConsumer(c: Context<Env>, core: Core): Promise<Response> {
  const pool = c.get('pool');
  try {
    const form = await readForm(c).catch(() => {
      throw new AuthorizePageError('invalid_request', 'The identity provider sent a malformed answer');
    });
    const relayState = form.get('RelayState');
    const signIn = relayState && BROKER_STATE.test(relayState)
      ? await finishFederatedSignIn(core, pool, relayState, getCookie(c, BROWSER_COOKIE), form)
      : await finishUnsolicitedSignIn(core, pool, relayState, form);
    return await respond(c, core, signIn);
  } catch (error) {
    return authorizeFailure(c, core, pool, new URLSearchParams(), error);
  }
}

/** `/saml2/logout` GET: a LogoutRequest from the IdP (HTTP-Redirect); the browser's session ends when it is the one named. */
async function upstreamLogoutRequest(c: Context<Env>, core: Core): Promise<Response> {
  const pool = c.get('pool');
  const url = new URL(c.req.url);
  const { answer, ended } = await acceptUpstreamLogout(core, pool, getCookie(c, SSO_COOKIE), url.searchParams, url.search.slice(1));
  if (ended) deleteCookie(c, SSO_COOKIE, { path: `/${pool.id}`, secure: secureCookies(core) });
  return c.redirect(answer, 302);
}

/** `/saml2/logout` POST: the IdP's LogoutResponse to the LogoutRequest `/logout` sent; then on to where `/logout` was going. */
async function upstreamLogoutResponse(c: Context<Env>, core: Core): Promise<Response> {
  const form = await readForm(c);
  return c.redirect(await finishUpstreamLogout(core, c.get('pool'), form.get('RelayState'), getCookie(c, BROWSER_COOKIE), form), 302);
}

/** The pool's SAML service-provider endpoints (DESIGN.md §1): ACS, SP metadata, single logout. */
export function samlRoutes(core: Core) {
  const app = new Hono<Env>();
  app.use('/:poolId/saml2/*', async (c, next) => {
    const poolId = c.req.param('poolId') ?? '';
    const pool = POOL_ID.test(poolId) ? await core.store.pools.get(poolId) : undefined;
    if (!pool) return c.text('Not found', 404);
    c.set('pool', pool);
    await next();
  });
  const pageOnError = (handler: (c: Context<Env>, core: Core) => Promise<Response>) => async (c: Context<Env>) => {
    try {
      return await handler(c, core);
    } catch (error) {
      if (error instanceof OAuthError) return errorPage(c, c.get('pool'), localeOf(c), error.message, error.status);
      throw error;
    }
  };
  app.post('/:poolId/saml2/idpresponse', (c) => assertionConsumer(c, core));
  app.get('/:poolId/saml2/metadata', async (c) => {
    c.header('Content-Type', 'application/samlmetadata+xml; charset=utf-8');
    return c.body(await samlMetadata(core, c.get('pool')));
  });
  app.get('/:poolId/saml2/logout', pageOnError(upstreamLogoutRequest));
  app.post('/:poolId/saml2/logout', pageOnError(upstreamLogoutResponse));
  return app;
}
