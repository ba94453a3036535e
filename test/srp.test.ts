import * as cognitoJs from 'amazon-cognito-identity-js';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { claimSignature, computeVerifier, modPow, padHex, serverKey, serverPublic, srpPoolName } from '../src/core/auth/srp.js';
import { parseSrpTimestamp, srpTimestamp } from '../src/core/auth/srp-timestamp.js';
import { cognitoTimestamp, SrpClient } from './support/srp-client.js';

/** amazon-cognito-identity-js's AuthenticationHelper, typed just enough to drive it directly. */
interface LibBigInteger {
  toString(radix: number): string;
}
interface LibHelper {
  N: { constructor: new (text: string, radix: number) => LibBigInteger };
  getLargeAValue(cb: (err: unknown, A: LibBigInteger) => void): void;
  getPasswordAuthenticationKey(user: string, password: string, B: LibBigInteger, salt: LibBigInteger, cb: (err: unknown, key: Uint8Array) => void): void;
  generateHashDevice(groupKey: string, user: string, cb: (err: unknown) => void): void;
  getSaltDevices(): string;
  getVerifierDevices(): string;
  getRandomPassword(): string;
}

// Both are exported at runtime but missing from the package's typings.
const { AuthenticationHelper, DateHelper } = cognitoJs as unknown as {
  AuthenticationHelper: new (poolName: string) => LibHelper;
  DateHelper: new () => { getNowString(): string };
};
const helper = (poolName: string) => new AuthenticationHelper(poolName);
const random = () => BigInt(`0x${randomBytes(32).toString('hex')}`);

describe('SRP arithmetic (src/core/auth/srp.ts)', () => {
  it('encodes numbers as Java BigInteger.toByteArray() hex, like the clients', () => {
    assert.equal(padHex(0x14n), '14');
    assert.equal(padHex(0xecn), '00ec');
    assert.equal(padHex(0x100n), '0100');
    assert.equal(padHex(0x7fn), '7f');
    assert.equal(padHex(0x80n), '0080');
  });

  it('exponentiates modulo like a naive loop', () => {
    let expected = 1n;
    for (let i = 0; i < 1234; i++) expected = (expected * 7n) % 1_000_003n;
    assert.equal(modPow(7n, 1234n, 1_000_003n), expected);
  });

  it('names the pool as amazon-cognito-identity-js does: the id after the region', () => {
    assert.equal(srpPoolName('local_Ab3dE6gH9'), 'Ab3dE6gH9');
  });

  it('computes the same verifier as amazon-cognito-identity-js (its device verifier uses the same formula)', async () => {
    const lib = helper('pool');
    await new Promise((done) => lib.generateHashDevice('Group1', 'device-user', done));
    const ours = await computeVerifier('Group1', 'device-user', lib.getRandomPassword(), lib.getSaltDevices());
    assert.equal(padHex(BigInt(`0x${ours}`)), lib.getVerifierDevices());
  });

  it('derives the key amazon-cognito-identity-js derives for the right password, and another for a wrong one', async () => {
    const lib = helper('Ab3dE6gH9');
    const A = await new Promise<LibBigInteger>((done) => lib.getLargeAValue((_e, a) => done(a)));
    const salt = randomBytes(16).toString('hex');
    const verifier = BigInt(`0x${await computeVerifier('Ab3dE6gH9', 'alice', 'Correct-Horse-9', salt)}`);
    const b = random();
    const B = await serverPublic(verifier, b);
    const BigInteger = lib.N.constructor;
    const libKey = (password: string) =>
      new Promise<Uint8Array>((done) => lib.getPasswordAuthenticationKey('alice', password, new BigInteger(B.toString(16), 16), new BigInteger(salt, 16), (_e, k) => done(k)));
    const ours = await serverKey(BigInt(`0x${A.toString(16)}`), B, b, verifier);
    assert.equal(ours.length, 16);
    assert.deepEqual(Buffer.from(ours), Buffer.from(await libKey('Correct-Horse-9')));
    assert.notDeepEqual(Buffer.from(ours), Buffer.from(await libKey('Correct-Horse-8')));
  });

  it('agrees with an independent client on the key and the claim signature', async () => {
    const poolId = 'local_Zz9yY8xX7';
    const client = new SrpClient(poolId);
    const salt = `00${randomBytes(15).toString('hex')}`; // a leading zero byte is dropped by both sides alike
    const verifier = BigInt(`0x${await computeVerifier('Zz9yY8xX7', 'Bob', 'pässwörd ✓', salt)}`);
    const b = random();
    const B = await serverPublic(verifier, b);
    const block = randomBytes(48);
    const challenge = { SALT: salt, SRP_B: B.toString(16), USER_ID_FOR_SRP: 'Bob', SECRET_BLOCK: block.toString('base64') };
    const key = await serverKey(client.A, B, b, verifier);
    assert.deepEqual(Buffer.from(key), client.key(challenge, 'pässwörd ✓'));
    const timestamp = cognitoTimestamp(new Date());
    const answer = client.answer(challenge, 'pässwörd ✓', timestamp);
    const expected = await claimSignature(key, 'Zz9yY8xX7', 'Bob', block, timestamp);
    assert.equal(Buffer.from(expected).toString('base64'), answer.PASSWORD_CLAIM_SIGNATURE);
  });
});

describe('SRP TIMESTAMP (src/core/auth/srp-timestamp.ts)', () => {
  it('spells dates as the clients do, day of month unpadded', () => {
    assert.equal(srpTimestamp(Date.UTC(2026, 10, 3, 8, 2, 15)), 'Tue Nov 3 08:02:15 UTC 2026');
    assert.equal(srpTimestamp(Date.UTC(2026, 0, 31, 23, 59, 9)), 'Sat Jan 31 23:59:09 UTC 2026');
    for (const ms of [Date.UTC(2026, 1, 1), Date.UTC(2027, 6, 14, 12, 0, 1), Date.now()]) assert.equal(srpTimestamp(ms), cognitoTimestamp(new Date(ms)));
  });

  it('parses what amazon-cognito-identity-js sends', () => {
    const sent = new DateHelper().getNowString();
    const parsed = parseSrpTimestamp(sent);
    assert.ok(parsed !== undefined && Math.abs(parsed - Date.now()) < 2000, sent);
    assert.equal(parseSrpTimestamp('Tue Nov 3 08:02:15 UTC 2026'), Date.UTC(2026, 10, 3, 8, 2, 15));
  });

  it('refuses a padded day, a wrong weekday, an impossible date and other spellings', () => {
    for (const text of [
      'Tue Nov 03 08:02:15 UTC 2026',
      'Wed Nov 3 08:02:15 UTC 2026',
      'Mon Feb 30 08:02:15 UTC 2026',
      'Tue Nov 3 24:02:15 UTC 2026',
      'Tue Nov 3 8:02:15 UTC 2026',
      'Tue Nov 3 08:02:15 GMT 2026',
      'Tue, 03 Nov 2026 08:02:15 GMT',
      '2026-11-03T08:02:15Z',
      '',
    ]) {
      assert.equal(parseSrpTimestamp(text), undefined, text);
    }
  });
});
