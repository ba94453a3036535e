import { createHmac } from 'node:crypto';

/**
 * RFC 4226 / RFC 6238 written here with node:crypto alone, so tests check Cognate's TOTP
 * (built on otpauth) against an implementation that shares no code with it.
 */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/=+$/, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function hotp(key: Buffer, counter: number, digits = 6, algorithm: 'sha1' | 'sha256' | 'sha512' = 'sha1'): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

export interface TotpOptions {
  digits?: number;
  period?: number;
  algorithm?: 'sha1' | 'sha256' | 'sha512';
  /** Steps after (or before, negative) the one `timeMs` falls in. */
  stepOffset?: number;
}

export function totpFromKey(key: Buffer, timeMs: number, options: TotpOptions = {}): string {
  const period = options.period ?? 30;
  const counter = Math.floor(timeMs / 1000 / period) + (options.stepOffset ?? 0);
  return hotp(key, counter, options.digits ?? 6, options.algorithm ?? 'sha1');
}

/** The code an authenticator app shows for a Cognito SecretCode at `timeMs`. */
export function totp(secretCode: string, timeMs: number, options: TotpOptions = {}): string {
  return totpFromKey(base32Decode(secretCode), timeMs, options);
}
