/**
 * The SRP-6a arithmetic of Cognito's USER_SRP_AUTH, as amazon-cognito-identity-js and Amplify
 * compute it: RFC 5054's 3072-bit group, g = 2, SHA-256. Unlike RFC 5054, numbers are hashed
 * in their minimal big-endian form with a zero byte in front when the top bit is set (Java's
 * `BigInteger.toByteArray()`), not padded to the length of N. BigInt and Web Crypto only.
 */
import { utf8 } from '../crypto.js';

export const N = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
export const g = 2n;

const INFO = utf8('Caldera Derived Key');

/** Even-length hex of a non-negative number, with "00" in front when the top bit is set. */
export function padHex(n: bigint): string {
  let text = n.toString(16);
  if (text.length % 2 === 1) text = `0${text}`;
  return /^[89a-f]/.test(text) ? `00${text}` : text;
}

export function bytesOf(n: bigint): Uint8Array<ArrayBuffer> {
  const text = padHex(n);
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function numberOf(bytes: Uint8Array): bigint {
  let text = '0x0';
  for (const b of bytes) text += b.toString(16).padStart(2, '0');
  return BigInt(text);
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', concat(...parts)));
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  base %= modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * base) % modulus;
    base = (base * base) % modulus;
  }
  return result;
}

let multiplier: Promise<bigint> | undefined;
/** k = H(N | g) */
function k(): Promise<bigint> {
  multiplier ??= sha256(bytesOf(N), bytesOf(g)).then(numberOf);
  return multiplier;
}

/** The name amazon-cognito-identity-js hashes into x: the pool id after its region. */
export function srpPoolName(poolId: string): string {
  return poolId.split('_')[1] ?? poolId;
}

/** x = H(salt | H(poolName | username | ":" | password)) */
async function privateKey(poolName: string, username: string, password: string, salt: bigint): Promise<bigint> {
  const inner = await sha256(utf8(`${poolName}${username}:${password}`));
  return numberOf(await sha256(bytesOf(salt), inner));
}

/** v = g^x mod N, as hex; `saltHex` is read as a number, as clients read SALT. */
export async function computeVerifier(poolName: string, username: string, password: string, saltHex: string): Promise<string> {
  return modPow(g, await privateKey(poolName, username, password, BigInt(`0x${saltHex}`)), N).toString(16);
}

/** B = k·v + g^b mod N */
export async function serverPublic(verifier: bigint, b: bigint): Promise<bigint> {
  return ((await k()) * verifier + modPow(g, b, N)) % N;
}

/**
 * The 16-byte key both sides derive: u = H(A | B), S = (A · v^u)^b mod N,
 * key = HKDF-SHA256(ikm = S, salt = u, info = "Caldera Derived Key").
 */
export async function serverKey(A: bigint, B: bigint, b: bigint, verifier: bigint): Promise<Uint8Array<ArrayBuffer>> {
  const u = numberOf(await sha256(bytesOf(A), bytesOf(B)));
  if (u === 0n) throw new Error('SRP scrambling parameter is zero');
  const S = modPow((A % N) * modPow(verifier, u, N), b, N);
  const ikm = await crypto.subtle.importKey('raw', bytesOf(S), 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: bytesOf(u), info: INFO }, ikm, 128);
  return new Uint8Array(bits);
}

/** PASSWORD_CLAIM_SIGNATURE = HMAC-SHA256(key, poolName | userIdForSrp | secretBlock | timestamp) */
export async function claimSignature(
  key: Uint8Array<ArrayBuffer>,
  poolName: string,
  userIdForSrp: string,
  secretBlock: Uint8Array,
  timestamp: string,
): Promise<Uint8Array> {
  const hmacKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const message = concat(utf8(poolName), utf8(userIdForSrp), secretBlock, utf8(timestamp));
  return new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, message));
}
