import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AssociateSoftwareTokenCommand,
  DescribeUserPoolCommand,
  GetUserAuthFactorsCommand,
  GetUserCommand,
  GetUserPoolMfaConfigCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  UpdateUserPoolCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { advance, startCognate, type TestCognate } from './support/cognate.js';
import { extensionCall } from './support/extension-call.js';
import {
  accessTokenOf, assertChallenge, codeNow, EMAIL_ON, enrollTotp, mfaPool, newUser, nextCode, respond, SMS_ON, startSignIn, TOTP_ON,
} from './support/mfa.js';
import { createPool, PASSWORD, type TestPool } from './support/pools.js';
import { errorName } from './support/users.js';

describe('MFA over the Cognito API', () => {
  let cognate: TestCognate;
  before(async () => {
    cognate = await startCognate();
  });
  after(() => cognate.close());

  describe('SetUserPoolMfaConfig / GetUserPoolMfaConfig', () => {
    it('starts OFF, sets factors with their templates, and reads them back', async () => {
      const pool = await createPool(cognate);
      const initial = await cognate.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId }));
      assert.equal(initial.MfaConfiguration, 'OFF');
      assert.deepEqual(initial.SoftwareTokenMfaConfiguration, { Enabled: false });
      assert.equal(initial.SmsMfaConfiguration, undefined);
      assert.equal(initial.EmailMfaConfiguration, undefined);

      const set = await cognate.admin.send(
        new SetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId, MfaConfiguration: 'OPTIONAL', ...TOTP_ON, ...SMS_ON, ...EMAIL_ON }),
      );
      const got = await cognate.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId }));
      for (const answer of [set, got]) {
        assert.equal(answer.MfaConfiguration, 'OPTIONAL');
        assert.deepEqual(answer.SoftwareTokenMfaConfiguration, { Enabled: true });
        assert.deepEqual(answer.SmsMfaConfiguration, { SmsAuthenticationMessage: 'Your sign-in code is {####}' });
        assert.deepEqual(answer.EmailMfaConfiguration, { Subject: 'Sign-in code', Message: 'Use {####} to sign in' });
      }

      // Factors left out are turned off; MfaConfiguration left out stays.
      await cognate.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId, ...TOTP_ON }));
      const narrowed = await cognate.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId }));
      assert.equal(narrowed.MfaConfiguration, 'OPTIONAL');
      assert.equal(narrowed.SmsMfaConfiguration, undefined);
      assert.equal(narrowed.EmailMfaConfiguration, undefined);
    });

    it('reads MFA set by CreateUserPool as SMS MFA, the only factor CreateUserPool can configure', async () => {
      const pool = await createPool(cognate, { MfaConfiguration: 'OPTIONAL', SmsAuthenticationMessage: 'Code {####}' });
      const got = await cognate.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId }));
      assert.equal(got.MfaConfiguration, 'OPTIONAL');
      assert.deepEqual(got.SmsMfaConfiguration, { SmsAuthenticationMessage: 'Code {####}' });
      assert.deepEqual(got.SoftwareTokenMfaConfiguration, { Enabled: false });
    });

    it('refuses ON or OPTIONAL without a factor, templates without {####}, email MFA on the Lite plan, and unsigned calls', async () => {
      const pool = await createPool(cognate);
      for (const mode of ['ON', 'OPTIONAL'] as const) {
        await assert.rejects(
          cognate.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId, MfaConfiguration: mode, SoftwareTokenMfaConfiguration: { Enabled: false } })),
          { name: 'InvalidParameterException', message: "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration." },
        );
      }
      await assert.rejects(
        cognate.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId, SmsMfaConfiguration: { SmsAuthenticationMessage: 'no placeholder' } })),
        errorName('InvalidParameterException'),
      );
      await assert.rejects(
        cognate.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId, EmailMfaConfiguration: { Message: 'none here' } })),
        errorName('InvalidParameterException'),
      );
      const lite = await createPool(cognate, { UserPoolTier: 'LITE' });
      await assert.rejects(
        cognate.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: lite.poolId, ...EMAIL_ON })),
        errorName('FeatureUnavailableInTierException'),
      );
      await assert.rejects(cognate.app.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId, MfaConfiguration: 'ON', ...TOTP_ON })));
      await assert.rejects(cognate.app.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId })));
      const unchanged = await cognate.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId }));
      assert.equal(unchanged.MfaConfiguration, 'OFF');
    });
  });

  describe('MFA in UpdateUserPool and DescribeUserPool', () => {
    it('UpdateUserPool refuses to turn MFA on when no factor is enabled, and changes nothing', async () => {
      const pool = await createPool(cognate);
      await cognate.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId, MfaConfiguration: 'OFF' }));
      for (const mode of ['ON', 'OPTIONAL'] as const) {
        await assert.rejects(
          cognate.admin.send(new UpdateUserPoolCommand({ UserPoolId: pool.poolId, MfaConfiguration: mode, AutoVerifiedAttributes: ['phone_number'] })),
          { name: 'InvalidParameterException', message: 'SMS configuration and Auto verification for phone_number are required when MFA is required/optional' },
        );
      }
      const unchanged = (await cognate.admin.send(new DescribeUserPoolCommand({ UserPoolId: pool.poolId }))).UserPool!;
      assert.equal(unchanged.MfaConfiguration, 'OFF');
      assert.deepEqual(unchanged.AutoVerifiedAttributes, ['email'], 'nothing else changed either');

      await cognate.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId, MfaConfiguration: 'OPTIONAL', ...TOTP_ON }));
      await cognate.admin.send(new UpdateUserPoolCommand({ UserPoolId: pool.poolId, MfaConfiguration: 'ON' }));
      const on = await cognate.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId }));
      assert.equal(on.MfaConfiguration, 'ON');
      assert.deepEqual(on.SoftwareTokenMfaConfiguration, { Enabled: true }, 'with the factor SetUserPoolMfaConfig enabled');
    });

    it('DescribeUserPool shows only UserPoolType fields: the factors stay with GetUserPoolMfaConfig', async () => {
      const pool = await createPool(cognate);
      await cognate.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId, MfaConfiguration: 'OPTIONAL', ...TOTP_ON, ...SMS_ON, ...EMAIL_ON }));
      const { status, json } = await extensionCall<{ UserPool: Record<string, unknown> }>(
        cognate, 'DescribeUserPool', { UserPoolId: pool.poolId }, 'AWSCognitoIdentityProviderService.',
      );
      assert.equal(status, 200);
      assert.equal(json.UserPool.MfaConfiguration, 'OPTIONAL');
      assert.equal(json.UserPool.SmsAuthenticationMessage, 'Your sign-in code is {####}');
      assert.equal('EnabledMfas' in json.UserPool, false);
      assert.equal('EmailMfaConfiguration' in json.UserPool, false);
      const mfa = await cognate.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId }));
      assert.deepEqual(mfa.EmailMfaConfiguration, { Subject: 'Sign-in code', Message: 'Use {####} to sign in' });
    });
  });

  describe('software tokens (TOTP)', () => {
    let pool: TestPool;
    before(async () => {
      pool = await mfaPool(cognate, { MfaConfiguration: 'OPTIONAL', ...TOTP_ON });
    });

    it('associates and verifies a token with an access token, reports it, and then asks for it at sign-in', async () => {
      await newUser(cognate, pool, 'tina');
      const access = await accessTokenOf(cognate, pool, 'tina');
      const { SecretCode, Session } = await cognate.app.send(new AssociateSoftwareTokenCommand({ AccessToken: access }));
      assert.match(SecretCode!, /^[A-Z2-7]{32}$/, '160-bit base32 secret');
      assert.equal(Session, undefined);
      await assert.rejects(
        cognate.app.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true } })),
        (e: Error) => e.name === 'InvalidParameterException' && e.message === 'User has not verified software token mfa',
      );
      const wrong = String((Number(codeNow(cognate, SecretCode!)) + 1) % 1_000_000).padStart(6, '0');
      await assert.rejects(
        cognate.app.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: wrong })),
        errorName('EnableSoftwareTokenMFAException'),
      );
      const verified = await cognate.app.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: codeNow(cognate, SecretCode!), FriendlyDeviceName: 'pixel' }));
      assert.deepEqual({ Status: verified.Status, Session: verified.Session }, { Status: 'SUCCESS', Session: undefined });

      // Verified but not turned on: an OPTIONAL pool still signs in with the password alone.
      assert.ok((await startSignIn(cognate, pool, 'tina')).AuthenticationResult);
      await cognate.app.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
      const me = await cognate.app.send(new GetUserCommand({ AccessToken: access }));
      assert.equal(me.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
      assert.deepEqual(me.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
      const admin = await cognate.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'tina' }));
      assert.equal(admin.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
      assert.deepEqual(admin.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
      const factors = await cognate.app.send(new GetUserAuthFactorsCommand({ AccessToken: access }));
      assert.equal(factors.Username, 'tina');
      assert.equal(factors.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
      assert.deepEqual(factors.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
      assert.deepEqual(factors.ConfiguredUserAuthFactors, ['PASSWORD']);

      const started = await startSignIn(cognate, pool, 'tina');
      const session = assertChallenge(started, 'SOFTWARE_TOKEN_MFA');
      assert.equal(started.ChallengeParameters?.FRIENDLY_DEVICE_NAME, 'pixel');
      const code = nextCode(cognate, SecretCode!);
      const done = await respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', session, { USERNAME: 'tina', SOFTWARE_TOKEN_MFA_CODE: code });
      assert.ok(done.AuthenticationResult?.AccessToken && done.AuthenticationResult.IdToken && done.AuthenticationResult.RefreshToken);
      assert.equal(decodeJwt(done.AuthenticationResult.IdToken)['cognito:username'], 'tina');
    });

    it('omits the MFA fields of GetUser and AdminGetUser for a user without MFA', async () => {
      await newUser(cognate, pool, 'plain');
      const me = await cognate.app.send(new GetUserCommand({ AccessToken: await accessTokenOf(cognate, pool, 'plain') }));
      const admin = await cognate.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'plain' }));
      for (const answer of [me, admin]) {
        assert.equal(answer.PreferredMfaSetting, undefined);
        assert.equal(answer.UserMFASettingList, undefined);
        assert.equal(answer.MFAOptions, undefined);
      }
    });

    it('refuses a replayed code, in the same step and in a later sign-in', async () => {
      await newUser(cognate, pool, 'rita');
      const secret = await enrollTotp(cognate, await accessTokenOf(cognate, pool, 'rita'));
      const code = nextCode(cognate, secret);
      const first = assertChallenge(await startSignIn(cognate, pool, 'rita'), 'SOFTWARE_TOKEN_MFA');
      assert.ok((await respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', first, { USERNAME: 'rita', SOFTWARE_TOKEN_MFA_CODE: code })).AuthenticationResult);
      const second = assertChallenge(await startSignIn(cognate, pool, 'rita'), 'SOFTWARE_TOKEN_MFA');
      await assert.rejects(
        respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', second, { USERNAME: 'rita', SOFTWARE_TOKEN_MFA_CODE: code }),
        (e: Error) => e.name === 'CodeMismatchException' && e.message === 'Invalid code received for user',
      );
      // An older code is refused too, although it is still inside the ±1 step window.
      await assert.rejects(
        respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', second, { USERNAME: 'rita', SOFTWARE_TOKEN_MFA_CODE: codeNow(cognate, secret, -1) }),
        errorName('CodeMismatchException'),
      );
      // The challenge stayed open through the wrong codes: the next step's code completes it.
      const later = await respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', second, { USERNAME: 'rita', SOFTWARE_TOKEN_MFA_CODE: codeNow(cognate, secret, 1) });
      assert.ok(later.AuthenticationResult);
    });

    it('takes five wrong codes in one session, then closes it; an expired session is refused', async () => {
      await newUser(cognate, pool, 'walt');
      const secret = await enrollTotp(cognate, await accessTokenOf(cognate, pool, 'walt'));
      advance(cognate, 30_000);
      const session = assertChallenge(await startSignIn(cognate, pool, 'walt'), 'SOFTWARE_TOKEN_MFA');
      for (let i = 0; i < 5; i++) {
        await assert.rejects(respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', session, { USERNAME: 'walt', SOFTWARE_TOKEN_MFA_CODE: '000000' }), errorName('CodeMismatchException'));
      }
      await assert.rejects(
        respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', session, { USERNAME: 'walt', SOFTWARE_TOKEN_MFA_CODE: codeNow(cognate, secret) }),
        errorName('NotAuthorizedException'),
      );
      advance(cognate, 30_000);
      const expiring = assertChallenge(await startSignIn(cognate, pool, 'walt'), 'SOFTWARE_TOKEN_MFA');
      advance(cognate, 3 * 60_000 + 1000);
      await assert.rejects(
        respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', expiring, { USERNAME: 'walt', SOFTWARE_TOKEN_MFA_CODE: codeNow(cognate, secret) }),
        (e: Error) => e.name === 'NotAuthorizedException' && /expired/.test(e.message),
      );
      advance(cognate, 30_000);
      const fresh = assertChallenge(await startSignIn(cognate, pool, 'walt'), 'SOFTWARE_TOKEN_MFA');
      assert.ok((await respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', fresh, { USERNAME: 'walt', SOFTWARE_TOKEN_MFA_CODE: codeNow(cognate, secret) })).AuthenticationResult);
    });

    it('works through AdminInitiateAuth and AdminRespondToAuthChallenge', async () => {
      await newUser(cognate, pool, 'adam');
      const secret = await enrollTotp(cognate, await accessTokenOf(cognate, pool, 'adam'));
      const code = nextCode(cognate, secret);
      const started = await cognate.admin.send(
        new AdminInitiateAuthCommand({ UserPoolId: pool.poolId, ClientId: pool.clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'adam', PASSWORD } }),
      );
      const session = assertChallenge(started, 'SOFTWARE_TOKEN_MFA');
      const done = await cognate.admin.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: pool.poolId, ClientId: pool.clientId, ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: session, ChallengeResponses: { USERNAME: 'adam', SOFTWARE_TOKEN_MFA_CODE: code },
        }),
      );
      assert.ok(done.AuthenticationResult?.AccessToken);
    });
  });

  describe('MFA required (ON)', () => {
    it('sends a fresh user through MFA_SETUP: associate and verify with the Session, then tokens', async () => {
      const pool = await mfaPool(cognate, { MfaConfiguration: 'ON', ...TOTP_ON });
      await newUser(cognate, pool, 'nora');
      const started = await startSignIn(cognate, pool, 'nora');
      const setup = assertChallenge(started, 'MFA_SETUP');
      assert.equal(started.ChallengeParameters?.MFAS_CAN_SETUP, '["SOFTWARE_TOKEN_MFA"]');

      // Answering before the token is verified yields nothing, and keeps the challenge open.
      await assert.rejects(respond(cognate, pool, 'MFA_SETUP', setup, { USERNAME: 'nora' }), errorName('InvalidParameterException'));
      const associated = await cognate.app.send(new AssociateSoftwareTokenCommand({ Session: setup }));
      assert.match(associated.SecretCode!, /^[A-Z2-7]{32}$/);
      assert.ok(associated.Session && associated.Session !== setup);
      await assert.rejects(cognate.app.send(new AssociateSoftwareTokenCommand({ Session: setup })), errorName('NotAuthorizedException'), 'a Session works once');

      await assert.rejects(
        cognate.app.send(new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: '123456' === codeNow(cognate, associated.SecretCode!) ? '654321' : '123456' })),
        errorName('EnableSoftwareTokenMFAException'),
      );
      const verified = await cognate.app.send(
        new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: codeNow(cognate, associated.SecretCode!), FriendlyDeviceName: 'nora-phone' }),
      );
      assert.equal(verified.Status, 'SUCCESS');
      assert.ok(verified.Session);
      await assert.rejects(
        cognate.app.send(new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: codeNow(cognate, associated.SecretCode!, 1) })),
        errorName('NotAuthorizedException'),
      );

      const done = await respond(cognate, pool, 'MFA_SETUP', verified.Session, { USERNAME: 'nora' });
      assert.ok(done.AuthenticationResult?.AccessToken);
      const me = await cognate.app.send(new GetUserCommand({ AccessToken: done.AuthenticationResult.AccessToken }));
      assert.deepEqual(me.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);

      const again = await startSignIn(cognate, pool, 'nora');
      const session = assertChallenge(again, 'SOFTWARE_TOKEN_MFA');
      const code = nextCode(cognate, associated.SecretCode!);
      assert.ok((await respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', session, { USERNAME: 'nora', SOFTWARE_TOKEN_MFA_CODE: code })).AuthenticationResult);
    });

    it('uses the phone of a user with no factor turned on when the pool has SMS MFA', async () => {
      const pool = await mfaPool(cognate, { MfaConfiguration: 'ON', ...SMS_ON, ...TOTP_ON });
      await newUser(cognate, pool, 'phil', '+15550100001');
      const started = await startSignIn(cognate, pool, 'phil');
      const session = assertChallenge(started, 'SMS_MFA');
      const { code } = cognate.inbox.last('+15550100001');
      const done = await respond(cognate, pool, 'SMS_MFA', session, { USERNAME: 'phil', SMS_MFA_CODE: code });
      assert.ok(done.AuthenticationResult);
    });
  });
});
