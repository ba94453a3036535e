import { createServer, type IncomingMessage, type RequestListener, type ServerOptions, type ServerResponse } from 'node:http';
import type { Core } from '../core/context.js';
import { PUBLISHED_HEADERS, publishedDocuments, publishedPath } from '../http/oidc/published.js';
import type { PlainResponse } from '../http/oauth/respond.js';
import { MAX_TOKEN_BODY, tokenEndpoint } from '../http/oauth/token-endpoint.js';

const TOKEN_PATH = /^\/([^/?#]+)\/oauth2\/token$/;

/** The body as text, or undefined once it passes `limit` (the rest is read and dropped). */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let body: string | undefined = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      if (body !== undefined && body.length + chunk.length <= limit) body += chunk;
      else body = undefined;
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, answer: PlainResponse): void {
  res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
  res.end(answer.body);
}

interface Encoded {
  source: string;
  body: Buffer;
  headers: string[];
}

/**
 * Node's HTTP server with the busiest URLs answered before the request is turned into a Fetch
 * `Request` for Hono, a conversion that costs more than these answers: the JWKS and discovery
 * documents straight from the key ring's cache (the bytes and headers the Hono routes send,
 * src/http/oidc/well-known.ts), and the token endpoint through the same framework-free
 * function its Hono route calls (src/http/oauth/token-endpoint.ts). Everything else, and a
 * document not cached and fresh, goes to Hono.
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
  const token = (req: IncomingMessage, res: ServerResponse, poolId: string): void => {
    readBody(req, MAX_TOKEN_BODY)
      .then((body) => tokenEndpoint(core, { poolId, contentType: req.headers['content-type'], authorization: req.headers.authorization, body }))
      .then((answer) => send(res, answer))
      .catch((error: unknown) => {
        core.logger.error('token request failed', { error: String(error) });
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
  };
  return ((options: ServerOptions, listener: RequestListener) =>
    createServer(options, (req, res) => {
      if (answered(req, res)) return;
      const tokenPool = req.method === 'POST' && req.url !== undefined ? TOKEN_PATH.exec(req.url)?.[1] : undefined;
      if (tokenPool !== undefined) token(req, res, tokenPool);
      else void listener(req, res);
    })) as typeof createServer;
}
