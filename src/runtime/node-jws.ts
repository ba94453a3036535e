import { KeyObject, sign } from 'node:crypto';
import type { JwsSigner } from '../ports.js';

/**
 * JWS signatures with node:crypto, synchronously: a WebCrypto job on Node costs several
 * times an ES256 signature (a thread-pool round trip and a key handle per call).
 */
export function createNodeJwsSigner(): JwsSigner {
  const keyObjects = new WeakMap<CryptoKey, KeyObject>();
  return {
    async sign(alg, key, signingInput) {
      let keyObject = keyObjects.get(key);
      if (!keyObject) {
        keyObject = KeyObject.from(key);
        keyObjects.set(key, keyObject);
      }
      return sign('sha256', signingInput, alg === 'ES256' ? { key: keyObject, dsaEncoding: 'ieee-p1363' } : keyObject);
    },
  };
}
