import {
  AdminGetUserCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { advance, startCognate, type TestCognate } from './support/cognate.js';
import { createPool, PASSWORD, secretHash, type TestPool } from './support/pools.js';
import { errorName, signIn, signUpConfirmed } from './support/users.js';

describe('sign-up, confirmation and password sign-in over the Cognito API', () => {
  let cognate: TestCognate;
  let pool: TestPool;
  before(async () => {
    cognate = await startCognate();
    pool = await createPool(cognate);
  });
  after(() => cognate.close());

  it('signs up, delivers a code through the pool template, confirms and signs in', async () => {
    const signUp = await cognate.app.send(
      new SignUpCommand({ ClientId: pool.clientId, Username: 'dana', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'dana@example.com' }] }),
    );
    assert.equal(signUp.UserConfirmed, false);
    assert.match(signUp.UserSub!, /^[0-9a-f-]{36}$/);
    assert.deepEqual(signUp.CodeDeliveryDetails, { Destination: 'd***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const message = cognate.inbox.last('dana@example.com');
    assert.equal(message.triggerSource, 'CustomMessage_SignUp');
    assert.equal(message.channel, 'email');
    assert.equal(message.poolId, pool.poolId);
    assert.match(message.code, /^\d{6}$/);
    assert.ok(message.body.includes(message.code));

    await assert.rejects(signIn(cognate, pool, 'dana'), errorName('UserNotConfirmedException'));
    await cognate.app.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: 'dana', ConfirmationCode: message.code }));
    const user = await cognate.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'dana' }));
    assert.equal(user.UserStatus, 'CONFIRMED');
    assert.deepEqual(user.UserAttributes?.find((a) => a.Name === 'email_verified'), { Name: 'email_verified', Value: 'true' });
    const tokens = await signIn(cognate, pool, 'DANA');
    assert.ok(tokens.AccessToken && tokens.IdToken && tokens.RefreshToken);
    assert.equal(tokens.TokenType, 'Bearer');
    assert.equal(tokens.ExpiresIn, 3600);
  });

  it('refuses a taken username, a weak password and a missing required attribute, creating nothing', async () => {
    await signUpConfirmed(cognate, pool, 'erin');
    await assert.rejects(
      cognate.app.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'Erin', Password: PASSWORD })),
      errorName('UsernameExistsException'),
    );
    await assert.rejects(
      cognate.app.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'weak', Password: 'password' })),
      (e: Error) => e.name === 'InvalidPasswordException' && /uppercase/.test(e.message),
    );
    const strict = await createPool(cognate, { Schema: [{ Name: 'name', Required: true, AttributeDataType: 'String', Mutable: true }] });
    await assert.rejects(
      cognate.app.send(new SignUpCommand({ ClientId: strict.clientId, Username: 'noname', Password: PASSWORD })),
      errorName('InvalidParameterException'),
    );
    for (const [p, name] of [[pool, 'weak'], [strict, 'noname']] as const) {
      await assert.rejects(cognate.admin.send(new AdminGetUserCommand({ UserPoolId: p.poolId, Username: name })), errorName('UserNotFoundException'));
    }
  });

  it('rejects wrong and expired confirmation codes, and burns a code after five wrong tries', async () => {
    await cognate.app.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'frank', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'frank@example.com' }] }));
    const { code } = cognate.inbox.last('frank@example.com');
    const wrong = code === '000000' ? '111111' : '000000';
    await assert.rejects(
      cognate.app.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: 'frank', ConfirmationCode: wrong })),
      errorName('CodeMismatchException'),
    );
    for (let i = 0; i < 3; i++) {
      await assert.rejects(cognate.app.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: 'frank', ConfirmationCode: wrong })));
    }
    await assert.rejects(
      cognate.app.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: 'frank', ConfirmationCode: wrong })),
      errorName('LimitExceededException'),
    );
    await assert.rejects(
      cognate.app.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: 'frank', ConfirmationCode: code })),
      errorName('ExpiredCodeException'),
      'the right code no longer works once five wrong ones were tried',
    );
    const resent = await cognate.app.send(new ResendConfirmationCodeCommand({ ClientId: pool.clientId, Username: 'frank' }));
    assert.equal(resent.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
    const fresh = cognate.inbox.last('frank@example.com');
    assert.equal(fresh.triggerSource, 'CustomMessage_ResendCode');
    advance(cognate, 25 * 3_600_000);
    await assert.rejects(
      cognate.app.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: 'frank', ConfirmationCode: fresh.code })),
      errorName('ExpiredCodeException'),
    );
    await cognate.app.send(new ResendConfirmationCodeCommand({ ClientId: pool.clientId, Username: 'frank' }));
    await cognate.app.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: 'frank', ConfirmationCode: cognate.inbox.last('frank@example.com').code }));
    await assert.rejects(
      cognate.app.send(new ResendConfirmationCodeCommand({ ClientId: pool.clientId, Username: 'frank' })),
      errorName('InvalidParameterException'),
    );
  });

  it('answers a wrong password with NotAuthorizedException and an unknown user with UserNotFoundException (LEGACY)', async () => {
    await signUpConfirmed(cognate, pool, 'gina');
    await assert.rejects(signIn(cognate, pool, 'gina', 'Wrong-Password-1'), (e: Error) => e.name === 'NotAuthorizedException' && e.message === 'Incorrect username or password.');
    await assert.rejects(signIn(cognate, pool, 'nobody-here'), errorName('UserNotFoundException'));
  });

  it('locks an account after five wrong passwords, even against the right one, then lets it in again', async () => {
    await signUpConfirmed(cognate, pool, 'mallory-target');
    for (let i = 0; i < 5; i++) {
      await assert.rejects(signIn(cognate, pool, 'mallory-target', `Guess-${i}-Password`), (e: Error) => e.message === 'Incorrect username or password.');
    }
    await assert.rejects(signIn(cognate, pool, 'mallory-target'), (e: Error) => e.name === 'NotAuthorizedException' && e.message === 'Password attempts exceeded');
    advance(cognate, 1_500);
    assert.ok((await signIn(cognate, pool, 'mallory-target')).AccessToken, 'the lock expires');
    await assert.rejects(signIn(cognate, pool, 'mallory-target', 'Another-Guess-1'), (e: Error) => e.message === 'Incorrect username or password.', 'a success reset the count');
  });

  it('refuses USER_PASSWORD_AUTH when the client does not enable it', async () => {
    const srpOnly = await createPool(cognate, {}, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    await assert.rejects(signIn(cognate, srpOnly, 'anyone'), (e: Error) => e.name === 'InvalidParameterException' && /not enabled/.test(e.message));
  });

  it('resets a forgotten password with an emailed code', async () => {
    await signUpConfirmed(cognate, pool, 'hugo');
    const forgot = await cognate.app.send(new ForgotPasswordCommand({ ClientId: pool.clientId, Username: 'hugo' }));
    assert.equal(forgot.CodeDeliveryDetails?.AttributeName, 'email');
    const message = cognate.inbox.last('hugo@example.com');
    assert.equal(message.triggerSource, 'CustomMessage_ForgotPassword');
    await assert.rejects(
      cognate.app.send(new ConfirmForgotPasswordCommand({ ClientId: pool.clientId, Username: 'hugo', ConfirmationCode: message.code, Password: 'short' })),
      errorName('InvalidPasswordException'),
    );
    await cognate.app.send(new ConfirmForgotPasswordCommand({ ClientId: pool.clientId, Username: 'hugo', ConfirmationCode: message.code, Password: 'New-Password-77' }));
    await assert.rejects(signIn(cognate, pool, 'hugo'), errorName('NotAuthorizedException'));
    assert.ok((await signIn(cognate, pool, 'hugo', 'New-Password-77')).AccessToken);
    await assert.rejects(
      cognate.app.send(new ConfirmForgotPasswordCommand({ ClientId: pool.clientId, Username: 'hugo', ConfirmationCode: message.code, Password: 'Other-Password-8' })),
      errorName('ExpiredCodeException'),
      'a reset code works once',
    );
  });

  it('refuses a reset for a user with no verified address', async () => {
    await cognate.app.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'ivy', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'ivy@example.com' }] }));
    await assert.rejects(cognate.app.send(new ForgotPasswordCommand({ ClientId: pool.clientId, Username: 'ivy' })), errorName('InvalidParameterException'));
  });

  it('changes a password with the access token and returns the profile from GetUser', async () => {
    const sub = await signUpConfirmed(cognate, pool, 'jack');
    const { AccessToken } = await signIn(cognate, pool, 'jack');
    const me = await cognate.app.send(new GetUserCommand({ AccessToken }));
    assert.equal(me.Username, 'jack');
    assert.deepEqual(me.UserAttributes?.find((a) => a.Name === 'sub'), { Name: 'sub', Value: sub });
    assert.equal(me.UserAttributes?.find((a) => a.Name === 'email')?.Value, 'jack@example.com');
    await assert.rejects(
      cognate.app.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: 'Not-My-Password-1', ProposedPassword: 'Next-Password-2' })),
      errorName('NotAuthorizedException'),
    );
    await cognate.app.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: PASSWORD, ProposedPassword: 'Next-Password-2' }));
    assert.ok((await signIn(cognate, pool, 'jack', 'Next-Password-2')).AccessToken);
    await assert.rejects(cognate.app.send(new GetUserCommand({ AccessToken: `${AccessToken}x` })), errorName('NotAuthorizedException'));
  });

  it('requires a valid SECRET_HASH for a client with a secret', async () => {
    const confidential = await createPool(cognate, {}, { GenerateSecret: true });
    await assert.rejects(
      cognate.app.send(new SignUpCommand({ ClientId: confidential.clientId, Username: 'kim', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'kim@example.com' }] })),
      (e: Error) => e.name === 'NotAuthorizedException' && /SECRET_HASH was not received/.test(e.message),
    );
    await assert.rejects(
      cognate.app.send(new SignUpCommand({ ClientId: confidential.clientId, SecretHash: secretHash(confidential, 'someone-else'), Username: 'kim', Password: PASSWORD })),
      (e: Error) => e.name === 'NotAuthorizedException' && /Unable to verify secret hash/.test(e.message),
    );
    await cognate.app.send(
      new SignUpCommand({ ClientId: confidential.clientId, SecretHash: secretHash(confidential, 'kim'), Username: 'kim', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'kim@example.com' }] }),
    );
    await cognate.app.send(new ConfirmSignUpCommand({ ClientId: confidential.clientId, SecretHash: secretHash(confidential, 'kim'), Username: 'kim', ConfirmationCode: cognate.inbox.last('kim@example.com').code }));
    await assert.rejects(
      cognate.app.send(new InitiateAuthCommand({ ClientId: confidential.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'kim', PASSWORD } })),
      errorName('NotAuthorizedException'),
    );
    const ok = await cognate.app.send(
      new InitiateAuthCommand({ ClientId: confidential.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'kim', PASSWORD, SECRET_HASH: secretHash(confidential, 'kim') } }),
    );
    assert.ok(ok.AuthenticationResult?.IdToken);
  });

  it('signs in with the email when the pool uses email as username', async () => {
    const byEmail = await createPool(cognate, { UsernameAttributes: ['email'] });
    const signUp = await cognate.app.send(new SignUpCommand({ ClientId: byEmail.clientId, Username: 'Lee@Example.com', Password: PASSWORD }));
    await cognate.app.send(new ConfirmSignUpCommand({ ClientId: byEmail.clientId, Username: 'Lee@Example.com', ConfirmationCode: cognate.inbox.last('Lee@Example.com').code }));
    const tokens = await signIn(cognate, byEmail, 'Lee@Example.com');
    const me = await cognate.app.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
    assert.equal(me.Username, signUp.UserSub, 'with UsernameAttributes the username is the sub');
    await assert.rejects(
      cognate.app.send(new SignUpCommand({ ClientId: byEmail.clientId, Username: 'Lee@Example.com', Password: PASSWORD })),
      errorName('UsernameExistsException'),
    );
  });
});
