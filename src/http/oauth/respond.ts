import type { Context } from 'hono';
import { CognateError, OAuthError } from '../../errors.js';
import type { Logger } from '../../ports.js';

export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** An answer described without a framework, so a runtime can send it as it likes. */
export interface PlainResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_TYPE = 'application/json';

export function plainJson(status: number, value: unknown, headers: Record<string, string> = {}): PlainResponse {
  return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body: JSON.stringify(value) };
}

/** RFC 6749 §5.2 error body. Unexposed errors become `server_error`; the log keeps the detail. */
export function oauthError(error: unknown, logger: Logger, extraHeaders: Record<string, string> = {}): PlainResponse {
  if (error instanceof CognateError && error.expose) {
    const status = error instanceof OAuthError ? error.status : 400;
    return plainJson(status, { error: error.oauthError, error_description: error.message }, { ...NO_STORE, ...extraHeaders });
  }
  logger.error('unhandled error', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return plainJson(500, { error: 'server_error', error_description: 'Internal server error' }, NO_STORE);
}

export function sendPlain(c: Context, answer: PlainResponse): Response {
  return c.body(answer.body, answer.status as 200, answer.headers);
}

const isForm = (contentType: string | undefined) => (contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');

/** RFC 6749 §3.2: form-encoded POST bodies, each parameter at most once. */
export function parseForm(contentType: string | undefined, body: string): URLSearchParams {
  if (!isForm(contentType)) {
    throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(body);
  for (const key of new Set(form.keys())) {
    if (form.getAll(key).length > 1) throw new OAuthError('invalid_request', `Parameter ${key} is repeated`);
  }
  return form;
}

/** The body when it is a form; other bodies are refused by parseForm without being read. */
export async function formText(c: Context): Promise<string> {
  return isForm(c.req.header('content-type')) ? c.req.text() : '';
}

export async function readForm(c: Context): Promise<URLSearchParams> {
  return parseForm(c.req.header('content-type'), await formText(c));
}
