import { toBase64, utf8 } from '../crypto.js';

/*
 * A minimal DER writer for one self-signed X.509 v3 certificate (RFC 5280 §4.1), so the
 * SAML service-provider key pair can be made with Web Crypto alone on Node and Workers.
 */

function length(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = concat(parts);
  return concat([new Uint8Array([tag, ...length(body.length)]), body]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const sequence = (...parts: Uint8Array[]) => tlv(0x30, ...parts);
const set = (...parts: Uint8Array[]) => tlv(0x31, ...parts);
const nullValue = () => new Uint8Array([0x05, 0x00]);

function oid(dotted: string): Uint8Array {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [first! * 40 + second!];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, new Uint8Array(bytes));
}

/** A positive INTEGER: a leading zero byte when the high bit is set. */
function positiveInteger(bytes: Uint8Array): Uint8Array {
  return tlv(0x02, bytes[0]! & 0x80 ? concat([new Uint8Array([0]), bytes]) : bytes);
}

/** UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
function time(ms: number): Uint8Array {
  const iso = new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  const year = new Date(ms).getUTCFullYear();
  return year < 2050 ? tlv(0x17, utf8(iso.slice(2))) : tlv(0x18, utf8(iso));
}

const SHA256_WITH_RSA = () => sequence(oid('1.2.840.113549.1.1.11'), nullValue());
const commonName = (cn: string) => sequence(set(sequence(oid('2.5.4.3'), tlv(0x0c, utf8(cn)))));

export function pem(label: string, der: Uint8Array): string {
  const body = toBase64(der).match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

export interface SelfSignedCertificate {
  certificate: string;
  privateKey: string;
}

/**
 * An RSA-2048 key pair and a certificate for it, signed by itself with SHA-256, named
 * `CN={commonName}` and valid from `notBefore` for `validMs`.
 */
export async function selfSignedCertificate(
  commonNameValue: string, notBefore: number, validMs: number, randomBytes: (n: number) => Uint8Array,
): Promise<SelfSignedCertificate> {
  const keys = await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  );
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  const name = commonName(commonNameValue);
  const tbs = sequence(
    tlv(0xa0, tlv(0x02, new Uint8Array([2]))),
    positiveInteger(serial),
    SHA256_WITH_RSA(),
    name,
    sequence(time(notBefore), time(notBefore + validMs)),
    name,
    spki,
  );
  const signature = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', keys.privateKey, tbs as Uint8Array<ArrayBuffer>));
  const certificate = sequence(tbs, SHA256_WITH_RSA(), tlv(0x03, new Uint8Array([0]), signature));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { certificate: pem('CERTIFICATE', certificate), privateKey: pem('PRIVATE KEY', pkcs8) };
}
