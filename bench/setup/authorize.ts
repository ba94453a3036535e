import { createHash } from 'node:crypto';
import { Browser, hiddenFields } from '../../test/support/browser.js';
import { PEER } from '../peer/fixtures.js';

/** One PKCE pair for every prepared code: the exchange still hashes and compares it each time. */
export const PKCE_VERIFIER = 'bench-pkce-verifier-0123456789-abcdefghij-0123456789';
const PKCE_CHALLENGE = createHash('sha256').update(PKCE_VERIFIER).digest('base64url');
const PREPARE_CONCURRENCY = 8;

export interface AuthorizeTarget {
  /** Where `/oauth2/authorize` (Cognate) or `/auth` (oidc-provider) lives. */
  authorizeUrl: string;
  clientId: string;
  extra?: Record<string, string>;
  /** Signs the browser in when the first request shows a form instead of a code. */
  signIn(browser: Browser, page: Response, url: string): Promise<Response>;
}

function authorizeUrl(target: AuthorizeTarget): string {
  const query = new URLSearchParams({
    client_id: target.clientId,
    response_type: 'code',
    scope: 'openid email',
    redirect_uri: PEER.redirectUri,
    code_challenge: PKCE_CHALLENGE,
    code_challenge_method: 'S256',
    ...target.extra,
  });
  return `${target.authorizeUrl}?${query}`;
}

/** Follows redirects by hand (the callback is not a real server) until the code arrives. */
async function oneCode(browser: Browser, target: AuthorizeTarget): Promise<string> {
  let url = authorizeUrl(target);
  for (let hop = 0; hop < 6; hop++) {
    let answer = await browser.get(url);
    if (answer.status === 200) answer = await target.signIn(browser, answer, url);
    const location = answer.headers.get('location');
    if (!location) throw new Error(`Authorization at ${url} answered ${answer.status}: ${(await answer.text()).slice(0, 300)}`);
    const next = new URL(location, url);
    if (next.href.startsWith(PEER.redirectUri)) {
      const code = next.searchParams.get('code');
      if (!code) throw new Error(`Authorization refused: ${next.search}`);
      return code;
    }
    url = next.href;
  }
  throw new Error(`Authorization at ${target.authorizeUrl} did not end at the callback`);
}

/**
 * Authorization codes through the real authorization endpoint: the first request signs in,
 * the rest reuse the single sign-on session, as a returning user's browser would.
 */
export function codeSource(target: AuthorizeTarget): (count: number) => Promise<string[]> {
  const browser = new Browser();
  let hasSession = false;
  return async (count) => {
    const codes: string[] = [];
    if (!hasSession && count > 0) {
      codes.push(await oneCode(browser, target));
      hasSession = true;
    }
    let started = codes.length;
    const worker = async () => {
      while (started < count) {
        started++;
        codes.push(await oneCode(browser, target));
      }
    };
    await Promise.all(Array.from({ length: PREPARE_CONCURRENCY }, worker));
    return codes;
  };
}

/** Cognate's hosted sign-in form: its hidden fields plus the user's credentials. */
export function hostedSignIn(loginUrl: string, username: string, password: string) {
  return async (browser: Browser, page: Response): Promise<Response> =>
    browser.post(loginUrl, { ...hiddenFields(await page.text()), username, password });
}

/** The peer's interaction finishes by itself (bench/peer/main.ts); a form here is a setup error. */
export async function noForm(_browser: Browser, page: Response, url: string): Promise<Response> {
  throw new Error(`${url} showed a page (${page.status}) where a redirect was expected`);
}
