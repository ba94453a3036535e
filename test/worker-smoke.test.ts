import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SrpClient } from './support/srp-client.js';
import { startTestWorker, startWorkerd, type TestWorker } from './support/worker.js';

describe('the real Worker entry in workerd', { timeout: 120_000 }, () => {
  let cognate: TestWorker;
  let base: string;
  // The SDK signs the admin operations and sends SignUp, ConfirmSignUp and InitiateAuth unsigned.
  let client: CognitoIdentityProviderClient;

  before(async () => {
    cognate = await startTestWorker();
    base = cognate.url;
    assert.equal((await cognate.worker.url).origin, base, 'the Worker listens where COGNATE_BASE_URL points');
    client = cognate.admin;
  });

  after(async () => {
    await cognate?.close();
  });

  it('answers 500 saying what to set when COGNATE_KEK and the admin keys are missing', async () => {
    const bare = await startWorkerd({ logLevel: 'none' });
    try {
      for (let i = 0; i < 2; i++) {
        const response = await bare.fetch('http://cognate.test/health');
        assert.equal(response.status, 500);
        const text = await response.text();
        assert.match(text, /COGNATE_KEK is not set/);
        assert.match(text, /COGNATE_ADMIN_ACCESS_KEY_ID and COGNATE_ADMIN_SECRET_ACCESS_KEY/);
      }
    } finally {
      await bare.dispose();
    }
  });

  it('refuses an unsigned admin operation', async () => {
    const unsigned = new CognitoIdentityProviderClient({
      endpoint: base,
      region: 'local',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      signer: { sign: async (request) => request },
    });
    try {
      await assert.rejects(unsigned.send(new CreateUserPoolCommand({ PoolName: 'nope' })), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(error.name, 'MissingAuthenticationTokenException');
        assert.equal(error.$metadata?.httpStatusCode, 403);
        return true;
      });
    } finally {
      unsigned.destroy();
    }
  });

  it('signs up, confirms with the emailed code, signs in and issues a verifiable ID token', async () => {
    const { UserPool } = await client.send(new CreateUserPoolCommand({ PoolName: 'smoke', AutoVerifiedAttributes: ['email'] }));
    const poolId = UserPool!.Id!;
    assert.match(poolId, /^local_[0-9A-Za-z]{9}$/);
    const { UserPoolClient } = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'smoke-app',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const clientId = UserPoolClient!.ClientId!;

    const email = 'ada@example.com';
    const password = 'Correct-horse-9-battery';
    const signUp = await client.send(
      new SignUpCommand({ ClientId: clientId, Username: 'ada', Password: password, UserAttributes: [{ Name: 'email', Value: email }] }),
    );
    assert.equal(signUp.UserConfirmed, false);
    const message = cognate.inbox.messages.find((m) => m.to === email);
    assert.ok(message, 'the sign-up code reached the webhook');
    assert.equal(message.poolId, poolId);
    assert.equal(message.channel, 'email');
    assert.equal(message.username, 'ada');
    assert.equal(message.triggerSource, 'CustomMessage_SignUp');
    assert.match(message.code, /^\d{6}$/);

    await client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'ada', ConfirmationCode: message.code }));
    const { AuthenticationResult } = await client.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ada', PASSWORD: password } }),
    );
    assert.ok(AuthenticationResult?.IdToken && AuthenticationResult.AccessToken && AuthenticationResult.RefreshToken);

    const issuer = `${base}/${poolId}`;
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    assert.equal(discovery.issuer, issuer);
    const { payload, protectedHeader } = await jwtVerify(AuthenticationResult.IdToken, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
      issuer,
      audience: clientId,
    });
    assert.ok(protectedHeader.kid);
    assert.equal(payload.token_use, 'id');
    assert.equal(payload['cognito:username'], 'ada');
    assert.equal(payload.email, email);
    assert.equal(payload.email_verified, true);

    // USER_SRP_AUTH in workerd: BigInt arithmetic and Web Crypto HKDF, checked by an independent client.
    const srp = new SrpClient(poolId);
    const challenge = await client.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'ada', SRP_A: srp.srpA } }),
    );
    const verified = await client.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', Session: challenge.Session, ChallengeResponses: srp.answer(challenge.ChallengeParameters!, password),
      }),
    );
    assert.ok(verified.AuthenticationResult?.IdToken);
  });
});
