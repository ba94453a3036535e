import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Secret } from 'otpauth';
import { matchingStep } from '../src/core/mfa/totp.js';
import { base32Decode, totp, totpFromKey } from './support/totp.js';

// RFC 6238 Appendix B: 8-digit codes for the ASCII seeds below at these Unix times.
const SEEDS = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};
const VECTORS: [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('the test suite’s own RFC 6238 implementation', () => {
  it('reproduces every RFC 6238 Appendix B vector (SHA-1, SHA-256, SHA-512)', () => {
    for (const [seconds, sha1, sha256, sha512] of VECTORS) {
      assert.equal(totpFromKey(SEEDS.sha1, seconds * 1000, { digits: 8 }), sha1, `SHA-1 at ${seconds}`);
      assert.equal(totpFromKey(SEEDS.sha256, seconds * 1000, { digits: 8, algorithm: 'sha256' }), sha256, `SHA-256 at ${seconds}`);
      assert.equal(totpFromKey(SEEDS.sha512, seconds * 1000, { digits: 8, algorithm: 'sha512' }), sha512, `SHA-512 at ${seconds}`);
    }
  });

  it('decodes base32 as RFC 4648 does', () => {
    assert.equal(base32Decode('MZXW6YTBOI======').toString(), 'foobar');
    assert.equal(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ').toString(), '12345678901234567890');
  });
});

describe('Cognate’s TOTP check against the independent implementation', () => {
  const secret = new Secret({ size: 20 }).base32;
  const now = Date.UTC(2026, 0, 1, 12, 0, 10);
  const step = Math.floor(now / 30_000);

  it('accepts the current step and one either side, naming the step each code belongs to', () => {
    assert.equal(secret.length, 32);
    assert.equal(matchingStep(secret, totp(secret, now), now), step);
    assert.equal(matchingStep(secret, totp(secret, now, { stepOffset: -1 }), now), step - 1);
    assert.equal(matchingStep(secret, totp(secret, now, { stepOffset: 1 }), now), step + 1);
  });

  it('refuses codes two steps away, of another secret, or not six digits', () => {
    assert.equal(matchingStep(secret, totp(secret, now, { stepOffset: 2 }), now), undefined);
    assert.equal(matchingStep(secret, totp(secret, now, { stepOffset: -2 }), now), undefined);
    assert.equal(matchingStep(new Secret({ size: 20 }).base32, totp(secret, now), now), undefined);
    assert.equal(matchingStep(secret, totp(secret, now, { digits: 8 }), now), undefined);
    assert.equal(matchingStep(secret, ' ' + totp(secret, now).slice(1), now), undefined);
  });
});
