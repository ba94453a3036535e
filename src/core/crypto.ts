/** Small Web Crypto helpers shared by the domain; runtime-neutral by construction. */
import { Sha256 } from '@aws-crypto/sha256-js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text) as Uint8Array<ArrayBuffer>;
}

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return fromBase64url(text.replace(/=+$/, ''));
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export function hex(bytes: ArrayBuffer | Uint8Array): string {
  return Array.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * SHA-256 of short strings (tokens, codes, PKCE verifiers) in pure JavaScript: on Node each
 * WebCrypto digest is a thread-pool job costing several times the hash itself, and token
 * requests make two or three of them.
 */
export async function sha256(text: string): Promise<Uint8Array> {
  const hash = new Sha256();
  hash.update(utf8(text));
  return hash.digest();
}

export async function sha256Base64url(text: string): Promise<string> {
  return base64url(await sha256(text));
}

export async function importHmacKey(raw: Uint8Array<ArrayBuffer> | string): Promise<CryptoKey> {
  const bytes = typeof raw === 'string' ? utf8(raw) : raw;
  return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

export async function hmac(key: CryptoKey, message: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8(message)));
}

/** Compares without an early exit, so timing does not reveal the matching prefix. */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const x = typeof a === 'string' ? utf8(a) : a;
  const y = typeof b === 'string' ? utf8(b) : b;
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Unbiased random string over `alphabet` (rejection sampling). */
export function randomString(bytes: (n: number) => Uint8Array, length: number, alphabet = ALNUM): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const b of bytes(length * 2)) {
      if (b < limit && out.length < length) out += alphabet[b % alphabet.length];
    }
  }
  return out;
}

export function randomDigits(bytes: (n: number) => Uint8Array, length: number): string {
  return randomString(bytes, length, '0123456789');
}

const OPENED_CACHE_SIZE = 1024;

/**
 * Secrets that must be read back (private keys, client secrets) are sealed with AES-GCM
 * under the key-encryption key. The pool id goes in as associated data so a ciphertext
 * cannot be moved to another pool's row.
 */
export class Sealer {
  /**
   * Opened values by ciphertext and context. A confidential client's secret is opened on
   * every token request, and an AES-GCM round through WebCrypto costs more than the rest of
   * its authentication; a changed secret is a new ciphertext, so entries never go stale.
   */
  private readonly opened = new Map<string, string>();

  private constructor(private readonly key: CryptoKey) {}

  static async fromRaw(kek: Uint8Array<ArrayBuffer>): Promise<Sealer> {
    if (kek.length !== 32) throw new Error('The key-encryption key must be 32 bytes');
    return new Sealer(await crypto.subtle.importKey('raw', kek, 'AES-GCM', false, ['encrypt', 'decrypt']));
  }

  async seal(plaintext: string, context: string): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: utf8(context) }, this.key, utf8(plaintext));
    return `v1.${base64url(iv)}.${base64url(new Uint8Array(data))}`;
  }

  async open(sealed: string, context: string): Promise<string> {
    const cacheKey = `${context}\n${sealed}`;
    const cached = this.opened.get(cacheKey);
    if (cached !== undefined) return cached;
    const plain = await this.decrypt(sealed, context);
    if (this.opened.size >= OPENED_CACHE_SIZE) this.opened.delete(this.opened.keys().next().value!);
    this.opened.set(cacheKey, plain);
    return plain;
  }

  private async decrypt(sealed: string, context: string): Promise<string> {
    const [version, iv, data] = sealed.split('.');
    if (version !== 'v1' || !iv || !data) throw new Error('Unknown sealed format');
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64url(iv), additionalData: utf8(context) },
      this.key,
      fromBase64url(data),
    );
    return decoder.decode(plain);
  }
}
