import { createServer, type IncomingMessage, type RequestListener, type ServerOptions, type ServerResponse } from 'node:http';
import type { Core } from '../core/context.js';
import { PUBLISHED_HEADERS, publishedDocuments, publishedPath } from '../http/oidc/published.js';

interface Encoded {
  source: string;
  body: Buffer;
  headers: string[];
}

/**
 * Node's HTTP server with the JWKS and discovery documents answered straight from the key
 * ring's cache, before the request is turned into a Fetch `Request` for Hono: relying parties
 * fetch these more than any other URL, and that conversion costs more than the answer. The
 * bodies and headers are the ones the Hono routes send (src/http/oidc/well-known.ts); anything
 * not cached and fresh goes to Hono.
 */
export function createServerWithFastPath(core: Core) {
  const documents = publishedDocuments(core);
  // The bytes and headers of each document as last sent, kept while the document is unchanged.
  const encoded = new Map<string, Encoded>();
  const encode = (key: string, source: string): Encoded => {
    let entry = encoded.get(key);
    if (entry?.source !== source) {
      const body = Buffer.from(source);
      entry = { source, body, headers: [...Object.entries(PUBLISHED_HEADERS).flat(), 'content-length', String(body.length)] };
      encoded.set(key, entry);
    }
    return entry;
  };
  const answered = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET' || req.url === undefined) return false;
    const path = publishedPath(req.url);
    const source = path && documents.cached(path.poolId, path.kind);
    if (!source) return false;
    const { body, headers } = encode(req.url, source);
    res.writeHead(200, headers);
    res.end(body);
    return true;
  };
  return ((options: ServerOptions, listener: RequestListener) =>
    createServer(options, (req, res) => {
      if (!answered(req, res)) void listener(req, res);
    })) as typeof createServer;
}
