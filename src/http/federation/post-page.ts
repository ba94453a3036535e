import type { Context } from 'hono';
import { html } from 'hono/html';

/**
 * A form the browser posts to the upstream (SAML HTTP-POST binding). Pages run no script,
 * so the user presses the one button; the form is the whole page.
 */
export function upstreamPostPage(c: Context, action: string, fields: Record<string, string>): Response | Promise<Response> {
  const inputs = Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  c.header('Cache-Control', 'no-store');
  return c.html(
    html`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Continue to sign in</title></head><body><form method="post" action="${action}">${inputs}<button type="submit" autofocus>Continue to sign in</button></form></body></html>`,
  );
}
