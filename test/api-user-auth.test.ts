import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  UpdateUserPoolCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { advance, startCognate, type TestCognate } from './support/cognate.js';
import { assertChallenge, EMAIL_ON, mfaPool, newUser, respond } from './support/mfa.js';
import { createPool, PASSWORD, secretHash, type TestPool } from './support/pools.js';
import { SrpClient } from './support/srp-client.js';
import { errorName } from './support/users.js';

const ALL_FACTORS: Partial<CreateUserPoolCommandInput> = {
  Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'] } },
};
const USER_AUTH_CLIENT: Partial<CreateUserPoolClientCommandInput> = { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] };

describe('choice-based sign-in (USER_AUTH)', () => {
  let cognate: TestCognate;
  before(async () => {
    cognate = await startCognate();
  });
  after(() => cognate.close());

  function userAuth(pool: TestPool, parameters: Record<string, string>): Promise<InitiateAuthCommandOutput> {
    return cognate.app.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_AUTH', AuthParameters: parameters }));
  }

  function messagesTo(to: string): number {
    return cognate.inbox.messages.filter((m) => m.to === to).length;
  }

  async function verifyPhone(pool: TestPool, username: string, phone: string): Promise<void> {
    await cognate.admin.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: pool.poolId,
        Username: username,
        UserAttributes: [{ Name: 'phone_number', Value: phone }, { Name: 'phone_number_verified', Value: 'true' }],
      }),
    );
  }

  /** USER_AUTH straight to EMAIL_OTP: the session and the code that was mailed. */
  async function emailCode(pool: TestPool, username: string): Promise<{ session: string; code: string }> {
    const session = assertChallenge(await userAuth(pool, { USERNAME: username, PREFERRED_CHALLENGE: 'EMAIL_OTP' }), 'EMAIL_OTP');
    return { session, code: cognate.inbox.last(`${username}@example.com`).code };
  }

  const wrongOf = (code: string) => (code === '000000' ? '111111' : '000000');

  describe('choosing a challenge', () => {
    let pool: TestPool;
    before(async () => {
      pool = await createPool(cognate, ALL_FACTORS, USER_AUTH_CLIENT);
    });

    it('answers SELECT_CHALLENGE with what the user can use, then signs in with an email code to tokens that verify against the JWKS', async () => {
      const sub = await newUser(cognate, pool, 'olivia', '+15550100101');
      const started = await userAuth(pool, { USERNAME: 'olivia' });
      const session = assertChallenge(started, 'SELECT_CHALLENGE');
      // The phone is not verified, so SMS_OTP is not offered.
      assert.deepEqual(started.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
      assert.deepEqual(JSON.parse(started.ChallengeParameters!.AVAILABLE_CHALLENGES!), ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);

      const sent = await respond(cognate, pool, 'SELECT_CHALLENGE', session, { USERNAME: 'olivia', ANSWER: 'EMAIL_OTP' });
      const codeSession = assertChallenge(sent, 'EMAIL_OTP');
      assert.deepEqual(
        { medium: sent.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM, to: sent.ChallengeParameters?.CODE_DELIVERY_DESTINATION },
        { medium: 'EMAIL', to: 'o***@e***' },
      );
      const message = cognate.inbox.last('olivia@example.com');
      assert.equal(message.triggerSource, 'CustomMessage_Authentication');
      assert.equal(message.channel, 'email');

      const done = await respond(cognate, pool, 'EMAIL_OTP', codeSession, { USERNAME: 'olivia', EMAIL_OTP_CODE: message.code });
      const tokens = done.AuthenticationResult!;
      assert.ok(tokens.RefreshToken);
      const discovery = (await (await fetch(`${cognate.url}/${pool.poolId}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
      const keys = createRemoteJWKSet(new URL(discovery.jwks_uri));
      const { payload: id } = await jwtVerify(tokens.IdToken!, keys, { issuer: discovery.issuer, audience: pool.clientId });
      assert.equal(id.sub, sub);
      assert.equal(id['cognito:username'], 'olivia');
      const { payload: access } = await jwtVerify(tokens.AccessToken!, keys, { issuer: discovery.issuer });
      assert.equal(access.client_id, pool.clientId);
      assert.equal((await cognate.app.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).Username, 'olivia');

      // The code and the session are used up.
      await assert.rejects(respond(cognate, pool, 'EMAIL_OTP', codeSession, { USERNAME: 'olivia', EMAIL_OTP_CODE: message.code }), errorName('NotAuthorizedException'));
    });

    it('goes straight to SMS_OTP for a verified phone, and lists it once the phone is verified', async () => {
      await newUser(cognate, pool, 'sofia');
      await verifyPhone(pool, 'sofia', '+15550100102');
      assert.deepEqual((await userAuth(pool, { USERNAME: 'sofia' })).AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP']);
      const started = await userAuth(pool, { USERNAME: 'sofia', PREFERRED_CHALLENGE: 'SMS_OTP' });
      const session = assertChallenge(started, 'SMS_OTP');
      assert.equal(started.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM, 'SMS');
      assert.equal(started.ChallengeParameters?.CODE_DELIVERY_DESTINATION, '+*******0102');
      const message = cognate.inbox.last('+15550100102');
      assert.equal(message.triggerSource, 'CustomMessage_Authentication');
      assert.equal(message.channel, 'sms');
      // The SMS code travels under SMS_OTP_CODE; the email key does not answer it.
      await assert.rejects(respond(cognate, pool, 'SMS_OTP', session, { USERNAME: 'sofia', EMAIL_OTP_CODE: message.code }), errorName('InvalidParameterException'));
      const done = await respond(cognate, pool, 'SMS_OTP', session, { USERNAME: 'sofia', SMS_OTP_CODE: message.code });
      assert.ok(done.AuthenticationResult?.AccessToken);
    });

    it('signs in with PASSWORD at once, or through SELECT_CHALLENGE', async () => {
      await newUser(cognate, pool, 'paula');
      const direct = await userAuth(pool, { USERNAME: 'paula', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD });
      assert.ok(direct.AuthenticationResult?.IdToken);
      await assert.rejects(userAuth(pool, { USERNAME: 'paula', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Wrong-Password-1' }), errorName('NotAuthorizedException'));
      await assert.rejects(userAuth(pool, { USERNAME: 'paula', PREFERRED_CHALLENGE: 'PASSWORD' }), errorName('InvalidParameterException'));

      const session = assertChallenge(await userAuth(pool, { USERNAME: 'paula' }), 'SELECT_CHALLENGE');
      // A missing PASSWORD leaves the choice open.
      await assert.rejects(respond(cognate, pool, 'SELECT_CHALLENGE', session, { USERNAME: 'paula', ANSWER: 'PASSWORD' }), errorName('InvalidParameterException'));
      const done = await respond(cognate, pool, 'SELECT_CHALLENGE', session, { USERNAME: 'paula', ANSWER: 'PASSWORD', PASSWORD });
      assert.ok(done.AuthenticationResult?.AccessToken);
      // Codes are not sent for password sign-ins.
      assert.equal(messagesTo('paula@example.com'), 1, 'only the sign-up confirmation');
    });

    it('runs PASSWORD_SRP to PASSWORD_VERIFIER, preferred or chosen', async () => {
      await newUser(cognate, pool, 'sebastian');
      const srp = new SrpClient(pool.poolId);
      const verifier = await userAuth(pool, { USERNAME: 'sebastian', PREFERRED_CHALLENGE: 'PASSWORD_SRP', SRP_A: srp.srpA });
      const session = assertChallenge(verifier, 'PASSWORD_VERIFIER');
      const done = await respond(cognate, pool, 'PASSWORD_VERIFIER', session, srp.answer(verifier.ChallengeParameters!, PASSWORD));
      assert.ok(done.AuthenticationResult?.AccessToken);

      const chooser = new SrpClient(pool.poolId);
      const select = assertChallenge(await userAuth(pool, { USERNAME: 'sebastian' }), 'SELECT_CHALLENGE');
      const chosen = await respond(cognate, pool, 'SELECT_CHALLENGE', select, { USERNAME: 'sebastian', ANSWER: 'PASSWORD_SRP', SRP_A: chooser.srpA });
      const next = assertChallenge(chosen, 'PASSWORD_VERIFIER');
      await assert.rejects(
        respond(cognate, pool, 'PASSWORD_VERIFIER', next, chooser.answer(chosen.ChallengeParameters!, 'Wrong-Password-1')),
        errorName('NotAuthorizedException'),
      );
    });

    it('works through AdminInitiateAuth and AdminRespondToAuthChallenge', async () => {
      await newUser(cognate, pool, 'adele');
      const started = await cognate.admin.send(
        new AdminInitiateAuthCommand({ UserPoolId: pool.poolId, ClientId: pool.clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'adele', PREFERRED_CHALLENGE: 'EMAIL_OTP' } }),
      );
      const session = assertChallenge(started, 'EMAIL_OTP');
      const done = await cognate.admin.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: pool.poolId,
          ClientId: pool.clientId,
          ChallengeName: 'EMAIL_OTP',
          Session: session,
          ChallengeResponses: { USERNAME: 'adele', EMAIL_OTP_CODE: cognate.inbox.last('adele@example.com').code },
        }),
      );
      assert.ok(done.AuthenticationResult?.AccessToken);
    });

    it('checks SECRET_HASH on clients with a secret', async () => {
      const secretPool = await createPool(cognate, ALL_FACTORS, { ...USER_AUTH_CLIENT, GenerateSecret: true });
      await newUserWithSecret(secretPool, 'hannah');
      await assert.rejects(userAuth(secretPool, { USERNAME: 'hannah', PREFERRED_CHALLENGE: 'EMAIL_OTP' }), errorName('NotAuthorizedException'));
      const started = await userAuth(secretPool, { USERNAME: 'hannah', PREFERRED_CHALLENGE: 'EMAIL_OTP', SECRET_HASH: secretHash(secretPool, 'hannah') });
      const spent = assertChallenge(started, 'EMAIL_OTP');
      await assert.rejects(
        respond(cognate, secretPool, 'EMAIL_OTP', spent, { USERNAME: 'hannah', EMAIL_OTP_CODE: cognate.inbox.last('hannah@example.com').code }),
        errorName('NotAuthorizedException'),
      );
      const again = await userAuth(secretPool, { USERNAME: 'hannah', PREFERRED_CHALLENGE: 'EMAIL_OTP', SECRET_HASH: secretHash(secretPool, 'hannah') });
      const session = assertChallenge(again, 'EMAIL_OTP');
      const code = cognate.inbox.last('hannah@example.com').code;
      const done = await respond(cognate, secretPool, 'EMAIL_OTP', session, { USERNAME: 'hannah', EMAIL_OTP_CODE: code, SECRET_HASH: secretHash(secretPool, 'hannah') });
      assert.ok(done.AuthenticationResult?.AccessToken);
    });
  });

  async function newUserWithSecret(pool: TestPool, username: string): Promise<void> {
    await cognate.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.poolId,
        Username: username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }],
      }),
    );
    await cognate.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: username, Password: PASSWORD, Permanent: true }));
  }

  describe('codes are a first factor', () => {
    it('asks no MFA after a passwordless code, while PASSWORD still leads to MFA and each EMAIL_OTP session answers only its own kind', async () => {
      const pool = await mfaPool(cognate, { MfaConfiguration: 'OPTIONAL', ...EMAIL_ON }, ALL_FACTORS, USER_AUTH_CLIENT);
      await newUser(cognate, pool, 'mia');
      await cognate.admin.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: pool.poolId, Username: 'mia', EmailMfaSettings: { Enabled: true, PreferredMfa: true } }));

      const mfa = await userAuth(pool, { USERNAME: 'mia', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD });
      const mfaSession = assertChallenge(mfa, 'EMAIL_OTP');
      const mfaCode = cognate.inbox.last('mia@example.com').code;

      const { session: otpSession, code: otpCode } = await emailCode(pool, 'mia');
      // Each code belongs to its own challenge: the passwordless code does not pass MFA, nor the other way round.
      await assert.rejects(respond(cognate, pool, 'EMAIL_OTP', mfaSession, { USERNAME: 'mia', EMAIL_OTP_CODE: otpCode }), errorName('CodeMismatchException'));
      await assert.rejects(respond(cognate, pool, 'EMAIL_OTP', otpSession, { USERNAME: 'mia', EMAIL_OTP_CODE: mfaCode }), errorName('CodeMismatchException'));
      assert.ok((await respond(cognate, pool, 'EMAIL_OTP', mfaSession, { USERNAME: 'mia', EMAIL_OTP_CODE: mfaCode })).AuthenticationResult, 'MFA after the password');
      assert.ok((await respond(cognate, pool, 'EMAIL_OTP', otpSession, { USERNAME: 'mia', EMAIL_OTP_CODE: otpCode })).AuthenticationResult, 'no MFA after the code');
    });
  });

  describe('failures', () => {
    let pool: TestPool;
    before(async () => {
      pool = await createPool(cognate, ALL_FACTORS, USER_AUTH_CLIENT);
    });

    it('rejects wrong codes with CodeMismatchException, closes the session at the fifth, and counts them toward the lock', async () => {
      await newUser(cognate, pool, 'walter');
      const { session, code } = await emailCode(pool, 'walter');
      for (let i = 0; i < 4; i++) {
        await assert.rejects(respond(cognate, pool, 'EMAIL_OTP', session, { USERNAME: 'walter', EMAIL_OTP_CODE: wrongOf(code) }), errorName('CodeMismatchException'));
      }
      // The fourth wrong code left the session open: the right one still works.
      assert.ok((await respond(cognate, pool, 'EMAIL_OTP', session, { USERNAME: 'walter', EMAIL_OTP_CODE: code })).AuthenticationResult);

      const second = await emailCode(pool, 'walter');
      for (let i = 0; i < 5; i++) {
        await assert.rejects(respond(cognate, pool, 'EMAIL_OTP', second.session, { USERNAME: 'walter', EMAIL_OTP_CODE: wrongOf(second.code) }), errorName('CodeMismatchException'));
      }
      await assert.rejects(
        respond(cognate, pool, 'EMAIL_OTP', second.session, { USERNAME: 'walter', EMAIL_OTP_CODE: second.code }),
        errorName('NotAuthorizedException'),
      );
      // Five wrong codes lock the account, even for the right password.
      await assert.rejects(
        userAuth(pool, { USERNAME: 'walter', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD }),
        (e: Error) => e.name === 'NotAuthorizedException' && e.message === 'Password attempts exceeded',
      );
      const sentBefore = messagesTo('walter@example.com');
      await assert.rejects(userAuth(pool, { USERNAME: 'walter', PREFERRED_CHALLENGE: 'EMAIL_OTP' }), errorName('NotAuthorizedException'));
      assert.equal(messagesTo('walter@example.com'), sentBefore, 'no code is sent to a locked account');
      advance(cognate, 1500);
      assert.ok((await userAuth(pool, { USERNAME: 'walter', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD })).AuthenticationResult);
    });

    it('refuses expired, replayed and foreign sessions', async () => {
      await newUser(cognate, pool, 'eric');
      const expired = await emailCode(pool, 'eric');
      advance(cognate, 3 * 60_000 + 1000);
      await assert.rejects(
        respond(cognate, pool, 'EMAIL_OTP', expired.session, { USERNAME: 'eric', EMAIL_OTP_CODE: expired.code }),
        (e: Error) => e.name === 'NotAuthorizedException' && /expired/.test(e.message),
      );

      const select = assertChallenge(await userAuth(pool, { USERNAME: 'eric' }), 'SELECT_CHALLENGE');
      // A SELECT_CHALLENGE session cannot answer a code challenge (and is spent by trying).
      await assert.rejects(respond(cognate, pool, 'EMAIL_OTP', select, { USERNAME: 'eric', EMAIL_OTP_CODE: '123456' }), errorName('NotAuthorizedException'));
      await assert.rejects(respond(cognate, pool, 'SELECT_CHALLENGE', select, { USERNAME: 'eric', ANSWER: 'EMAIL_OTP' }), errorName('NotAuthorizedException'));

      const fresh = await emailCode(pool, 'eric');
      // An EMAIL_OTP session cannot answer SMS_OTP or SELECT_CHALLENGE.
      await assert.rejects(respond(cognate, pool, 'SMS_OTP', fresh.session, { USERNAME: 'eric', SMS_OTP_CODE: fresh.code }), errorName('NotAuthorizedException'));
      const again = await emailCode(pool, 'eric');
      await assert.rejects(respond(cognate, pool, 'SELECT_CHALLENGE', again.session, { USERNAME: 'eric', ANSWER: 'PASSWORD', PASSWORD }), errorName('NotAuthorizedException'));

      const replayed = await emailCode(pool, 'eric');
      assert.ok((await respond(cognate, pool, 'EMAIL_OTP', replayed.session, { USERNAME: 'eric', EMAIL_OTP_CODE: replayed.code })).AuthenticationResult);
      await assert.rejects(respond(cognate, pool, 'EMAIL_OTP', replayed.session, { USERNAME: 'eric', EMAIL_OTP_CODE: replayed.code }), errorName('NotAuthorizedException'));

      // Another user's name does not answer this user's session.
      await newUser(cognate, pool, 'eve');
      const stolen = await emailCode(pool, 'eric');
      await assert.rejects(respond(cognate, pool, 'EMAIL_OTP', stolen.session, { USERNAME: 'eve', EMAIL_OTP_CODE: stolen.code }), errorName('NotAuthorizedException'));
    });

    it('offers only the factors the pool allows', async () => {
      const passwordOnly = await createPool(cognate, {}, USER_AUTH_CLIENT);
      await newUser(cognate, passwordOnly, 'petra');
      const started = await userAuth(passwordOnly, { USERNAME: 'petra', PREFERRED_CHALLENGE: 'EMAIL_OTP' });
      const session = assertChallenge(started, 'SELECT_CHALLENGE');
      assert.deepEqual(started.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP']);
      await assert.rejects(respond(cognate, passwordOnly, 'SELECT_CHALLENGE', session, { USERNAME: 'petra', ANSWER: 'EMAIL_OTP' }), errorName('InvalidParameterException'));
      assert.equal(messagesTo('petra@example.com'), 1, 'only the sign-up confirmation');

      const codesOnly = await createPool(cognate, { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['EMAIL_OTP'] } } }, USER_AUTH_CLIENT);
      await newUser(cognate, codesOnly, 'cora');
      const offered = await userAuth(codesOnly, { USERNAME: 'cora', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD });
      assert.equal(offered.ChallengeName, 'SELECT_CHALLENGE');
      assert.deepEqual(offered.AvailableChallenges, ['EMAIL_OTP']);
    });

    it('needs ALLOW_USER_AUTH on the client', async () => {
      const other = await createPool(cognate, ALL_FACTORS);
      await newUser(cognate, other, 'nina');
      await assert.rejects(
        userAuth(other, { USERNAME: 'nina' }),
        (e: Error) => e.name === 'InvalidParameterException' && e.message === 'USER_AUTH flow not enabled for this client',
      );
      await assert.rejects(
        cognate.admin.send(new AdminInitiateAuthCommand({ UserPoolId: other.poolId, ClientId: other.clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'nina' } })),
        errorName('InvalidParameterException'),
      );
    });

    it('answers an unknown user with UserNotFoundException when existence errors are not prevented', async () => {
      await assert.rejects(userAuth(pool, { USERNAME: 'nobody' }), errorName('UserNotFoundException'));
      await assert.rejects(userAuth(pool, { USERNAME: 'nobody', PREFERRED_CHALLENGE: 'EMAIL_OTP' }), errorName('UserNotFoundException'));
    });

    it('answers an unknown user like a real one when existence errors are prevented, and fails later', async () => {
      const hidden = await createPool(cognate, ALL_FACTORS, { ...USER_AUTH_CLIENT, PreventUserExistenceErrors: 'ENABLED' });
      await newUser(cognate, hidden, 'rita');
      await verifyPhone(hidden, 'rita', '+15550100199');
      const real = await userAuth(hidden, { USERNAME: 'rita' });
      const ghost = await userAuth(hidden, { USERNAME: 'ghost' });
      assert.equal(ghost.ChallengeName, 'SELECT_CHALLENGE');
      assert.deepEqual(ghost.AvailableChallenges, real.AvailableChallenges);
      assert.deepEqual(Object.keys(ghost.ChallengeParameters!), Object.keys(real.ChallengeParameters!));

      const sentBefore = cognate.inbox.messages.length;
      const code = await respond(cognate, hidden, 'SELECT_CHALLENGE', ghost.Session, { USERNAME: 'ghost', ANSWER: 'EMAIL_OTP' });
      const codeSession = assertChallenge(code, 'EMAIL_OTP');
      assert.equal(code.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM, 'EMAIL');
      assert.equal(code.ChallengeParameters?.CODE_DELIVERY_DESTINATION, 'g***@e***');
      assert.equal(cognate.inbox.messages.length, sentBefore, 'nothing is sent for an unknown name');
      // Every code is wrong, exactly as a real user's wrong code, until the session closes.
      for (let i = 0; i < 5; i++) {
        await assert.rejects(respond(cognate, hidden, 'EMAIL_OTP', codeSession, { USERNAME: 'ghost', EMAIL_OTP_CODE: '123456' }), errorName('CodeMismatchException'));
      }
      await assert.rejects(respond(cognate, hidden, 'EMAIL_OTP', codeSession, { USERNAME: 'ghost', EMAIL_OTP_CODE: '123456' }), errorName('NotAuthorizedException'));

      const sms = assertChallenge(await userAuth(hidden, { USERNAME: 'ghost', PREFERRED_CHALLENGE: 'SMS_OTP' }), 'SMS_OTP');
      await assert.rejects(respond(cognate, hidden, 'SMS_OTP', sms, { USERNAME: 'ghost', SMS_OTP_CODE: '123456' }), errorName('CodeMismatchException'));

      const select = assertChallenge(await userAuth(hidden, { USERNAME: 'ghost' }), 'SELECT_CHALLENGE');
      await assert.rejects(
        respond(cognate, hidden, 'SELECT_CHALLENGE', select, { USERNAME: 'ghost', ANSWER: 'PASSWORD', PASSWORD }),
        (e: Error) => e.name === 'NotAuthorizedException' && e.message === 'Incorrect username or password.',
      );
      await assert.rejects(
        userAuth(hidden, { USERNAME: 'ghost', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD }),
        (e: Error) => e.name === 'NotAuthorizedException' && e.message === 'Incorrect username or password.',
      );
      const srp = await userAuth(hidden, { USERNAME: 'ghost', PREFERRED_CHALLENGE: 'PASSWORD_SRP', SRP_A: new SrpClient(hidden.poolId).srpA });
      assert.equal(srp.ChallengeName, 'PASSWORD_VERIFIER');
    });
  });

  describe('pool sign-in policy', () => {
    it('validates AllowedFirstAuthFactors in CreateUserPool and UpdateUserPool, and returns it', async () => {
      for (const factors of [['PASSWORD', 'FACE_ID'], [], ['EMAIL_OTP', 'EMAIL_OTP']]) {
        await assert.rejects(
          cognate.admin.send(new CreateUserPoolCommand({ PoolName: 'bad', Policies: { SignInPolicy: { AllowedFirstAuthFactors: factors as never } } })),
          errorName('InvalidParameterException'),
        );
      }
      const pool = await createPool(cognate, ALL_FACTORS, USER_AUTH_CLIENT);
      await newUser(cognate, pool, 'wendy');
      const described = await cognate.admin.send(new DescribeUserPoolCommand({ UserPoolId: pool.poolId }));
      assert.deepEqual(described.UserPool?.Policies?.SignInPolicy?.AllowedFirstAuthFactors, ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP']);
      await assert.rejects(
        cognate.admin.send(new UpdateUserPoolCommand({ UserPoolId: pool.poolId, Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['SOFTWARE_TOKEN' as never] } } })),
        errorName('InvalidParameterException'),
      );
      await cognate.admin.send(new UpdateUserPoolCommand({ UserPoolId: pool.poolId, Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } }));
      const updated = await cognate.admin.send(new DescribeUserPoolCommand({ UserPoolId: pool.poolId }));
      assert.deepEqual(updated.UserPool?.Policies?.SignInPolicy?.AllowedFirstAuthFactors, ['PASSWORD', 'WEB_AUTHN']);
      // WEB_AUTHN is accepted in the policy but not offered yet.
      assert.deepEqual((await userAuth(pool, { USERNAME: 'wendy', PREFERRED_CHALLENGE: 'WEB_AUTHN' })).AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP']);
    });
  });
});
