import type { Context } from 'hono';
import { CognateError, OAuthError } from '../../errors.js';
import type { Logger } from '../../ports.js';

export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** RFC 6749 §5.2 error body. Unexposed errors become `server_error`; the log keeps the detail. */
export function oauthErrorResponse(c: Context, error: unknown, logger: Logger, extraHeaders: Record<string, string> = {}): Response {
  if (error instanceof CognateError && error.expose) {
    const status = error instanceof OAuthError ? error.status : 400;
    return c.json({ error: error.oauthError, error_description: error.message }, status as 400, { ...NO_STORE, ...extraHeaders });
  }
  logger.error('unhandled error', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return c.json({ error: 'server_error', error_description: 'Internal server error' }, 500, NO_STORE);
}

/** RFC 6749 §3.2: form-encoded POST bodies, each parameter at most once. */
export async function readForm(c: Context): Promise<URLSearchParams> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (!type.startsWith('application/x-www-form-urlencoded')) {
    throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(await c.req.text());
  for (const key of new Set(form.keys())) {
    if (form.getAll(key).length > 1) throw new OAuthError('invalid_request', `Parameter ${key} is repeated`);
  }
  return form;
}
