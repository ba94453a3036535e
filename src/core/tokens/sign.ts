import { SignJWT } from 'jose';
import type { Core } from '../context.js';
import { base64url, utf8 } from '../crypto.js';
import type { SigningAlg } from './keys.js';

const json = (value: unknown) => base64url(utf8(JSON.stringify(value)));

/**
 * A compact JWS of `claims` with the header `{alg, kid}`, exactly as jose's SignJWT makes it;
 * signed by the runtime's signer when it has one.
 */
export async function signJwt(core: Pick<Core, 'jws'>, claims: Record<string, unknown>, signer: { kid: string; alg: SigningAlg; key: CryptoKey }): Promise<string> {
  const { alg, kid, key } = signer;
  if (!core.jws) return new SignJWT(claims).setProtectedHeader({ alg, kid }).sign(key);
  const input = `${json({ alg, kid })}.${json(claims)}`;
  return `${input}.${base64url(await core.jws.sign(alg, key, utf8(input)))}`;
}
