import {
  AssociateSoftwareTokenCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { totp } from './support/totp.js';
import { startTestWorker, type TestWorker } from './support/worker.js';
import { errorName } from './support/users.js';

// TOTP (otpauth), the sealed secret and the one-use step on D1, inside workerd. The Worker runs on
// the real clock, so the sign-in uses the next step's code: still inside the ±1 step window.
describe('TOTP MFA in the real Worker entry', { timeout: 120_000 }, () => {
  let worker: TestWorker;
  before(async () => {
    worker = await startTestWorker();
  });
  after(async () => {
    await worker?.close();
  });

  it('enrolls an authenticator and asks for it at sign-in; a code works once', async () => {
    const { admin, app } = worker;
    const { UserPool } = await admin.send(new CreateUserPoolCommand({ PoolName: 'mfa', AutoVerifiedAttributes: ['email'] }));
    const poolId = UserPool!.Id!;
    await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    const { UserPoolClient } = await admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    const ClientId = UserPoolClient!.ClientId!;
    const password = 'Worker-Tapir-Passw0rd';
    await app.send(new SignUpCommand({ ClientId, Username: 'wes', Password: password, UserAttributes: [{ Name: 'email', Value: 'wes@example.com' }] }));
    await app.send(new ConfirmSignUpCommand({ ClientId, Username: 'wes', ConfirmationCode: worker.inbox.last('wes@example.com').code }));
    const signIn = () => app.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'wes', PASSWORD: password } }));

    const AccessToken = (await signIn()).AuthenticationResult!.AccessToken!;
    const { SecretCode } = await app.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    const verified = await app.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totp(SecretCode!, Date.now()) }));
    assert.equal(verified.Status, 'SUCCESS');
    await app.send(new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));

    const code = totp(SecretCode!, Date.now(), { stepOffset: 1 });
    const answer = (session: string | undefined) =>
      app.send(new RespondToAuthChallengeCommand({ ClientId, ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: session, ChallengeResponses: { USERNAME: 'wes', SOFTWARE_TOKEN_MFA_CODE: code } }));
    const first = await signIn();
    assert.equal(first.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    assert.equal(first.AuthenticationResult, undefined);
    assert.ok((await answer(first.Session)).AuthenticationResult?.IdToken);
    await assert.rejects(answer((await signIn()).Session), errorName('CodeMismatchException'));
  });
});
