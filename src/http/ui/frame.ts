import type { Context } from 'hono';
import { clientSecret } from '../../core/api/clients.js';
import { issuerOf, type Core } from '../../core/context.js';
import { secretHash } from '../../core/auth/secret-hash.js';
import { passwordPolicy } from '../../core/directory/pool-config.js';
import { effectiveUiCustomization } from '../../core/directory/ui-customization.js';
import {
  AuthorizePageError, AuthorizeRedirectError, parseAuthorizeRequest, type AuthorizeRequest,
} from '../../core/oauth/authorize-request.js';
import { CognateError } from '../../errors.js';
import type { ClientRecord, PoolRecord } from '../../ports.js';
import type { FormBase, PageLink, PasswordRules } from '../../ui/form.js';
import { pickLocale, type Locale } from '../../ui/i18n.js';
import type { PageFrame } from '../../ui/layout.js';
import { MessagePage } from '../../ui/pages/message.js';
import { redirectWith } from './complete.js';
import { localized } from './errors.js';
import { readForm } from '../oauth/respond.js';
import { checkCsrf, issueCsrf, renderPage } from './page.js';

/** Query parameters a hosted page reads for itself; everything else is the authorization request. */
const PAGE_PARAMS = ['username', 'factor'];

/** The hosted pages, by path under `/{poolId}/`. */
export type HostedPage =
  | 'login' | 'signup' | 'confirm' | 'forgotPassword' | 'confirmForgotPassword' | 'newPassword' | 'mfa' | 'passwordless'
  | 'selectAccount' | 'consent' | 'linkAccount' | 'account';

export function localeOf(c: Context, request?: { uiLocales?: string }): Locale {
  return pickLocale(request?.uiLocales, c.req.header('accept-language'));
}

/** Language, stylesheet and logo: the client's branding when it has its own, else the pool's. */
export function frameOf(c: Context, pool: PoolRecord, client?: ClientRecord, request?: { uiLocales?: string }): PageFrame {
  const locale = localeOf(c, request);
  const branding = effectiveUiCustomization(pool, client);
  const params = new URLSearchParams();
  if (client) params.set('client_id', client.id);
  if (branding) params.set('v', String(branding.LastModifiedDate));
  const query = params.size > 0 ? `?${params}` : '';
  return {
    locale,
    stylesheet: `/${pool.id}/ui/style.css${query}`,
    logo: branding?.ImageFile ? { src: `/${pool.id}/ui/logo${query}`, alt: client?.name ?? pool.name } : undefined,
  };
}

export function formOf(c: Context, core: Core, pool: PoolRecord, page: HostedPage, query: string): FormBase {
  return { action: `/${pool.id}/${page}`, csrf: issueCsrf(c, core, pool.id), request: query };
}

/** A link to another hosted page that carries the same authorization request. */
export function pageUrl(pool: PoolRecord, page: HostedPage, query: string, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(query);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return `/${pool.id}/${page}?${params}`;
}

export function signInLink(pool: PoolRecord, query: string, locale: Locale): PageLink {
  return { href: pageUrl(pool, 'login', query), label: locale.t.backToSignIn };
}

export async function errorPage(c: Context, pool: PoolRecord, locale: Locale, message: string, status = 400, links: PageLink[] = []) {
  const frame = { ...frameOf(c, pool), locale };
  return renderPage(c, MessagePage({ frame, title: locale.t.errorTitle, message, links }), status);
}

/** What `/oauth2/authorize` answers for an invalid request: a page before the redirect URI is trusted, a redirect after. */
export function authorizeFailure(c: Context, core: Core, pool: PoolRecord, params: URLSearchParams, error: unknown): Promise<Response> {
  if (error instanceof AuthorizeRedirectError) {
    const iss = issuerOf(core, pool.id);
    const target = redirectWith(error.redirectUri, { error: error.oauthError, error_description: error.message, state: error.state, iss }, error.responseType === 'token');
    return Promise.resolve(c.redirect(target, 302));
  }
  if (error instanceof AuthorizePageError) {
    const locale = localeOf(c, { uiLocales: params.get('ui_locales') ?? undefined });
    return errorPage(c, pool, locale, localized(error.message, locale.t));
  }
  throw error;
}

/** GET of a hosted page: its query is the authorization request (plus the page's own parameters). */
export async function withRequest(
  c: Context,
  core: Core,
  pool: PoolRecord,
  show: (request: AuthorizeRequest, query: string, params: URLSearchParams) => Promise<Response>,
): Promise<Response> {
  const params = new URL(c.req.url).searchParams;
  const query = new URLSearchParams(params);
  for (const name of PAGE_PARAMS) query.delete(name);
  try {
    const request = await parseAuthorizeRequest(core, pool, query);
    return await show(request, query.toString(), params);
  } catch (error) {
    if (error instanceof AuthorizeRedirectError || error instanceof AuthorizePageError) return authorizeFailure(c, core, pool, query, error);
    throw error;
  }
}

/**
 * Every POST of a hosted page starts here: the form, its CSRF check, and the authorization
 * request that comes back in the hidden `request` field, checked again. A bad request
 * answers with its error page.
 */
export async function postedForm(c: Context, core: Core, pool: PoolRecord): Promise<{ form: URLSearchParams; request: AuthorizeRequest; query: string } | Response> {
  const form = await readForm(c);
  checkCsrf(c, core, form);
  const query = form.get('request') ?? '';
  try {
    return { form, request: await parseAuthorizeRequest(core, pool, new URLSearchParams(query)), query };
  } catch (error) {
    if (error instanceof AuthorizePageError || error instanceof CognateError) return errorPage(c, pool, localeOf(c), localized(error.message, localeOf(c).t));
    throw error;
  }
}

/** The hosted UI acts for the client, so it signs for clients that have a secret. */
export async function secretHashFor(core: Core, client: ClientRecord, username: string): Promise<string | undefined> {
  const secret = await clientSecret(core, client);
  return secret === undefined ? undefined : secretHash(secret, username, client.id);
}

export function passwordRules(pool: PoolRecord): PasswordRules {
  const policy = passwordPolicy(pool.config);
  return { minLength: policy.MinimumLength, upper: policy.RequireUppercase, lower: policy.RequireLowercase, number: policy.RequireNumbers, symbol: policy.RequireSymbols };
}

/** Trimmed form text; passwords are taken as typed. */
export function field(form: URLSearchParams, name: string): string {
  return (form.get(name) ?? '').trim();
}
