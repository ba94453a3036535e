import { Hono, type Context } from 'hono';
import type { Core } from '../../core/context.js';
import { PUBLISHED_HEADERS, publishedDocuments, publishedPath } from './published.js';

/** `/{poolId}/.well-known/*`: keys and discovery, without a promise when the cache is fresh. */
export function wellKnownRoutes(core: Core) {
  const app = new Hono();
  const documents = publishedDocuments(core);
  const answer = (c: Context, body: string | undefined): Response => (body === undefined ? c.json({ error: 'not_found' }, 404) : c.body(body, 200, PUBLISHED_HEADERS));
  const route = (c: Context): Response | Promise<Response> => {
    const path = publishedPath(c.req.path);
    if (!path) return answer(c, undefined);
    const cached = documents.cached(path.poolId, path.kind);
    if (cached !== undefined) return answer(c, cached);
    return documents.load(path.poolId, path.kind).then((body) => answer(c, body));
  };
  app.get('/:poolId/.well-known/jwks.json', route);
  app.get('/:poolId/.well-known/openid-configuration', route);
  return app;
}
