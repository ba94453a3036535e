import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { POOL_ID } from '../../core/api/input.js';
import type { Core } from '../../core/context.js';
import { finishFederatedSignIn, type FederatedSignIn } from '../../core/federation/broker.js';
import { samlMetadata } from '../../core/federation/saml-certificate.js';
import { finishUnsolicitedSignIn } from '../../core/federation/unsolicited.js';
import { AuthorizePageError } from '../../core/oauth/authorize-request.js';
import type { PoolRecord } from '../../ports.js';
import { readForm } from '../oauth/respond.js';
import { authorizeFailure } from '../ui/frame.js';
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
  return signedIn(c, core, pool, signIn.request, signIn.query, signIn.outcome.user);
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

/** The pool's SAML service-provider endpoints (DESIGN.md §1): ACS and SP metadata. */
export function samlRoutes(core: Core) {
  const app = new Hono<Env>();
  app.use('/:poolId/saml2/*', async (c, next) => {
    const poolId = c.req.param('poolId') ?? '';
    const pool = POOL_ID.test(poolId) ? await core.store.pools.get(poolId) : undefined;
    if (!pool) return c.text('Not found', 404);
    c.set('pool', pool);
    await next();
  });
  app.post('/:poolId/saml2/idpresponse', (c) => assertionConsumer(c, core));
  app.get('/:poolId/saml2/metadata', async (c) => {
    c.header('Content-Type', 'application/samlmetadata+xml; charset=utf-8');
    return c.body(await samlMetadata(core, c.get('pool')));
  });
  return app;
}
