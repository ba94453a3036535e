/**
 * argon2id PHC strings (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), shared by the native and
 * WebAssembly hashers so both accept and produce exactly the same strings.
 */

export interface Argon2idParams {
  /** Memory in KiB (`m=`). */
  memoryCost: number;
  /** Passes (`t=`). */
  timeCost: number;
  /** Lanes (`p=`). */
  parallelism: number;
}

export interface Argon2idHash extends Argon2idParams {
  salt: Uint8Array;
  hash: Uint8Array;
}

/** OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane); new hashes always use it. */
export const ARGON2ID_POLICY: Readonly<Argon2idParams> = { memoryCost: 19456, timeCost: 2, parallelism: 1 };
export const SALT_BYTES = 16;
export const HASH_BYTES = 32;

// Bounds on stored strings, so a corrupt row cannot pin a core or exhaust a Worker's memory.
// 64 MiB fits the WebAssembly hasher's fixed 65 MiB memory, which then never grows.
const MAX_MEMORY_KIB = 65_536;
const MAX_TIME_COST = 32;
const MAX_PARALLELISM = 16;

const PHC = /^\$argon2id\$v=19\$m=([1-9]\d{0,9}),t=([1-9]\d{0,9}),p=([1-9]\d{0,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

export function encodeArgon2id(value: Argon2idHash): string {
  const { memoryCost: m, timeCost: t, parallelism: p } = value;
  return `$argon2id$v=19$m=${m},t=${t},p=${p}$${toBase64(value.salt)}$${toBase64(value.hash)}`;
}

/** Parses a PHC string; undefined when it is not a well-formed argon2id v19 string within bounds. */
export function decodeArgon2id(phc: string): Argon2idHash | undefined {
  const match = typeof phc === 'string' ? PHC.exec(phc) : null;
  if (!match) return undefined;
  const memoryCost = Number(match[1]);
  const timeCost = Number(match[2]);
  const parallelism = Number(match[3]);
  if (parallelism > MAX_PARALLELISM || timeCost > MAX_TIME_COST) return undefined;
  if (memoryCost > MAX_MEMORY_KIB || memoryCost < 8 * parallelism) return undefined;
  const salt = fromBase64(match[4]!);
  const hash = fromBase64(match[5]!);
  if (!salt || salt.length < 8 || salt.length > 64) return undefined;
  if (!hash || hash.length < 16 || hash.length > 64) return undefined;
  return { memoryCost, timeCost, parallelism, salt, hash };
}

/** Compares in time that depends only on the lengths, which are public. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Standard alphabet without padding, as the PHC format specifies. */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/=+$/, '');
}

function fromBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 === 1) return undefined;
  const binary = atob(text + '='.repeat((4 - (text.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  // atob ignores stray low bits in the last character; one string per hash keeps both runtimes in step.
  return toBase64(bytes) === text ? bytes : undefined;
}
