import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { base64url, exportJWK, exportPKCS8, exportSPKI, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose';

/** Which upstream the double imitates: its token auth, profile endpoint and ID token habits. */
export type DoubleKind = 'Google' | 'Facebook' | 'SignInWithApple' | 'LoginWithAmazon' | 'OIDC';

/** How the next ID token is broken, to attack Cognate's checks. */
export interface Tamper {
  /** Claims written over the honest ones (e.g. `iss`, `aud`, `nonce`, `exp`). */
  claims?: Record<string, unknown>;
  /** `none`: unsigned; `hs256-public-key`: HMAC keyed with the published public key; `unpublished-key`: a key missing from the JWKS. */
  signing?: 'none' | 'hs256-public-key' | 'unpublished-key';
}

interface Issued {
  redirectUri: string;
  nonce?: string;
  codeChallenge?: string;
  person: Record<string, unknown>;
}

/** Apple's side of the ES256 client-secret JWT: the key pair an Apple developer downloads. */
export interface AppleKey {
  teamId: string;
  keyId: string;
  privateKeyPem: string;
  publicKey: CryptoKey;
}

export async function appleKey(): Promise<AppleKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { teamId: 'TEAM123456', keyId: 'KEY1234567', privateKeyPem: await exportPKCS8(privateKey), publicKey };
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((done) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => done(body));
  });

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * A small stand-in for Google, Facebook, Apple, Amazon or a generic OIDC provider on
 * loopback: authorize (answers at once as `person`), token (checks client auth, code,
 * redirect URI, PKCE; signs ID tokens with its own RSA key), userinfo / Graph `/me` /
 * Amazon profile, and JWKS. Cognate reaches it through the endpoint keys.
 */
export class UpstreamDouble {
  url = '';
  /** The person the next authorize signs in. */
  person: Record<string, unknown> = {};
  /** Sign in with Apple: the `user` JSON posted with the next callback (first sign-in only). */
  appleUser?: Record<string, unknown>;
  /** Breaks the next ID token. */
  tamper?: Tamper;
  /** Userinfo answers about someone else. */
  userinfoSubject?: string;
  /** The next authorize is refused with this OAuth error (e.g. `access_denied`). */
  refusal?: string;
  readonly requests: { method: string; path: string; params: URLSearchParams; headers: IncomingMessage['headers'] }[] = [];
  private readonly codes = new Map<string, Issued>();
  private readonly tokens = new Map<string, Record<string, unknown>>();
  private server!: Server;
  private key!: { privateKey: CryptoKey; jwk: JWK; spki: string };

  constructor(
    readonly kind: DoubleKind,
    readonly clientId: string,
    readonly clientSecret: string,
    private readonly apple?: AppleKey,
  ) {}

  get issuer(): string {
    return this.url;
  }

  /** The endpoint keys that point Cognate at this double. */
  get endpoints(): Record<string, string> {
    const base = {
      authorize_url: `${this.url}/authorize`, token_url: `${this.url}/token`, jwks_uri: `${this.url}/jwks`, oidc_issuer: this.issuer,
    };
    if (this.kind === 'Facebook') return { authorize_url: base.authorize_url, token_url: base.token_url, attributes_url: `${this.url}/me?fields=` };
    if (this.kind === 'LoginWithAmazon') return { authorize_url: base.authorize_url, token_url: base.token_url, attributes_url: `${this.url}/user/profile` };
    if (this.kind === 'SignInWithApple') return base;
    return { ...base, attributes_url: `${this.url}/userinfo` };
  }

  async start(): Promise<this> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    this.key = { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: 'double-1', alg: 'RS256', use: 'sig' }, spki: await exportSPKI(publicKey) };
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: Error) => json(res, 500, { error: 'server_error', error_description: error.message }));
    });
    await new Promise<void>((ready) => this.server.listen(0, '127.0.0.1', ready));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((done) => this.server.close(() => done()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const body = req.method === 'POST' ? await readBody(req) : '';
    const params = req.method === 'POST' && url.pathname === '/token' ? new URLSearchParams(body) : url.searchParams;
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, params, headers: req.headers });
    if (url.pathname === '/authorize') return this.authorize(params, res);
    if (url.pathname === '/token') return this.token(req, params, res);
    if (url.pathname === '/jwks') return json(res, 200, { keys: [this.key.jwk] });
    const person = this.tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!person) return json(res, 401, { error: 'invalid_token' });
    if (url.pathname === '/userinfo') return json(res, 200, { ...person, sub: this.userinfoSubject ?? person.sub });
    if (url.pathname === '/user/profile') return json(res, 200, person);
    if (url.pathname === '/me') {
      const proof = createHmac('sha256', this.clientSecret).update((req.headers.authorization ?? '').slice(7)).digest('hex');
      if (url.searchParams.get('appsecret_proof') !== proof) return json(res, 400, { error: { message: 'Invalid appsecret_proof', code: 100 } });
      const fields = (url.searchParams.get('fields') ?? '').split(',');
      return json(res, 200, Object.fromEntries(Object.entries(person).filter(([k]) => fields.includes(k))));
    }
    json(res, 404, { error: 'not_found' });
  }

  private authorize(params: URLSearchParams, res: ServerResponse): void {
    const redirectUri = params.get('redirect_uri')!;
    const state = params.get('state') ?? '';
    if (params.get('client_id') !== this.clientId) return json(res, 400, { error: 'invalid_client' });
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, { redirectUri, nonce: params.get('nonce') ?? undefined, codeChallenge: params.get('code_challenge') ?? undefined, person: { ...this.person } });
    const answer: Record<string, string> = this.refusal ? { error: this.refusal, state } : { code, state };
    this.refusal = undefined;
    if (this.appleUser && !answer.error) answer.user = JSON.stringify(this.appleUser);
    if (params.get('response_mode') === 'form_post') {
      const inputs = Object.entries(answer).map(([k, v]) => `<input type="hidden" name="${k}" value="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">`);
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<form method="post" action="${redirectUri}">${inputs.join('')}</form>`);
      return;
    }
    const target = new URL(redirectUri);
    for (const [k, v] of Object.entries(answer)) target.searchParams.set(k, v);
    res.writeHead(302, { location: target.href }).end();
  }

  private async clientAuthenticated(req: IncomingMessage, params: URLSearchParams): Promise<boolean> {
    if (this.kind === 'SignInWithApple') {
      const secret = params.get('client_secret') ?? '';
      const verified = await jwtVerify(secret, this.apple!.publicKey, { issuer: this.apple!.teamId, subject: this.clientId, audience: this.issuer, algorithms: ['ES256'] }).catch(() => undefined);
      return verified?.protectedHeader.kid === this.apple!.keyId;
    }
    const basic = req.headers.authorization?.startsWith('Basic ') ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString() : undefined;
    const [id, secret] = basic ? [decodeURIComponent(basic.split(':')[0]!), decodeURIComponent(basic.split(':').slice(1).join(':'))] : [params.get('client_id'), params.get('client_secret')];
    return id === this.clientId && secret === this.clientSecret;
  }

  private async token(req: IncomingMessage, params: URLSearchParams, res: ServerResponse): Promise<void> {
    if (!(await this.clientAuthenticated(req, params))) return json(res, 401, { error: 'invalid_client' });
    const issued = this.codes.get(params.get('code') ?? '');
    this.codes.delete(params.get('code') ?? '');
    if (!issued || issued.redirectUri !== params.get('redirect_uri')) return json(res, 400, { error: 'invalid_grant' });
    if (issued.codeChallenge) {
      const challenge = createHash('sha256').update(params.get('code_verifier') ?? '').digest('base64url');
      if (challenge !== issued.codeChallenge) return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
    }
    const accessToken = randomBytes(16).toString('hex');
    this.tokens.set(accessToken, issued.person);
    const answer: Record<string, unknown> = { access_token: accessToken, token_type: 'Bearer', expires_in: 3600 };
    if (this.kind !== 'Facebook' && this.kind !== 'LoginWithAmazon') answer.id_token = await this.idToken(issued);
    json(res, 200, answer);
  }

  private async idToken(issued: Issued): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const tamper = this.tamper;
    this.tamper = undefined;
    const claims = { iss: this.issuer, aud: this.clientId, iat: now, exp: now + 3600, ...(issued.nonce ? { nonce: issued.nonce } : {}), ...issued.person, ...tamper?.claims };
    if (tamper?.signing === 'none') {
      const part = (value: object) => base64url.encode(JSON.stringify(value));
      return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
    }
    if (tamper?.signing === 'hs256-public-key') {
      return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: this.key.jwk.kid }).sign(new TextEncoder().encode(this.key.spki));
    }
    if (tamper?.signing === 'unpublished-key') {
      const { privateKey } = await generateKeyPair('RS256');
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'not-published' }).sign(privateKey);
    }
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: this.key.jwk.kid }).sign(this.key.privateKey);
  }
}
