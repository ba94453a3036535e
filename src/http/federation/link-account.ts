import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Core } from '../../core/context.js';
import { confirmLink, declineLink, holdForConfirmation, sendLinkCode, type PendingLink } from '../../core/federation/confirm-link.js';
import type { FederatedSignIn } from '../../core/federation/broker.js';
import { AuthorizePageError } from '../../core/oauth/authorize-request.js';
import type { PoolRecord, UserRecord } from '../../ports.js';
import { LinkAccountPage } from '../../ui/pages/link-account.js';
import { errorPage, field, formOf, frameOf, localeOf, signInLink } from '../ui/frame.js';
import { checkCsrf, renderPage } from '../ui/page.js';
import { readForm } from '../oauth/respond.js';
import { signedIn } from '../ui/signed-in.js';
import { browserSecret, BROWSER_COOKIE } from './start.js';

function showLinkPage(c: Context, core: Core, pool: PoolRecord, pending: PendingLink, error?: string): Promise<Response> {
  const frame = frameOf(c, pool, pending.request.client, pending.request);
  return renderPage(
    c,
    LinkAccountPage({
      frame,
      form: formOf(c, core, pool, 'linkAccount', pending.query),
      pending: pending.id,
      email: pending.native.attributes.email ?? '',
      provider: pending.provider.name,
      canProve: pending.canProve,
      codeSentTo: pending.codeSentTo?.Destination,
      error,
      links: [signInLink(pool, pending.query, frame.locale)],
    }),
    error ? 400 : 200,
    pending.request.redirectUri,
  );
}

/** A `confirm` provider found a native account with the same email: ask before linking. */
export async function askToLink(c: Context, core: Core, pool: PoolRecord, signIn: FederatedSignIn, native: UserRecord): Promise<Response> {
  const pending = await holdForConfirmation(core, pool, browserSecret(c, core, pool), {
    request: signIn.request, query: signIn.query, native, provider: signIn.provider, identity: signIn.identity,
  });
  return showLinkPage(c, core, pool, pending);
}

/** `POST /{poolId}/linkAccount`: password, send a code, code, or decline. */
export async function submitLinkAccount(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  const form = await readForm(c);
  checkCsrf(c, core, form);
  const id = form.get('pending') ?? '';
  const browser = getCookie(c, BROWSER_COOKIE);
  try {
    const intent = form.get('intent');
    if (intent === 'send-code') return await showLinkPage(c, core, pool, await sendLinkCode(core, pool, id, browser));
    const result = intent === 'decline'
      ? await declineLink(core, pool, id, browser)
      : await confirmLink(core, pool, id, browser, intent === 'code' ? { code: field(form, 'code') } : { password: form.get('password') ?? '' });
    if ('retry' in result) return await showLinkPage(c, core, pool, result.retry, result.error);
    return await signedIn(c, core, pool, result.request, result.query, result.signedIn);
  } catch (error) {
    if (error instanceof AuthorizePageError) return errorPage(c, pool, localeOf(c), error.message);
    throw error;
  }
}
