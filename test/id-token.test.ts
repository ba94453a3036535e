import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTVerifyGetKey } from 'jose';
import { upstreamKeys, verifyIdToken } from '../providers/id-token.js';
import type { ProviderContext } from '../providers/types.js';
import { upstreamFetch } from '../providers/upstream-url.js';
import { UpstreamError } from '../src/errors.js';

const ISSUER = 'https://idp.example';
const CLIENT = 'our-client';
const NOW = Date.UTC(2026, 0, 1, 12);
const seconds = (ms: number) => Math.floor(ms / 1000);
const refused = (pattern: RegExp) => (error: unknown) => error instanceof UpstreamError && pattern.test(error.message);

describe('verifyIdToken: the one ID-token check', () => {
  let rsa: CryptoKey;
  let ec: CryptoKey;
  let keys: JWTVerifyGetKey;
  before(async () => {
    const r = await generateKeyPair('RS256');
    const e = await generateKeyPair('ES256');
    rsa = r.privateKey;
    ec = e.privateKey;
    keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(r.publicKey)), kid: 'r', alg: 'RS256' }, { ...(await exportJWK(e.publicKey)), kid: 'e', alg: 'ES256' }] });
  });

  const token = (claims: Record<string, unknown> = {}, alg: 'RS256' | 'ES256' = 'RS256') =>
    new SignJWT({ iss: ISSUER, aud: CLIENT, sub: 'user-1', iat: seconds(NOW) - 5, exp: seconds(NOW) + 3600, nonce: 'n-1', ...claims })
      .setProtectedHeader({ alg, kid: alg === 'RS256' ? 'r' : 'e' })
      .sign(alg === 'RS256' ? rsa : ec);
  const verify = async (jwt: string, extra: { now?: number; algorithms?: string[]; nonce?: string } = {}) =>
    verifyIdToken(jwt, { issuer: ISSUER, audience: CLIENT, keys, nonce: 'n-1', now: NOW, ...extra });
  it('accepts a good token and returns its claims', async () => {
    const claims = await verify(await token({ email: 'a@example.com' }));
    assert.equal(claims.sub, 'user-1');
    assert.equal(claims.email, 'a@example.com');
  });

  it('judges time by the injected clock, with a minute of skew', async () => {
    const jwt = await token();
    await verify(jwt, { now: NOW + 3600_000 + 30_000 });
    await assert.rejects(verify(jwt, { now: NOW + 3600_000 + 90_000 }), refused(/has expired/));
    await assert.rejects(verify(await token({ iat: seconds(NOW) + 600 })), refused(/not valid yet/));
    await assert.rejects(verify(await token({ nbf: seconds(NOW) + 600 })), refused(/not valid yet/));
    await assert.rejects(verify(await token({ iat: seconds(NOW) - 7200, exp: seconds(NOW) + 60 })), refused(/issued too long ago/));
  });

  it('requires the nonce of the sign-in, and refuses a token without one', async () => {
    await assert.rejects(verify(await token({ nonce: undefined })), refused(/nonce/));
    await assert.rejects(verify(await token(), { nonce: 'n-2' }), refused(/nonce/));
  });

  it('checks azp when present, even with one audience', async () => {
    await verify(await token({ azp: CLIENT }));
    await assert.rejects(verify(await token({ azp: 'other-client' })), refused(/azp/));
  });

  it('keeps to the provider\'s algorithms: an ES256 token is refused where only RS256 is expected', async () => {
    await verify(await token({}, 'ES256'));
    await assert.rejects(verify(await token({}, 'ES256'), { algorithms: ['RS256'] }), refused(/signed with ES256, which is not allowed/));
    await assert.rejects(verify(await token(), { algorithms: ['HS256'] }), refused(/not allowed/), 'HS256 cannot be allowed in');
  });

  it('refuses garbage and a token without a subject', async () => {
    await assert.rejects(verify('not.a.jwt'), refused(/malformed/));
    await assert.rejects(verify(await token({ sub: undefined })), refused(/sub/));
  });
});

describe('upstream fetch and key sets', () => {
  const ctx = (allowInsecureUpstreams: boolean): ProviderContext => ({
    fetch: async () => new Response('{}'), now: () => NOW, randomBytes: (n) => new Uint8Array(randomBytes(n)), allowInsecureUpstreams,
    useOnce: async () => true,
  });

  it('refuses http upstreams on other hosts at call time unless allowed', async () => {
    await assert.rejects(upstreamFetch(ctx(false))('http://idp.example/token'), refused(/must use https/));
    assert.equal((await upstreamFetch(ctx(false))('http://127.0.0.1:9/token')).status, 200);
    assert.equal((await upstreamFetch(ctx(true))('http://idp.example/token')).status, 200);
  });

  it('keeps one remote key set per fetch and URL', () => {
    const context = ctx(false);
    assert.equal(upstreamKeys(context, 'https://idp.example/jwks'), upstreamKeys(context, 'https://idp.example/jwks'));
    assert.notEqual(upstreamKeys(context, 'https://idp.example/jwks'), upstreamKeys(context, 'https://other.example/jwks'));
    assert.notEqual(upstreamKeys(context, 'https://idp.example/jwks'), upstreamKeys(ctx(false), 'https://idp.example/jwks'));
  });
});
