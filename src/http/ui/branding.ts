import type { Context } from 'hono';
import type { Core } from '../../core/context.js';
import { fromBase64 } from '../../core/crypto.js';
import { effectiveUiCustomization } from '../../core/directory/ui-customization.js';
import type { PoolRecord } from '../../ports.js';
import { BASE_CSS } from '../../ui/layout.js';

/** The branding for `?client_id=`: that client's own when it has one (and belongs to this pool), else the pool's. */
async function brandingFor(c: Context, core: Core, pool: PoolRecord) {
  const clientId = c.req.query('client_id');
  const client = clientId ? await core.store.clients.get(pool.id, clientId) : undefined;
  return effectiveUiCustomization(pool, client);
}

/** Page URLs carry the branding's version, so a long cache never shows stale branding. */
const CACHE = 'public, max-age=3600';

/** `GET /{poolId}/ui/style.css?client_id=…`: the base stylesheet followed by the (checked) custom CSS. */
export async function stylesheet(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  const branding = await brandingFor(c, core, pool);
  const css = branding?.CSS ? `${BASE_CSS}\n/* branding */\n${branding.CSS}\n` : BASE_CSS;
  return c.body(css, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': CACHE, 'x-content-type-options': 'nosniff' });
}

/** `GET /{poolId}/ui/logo?client_id=…`: the PNG or JPEG logo, or 404 when none is set. */
export async function logo(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  const branding = await brandingFor(c, core, pool);
  if (!branding?.ImageFile || !branding.ImageType) return c.text('Not found', 404);
  return c.body(fromBase64(branding.ImageFile), 200, {
    'content-type': branding.ImageType,
    'cache-control': CACHE,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
  });
}
