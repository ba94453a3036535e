import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeProtectedHeader, decodeJwt, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK } from 'jose';
import { signJwt } from '../src/core/tokens/sign.js';
import { createNodeJwsSigner } from '../src/runtime/node-jws.js';

describe('JWS signing with node:crypto (the Node runtime) and with jose (elsewhere)', () => {
  for (const alg of ['RS256', 'ES256'] as const) {
    it(`${alg}: same header and claims, and jose verifies both`, async () => {
      // As the key ring loads keys: a private JWK imported with jose.
      const pair = await generateKeyPair(alg, { extractable: true });
      const key = (await importJWK({ ...(await exportJWK(pair.privateKey)), alg } as JWK, alg)) as CryptoKey;
      const claims = { sub: 'abc', scope: 'bench/read', 'cognito:groups': ['ä'], exp: Math.floor(Date.now() / 1000) + 60 };
      const signer = { kid: 'kid-1', alg, key };
      const native = await signJwt({ jws: createNodeJwsSigner() }, claims, signer);
      const portable = await signJwt({}, claims, signer);
      assert.deepEqual(decodeProtectedHeader(native), decodeProtectedHeader(portable));
      assert.deepEqual(decodeProtectedHeader(native), { alg, kid: 'kid-1' });
      assert.equal(native.split('.')[1], portable.split('.')[1]);
      for (const token of [native, portable]) {
        assert.deepEqual((await jwtVerify(token, pair.publicKey, { algorithms: [alg] })).payload, claims);
      }
      assert.deepEqual(decodeJwt(native), claims);
    });
  }
});
