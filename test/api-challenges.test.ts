import { AdminCreateUserCommand, AdminGetUserCommand, InitiateAuthCommand, RespondToAuthChallengeCommand } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { advance, startCognate, type TestCognate } from './support/cognate.js';
import { createPool, type TestPool } from './support/pools.js';
import { errorName } from './support/users.js';

const TEMPORARY = 'Temp-Password-1';
const CHOSEN = 'Chosen-Password-2';

describe('NEW_PASSWORD_REQUIRED through the public RespondToAuthChallenge', () => {
  let cognate: TestCognate;
  let pool: TestPool;
  before(async () => {
    cognate = await startCognate();
    pool = await createPool(cognate, { Schema: [{ Name: 'name', Required: true, AttributeDataType: 'String', Mutable: true }] });
  });
  after(() => cognate.close());

  async function invite(username: string) {
    await cognate.admin.send(
      new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: username, TemporaryPassword: TEMPORARY, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'name', Value: 'Temp Name' }] }),
    );
    const started = await cognate.app.send(
      new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: TEMPORARY } }),
    );
    assert.equal(started.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    assert.equal(started.AuthenticationResult, undefined, 'no tokens before the challenge is passed');
    assert.equal(started.ChallengeParameters?.USER_ID_FOR_SRP, username);
    assert.deepEqual(JSON.parse(started.ChallengeParameters!.userAttributes!), { name: 'Temp Name' });
    return started.Session!;
  }

  const respond = (username: string, session: string, extra: Record<string, string> = {}) =>
    cognate.app.send(
      new RespondToAuthChallengeCommand({
        ClientId: pool.clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: CHOSEN, ...extra },
      }),
    );

  it('sets the new password and attributes, confirms the user and returns tokens', async () => {
    const session = await invite('nora');
    const { AuthenticationResult } = await respond('nora', session, { 'userAttributes.name': 'Nora N' });
    assert.equal(decodeJwt(AuthenticationResult!.IdToken!).name, 'Nora N');
    const user = await cognate.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'nora' }));
    assert.equal(user.UserStatus, 'CONFIRMED');
    const again = await cognate.app.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'nora', PASSWORD: CHOSEN } }));
    assert.ok(again.AuthenticationResult?.AccessToken);
  });

  it('refuses a replayed session', async () => {
    const session = await invite('otto');
    await respond('otto', session);
    await assert.rejects(respond('otto', session), errorName('NotAuthorizedException'));
  });

  it('refuses a session older than AuthSessionValidity (3 minutes by default)', async () => {
    const session = await invite('pia');
    advance(cognate, 3 * 60_000 + 1000);
    await assert.rejects(respond('pia', session), (e: Error) => e.name === 'NotAuthorizedException' && /expired/.test(e.message));
    const user = await cognate.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'pia' }));
    assert.equal(user.UserStatus, 'FORCE_CHANGE_PASSWORD', 'nothing changed');
  });

  it('refuses a forged session and a session of another challenge name', async () => {
    await assert.rejects(respond('quinn', 'A'.repeat(64)), errorName('NotAuthorizedException'));
    const session = await invite('quinn');
    await assert.rejects(
      cognate.app.send(new RespondToAuthChallengeCommand({ ClientId: pool.clientId, ChallengeName: 'SMS_MFA', Session: session, ChallengeResponses: { USERNAME: 'quinn', SMS_MFA_CODE: '123456' } })),
      (e: Error) => e.name === 'InvalidParameterException' || e.name === 'NotAuthorizedException',
    );
  });

  it('refuses clearing a required attribute, and writing an unknown one, leaving the user as it was', async () => {
    const session = await invite('rosa');
    await assert.rejects(respond('rosa', session, { 'userAttributes.name': '' }), errorName('InvalidParameterException'));
    await assert.rejects(respond('rosa', session, { 'userAttributes.shoe_size': '42' }), errorName('InvalidParameterException'));
    const user = await cognate.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'rosa' }));
    assert.equal(user.UserStatus, 'FORCE_CHANGE_PASSWORD');
    assert.ok((await respond('rosa', session)).AuthenticationResult, 'the challenge stays open after a refused answer');
  });
});
