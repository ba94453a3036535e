import { customType } from 'drizzle-orm/sqlite-core';

const EVEN_LOWER_HEX = /^(?:[0-9a-f]{2})+$/;
const BYTE_HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** What each driver hands back for a BLOB: better-sqlite3 a Buffer, D1 an array or ArrayBuffer. */
type Blob = Uint8Array | ArrayBuffer | number[];

function bytesOf(value: Blob): Uint8Array {
  return value instanceof Uint8Array ? value : value instanceof ArrayBuffer ? new Uint8Array(value) : Uint8Array.from(value);
}

/**
 * A hex string stored as the bytes it spells: half the space. The SRP verifier is a 3072-bit
 * number, so this halves the largest value of every user row. Anything that would not come
 * back exactly the same (odd length, upper case) and rows written before stay text, which
 * SQLite keeps in the same column; reads accept both.
 */
export const compactHex = customType<{ data: string; driverData: string | Blob }>({
  dataType: () => 'text',
  toDriver(value) {
    if (!EVEN_LOWER_HEX.test(value)) return value;
    const bytes = new Uint8Array(value.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(value.slice(i * 2, i * 2 + 2), 16);
    return bytes;
  },
  fromDriver(value) {
    if (typeof value === 'string') return value;
    const bytes = bytesOf(value);
    const pairs = new Array<string>(bytes.length);
    for (let i = 0; i < bytes.length; i++) pairs[i] = BYTE_HEX[bytes[i]!]!;
    return pairs.join('');
  },
});
