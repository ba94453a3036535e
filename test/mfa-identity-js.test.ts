import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { advance, startCognate, type TestCognate } from './support/cognate.js';
import { codeNow, mfaPool, TOTP_ON } from './support/mfa.js';
import type { TestPool } from './support/pools.js';

const PASSWORD = 'Totp-Pangolin-Passw0rd';

type Outcome = { session: CognitoUserSession } | { totp: string };

/** authenticateUser (USER_SRP_AUTH) as an app calls it, stopping at a TOTP challenge. */
function authenticate(user: CognitoUser, password: string): Promise<Outcome> {
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), {
      onSuccess: (session) => resolve({ session }),
      onFailure: reject,
      totpRequired: (challengeName) => resolve({ totp: challengeName }),
      mfaRequired: (challengeName) => reject(new Error(`unexpected ${challengeName}`)),
      mfaSetup: (challengeName) => reject(new Error(`unexpected ${challengeName}`)),
      selectMFAType: (challengeName) => reject(new Error(`unexpected ${challengeName}`)),
    }),
  );
}

describe('TOTP MFA with amazon-cognito-identity-js', () => {
  let cognate: TestCognate;
  let pool: TestPool;
  let userPool: CognitoUserPool;

  before(async () => {
    cognate = await startCognate();
    // Cognito's default flows for a new client include ALLOW_USER_SRP_AUTH.
    pool = await mfaPool(cognate, { MfaConfiguration: 'OPTIONAL', ...TOTP_ON }, {}, { ExplicitAuthFlows: undefined });
    userPool = new CognitoUserPool({ UserPoolId: pool.poolId, ClientId: pool.clientId, endpoint: cognate.url });
  });
  after(() => cognate.close());

  it('signs up, enrolls an authenticator, turns TOTP on, and then signs in through totpRequired and sendMFACode', async () => {
    await new Promise<void>((resolve, reject) =>
      userPool.signUp('olga', PASSWORD, [new CognitoUserAttribute({ Name: 'email', Value: 'olga@example.com' })], [], (error) => (error ? reject(error) : resolve())),
    );
    const user = new CognitoUser({ Username: 'olga', Pool: userPool });
    const code = cognate.inbox.last('olga@example.com').code;
    await new Promise<void>((resolve, reject) => user.confirmRegistration(code, false, (error) => (error ? reject(error) : resolve())));

    const first = await authenticate(user, PASSWORD);
    assert.ok('session' in first && first.session.isValid(), 'no MFA yet: tokens at once');
    const secret = await new Promise<string>((resolve, reject) => user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
    assert.match(secret, /^[A-Z2-7]{32}$/);
    await new Promise((resolve, reject) => user.verifySoftwareToken(codeNow(cognate, secret), 'olga phone', { onSuccess: resolve, onFailure: reject }));
    await new Promise((resolve, reject) =>
      user.setUserMfaPreference(null, { PreferredMfa: true, Enabled: true }, (error, result) => (error ? reject(error) : resolve(result))),
    );
    user.signOut();

    // The verification code's time step is spent; the next step brings a new code.
    advance(cognate, 30_000);
    const again = new CognitoUser({ Username: 'olga', Pool: userPool });
    const challenged = await authenticate(again, PASSWORD);
    assert.deepEqual(challenged, { totp: 'SOFTWARE_TOKEN_MFA' }, 'the password alone gives no tokens');
    await assert.rejects(
      new Promise((resolve, reject) => again.sendMFACode('000000' === codeNow(cognate, secret) ? '111111' : '000000', { onSuccess: resolve, onFailure: reject }, 'SOFTWARE_TOKEN_MFA')),
      (e: { code?: string }) => e.code === 'CodeMismatchException',
    );
    const session = await new Promise<CognitoUserSession>((resolve, reject) =>
      again.sendMFACode(codeNow(cognate, secret), { onSuccess: resolve, onFailure: reject }, 'SOFTWARE_TOKEN_MFA'),
    );
    assert.ok(session.isValid());
    assert.equal(session.getIdToken().decodePayload()['cognito:username'], 'olga');
  });
});
