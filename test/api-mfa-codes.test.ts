import {
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserSettingsCommand,
  GetUserCommand,
  SetUserMFAPreferenceCommand,
  SetUserSettingsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCognate, type TestCognate } from './support/cognate.js';
import {
  accessTokenOf, assertChallenge, EMAIL_ON, enrollTotp, mfaPool, newUser, nextCode, respond, SMS_ON, startSignIn, TOTP_ON,
} from './support/mfa.js';
import { errorName } from './support/users.js';

describe('MFA codes by SMS and email, and choosing among factors', () => {
  let cognate: TestCognate;
  before(async () => {
    cognate = await startCognate();
  });
  after(() => cognate.close());

  describe('SMS and email codes', () => {
    it('sends SMS_MFA codes through the webhook with the pool template, and marks the phone verified', async () => {
      const pool = await mfaPool(cognate, { MfaConfiguration: 'OPTIONAL', ...SMS_ON });
      await newUser(cognate, pool, 'sam', '+15550100002');
      await cognate.admin.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: pool.poolId, Username: 'sam', SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
      const started = await startSignIn(cognate, pool, 'sam');
      const session = assertChallenge(started, 'SMS_MFA');
      assert.equal(started.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM, 'SMS');
      assert.equal(started.ChallengeParameters?.CODE_DELIVERY_DESTINATION, '+*******0002');
      const message = cognate.inbox.last('+15550100002');
      assert.equal(message.triggerSource, 'CustomMessage_Authentication');
      assert.equal(message.channel, 'sms');
      assert.equal(message.body, `Your sign-in code is ${message.code}`);
      const wrong = message.code === '000000' ? '111111' : '000000';
      await assert.rejects(respond(cognate, pool, 'SMS_MFA', session, { USERNAME: 'sam', SMS_MFA_CODE: wrong }), errorName('CodeMismatchException'));
      const done = await respond(cognate, pool, 'SMS_MFA', session, { USERNAME: 'sam', SMS_MFA_CODE: message.code });
      assert.ok(done.AuthenticationResult);
      const admin = await cognate.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'sam' }));
      assert.equal(admin.UserAttributes?.find((a) => a.Name === 'phone_number_verified')?.Value, 'true');
      assert.deepEqual(admin.MFAOptions, [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }]);

      // The code is used up with the sign-in.
      const next = assertChallenge(await startSignIn(cognate, pool, 'sam'), 'SMS_MFA');
      await assert.rejects(respond(cognate, pool, 'SMS_MFA', next, { USERNAME: 'sam', SMS_MFA_CODE: message.code }), errorName('CodeMismatchException'));
    });

    it('turns SMS MFA on and off with the legacy SetUserSettings and AdminSetUserSettings', async () => {
      const pool = await mfaPool(cognate, { MfaConfiguration: 'OPTIONAL', ...SMS_ON });
      await newUser(cognate, pool, 'leah', '+15550100003');
      await newUser(cognate, pool, 'nophone');
      await cognate.admin.send(new AdminSetUserSettingsCommand({ UserPoolId: pool.poolId, Username: 'leah', MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] }));
      assert.deepEqual((await cognate.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'leah' }))).UserMFASettingList, ['SMS_MFA']);
      const session = assertChallenge(await startSignIn(cognate, pool, 'leah'), 'SMS_MFA');
      const done = await respond(cognate, pool, 'SMS_MFA', session, { USERNAME: 'leah', SMS_MFA_CODE: cognate.inbox.last('+15550100003').code });
      await cognate.app.send(new SetUserSettingsCommand({ AccessToken: done.AuthenticationResult!.AccessToken, MFAOptions: [] }));
      assert.ok((await startSignIn(cognate, pool, 'leah')).AuthenticationResult, 'SMS MFA is off again');
      await assert.rejects(
        cognate.admin.send(new AdminSetUserSettingsCommand({ UserPoolId: pool.poolId, Username: 'nophone', MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] })),
        (e: Error) => e.name === 'InvalidParameterException' && e.message === 'User does not have delivery config set to turn on SMS_MFA',
      );
    });

    it('sends EMAIL_OTP codes with the EmailMfaConfiguration template, only in pools that enable email MFA', async () => {
      const pool = await mfaPool(cognate, { MfaConfiguration: 'OPTIONAL', ...EMAIL_ON });
      await newUser(cognate, pool, 'emma');
      const access = await accessTokenOf(cognate, pool, 'emma');
      await cognate.app.send(new SetUserMFAPreferenceCommand({ AccessToken: access, EmailMfaSettings: { Enabled: true } }));
      const started = await startSignIn(cognate, pool, 'emma');
      const session = assertChallenge(started, 'EMAIL_OTP');
      assert.deepEqual(
        { medium: started.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM, to: started.ChallengeParameters?.CODE_DELIVERY_DESTINATION },
        { medium: 'EMAIL', to: 'e***@e***' },
      );
      const message = cognate.inbox.last('emma@example.com');
      assert.equal(message.triggerSource, 'CustomMessage_Authentication');
      assert.equal(message.subject, 'Sign-in code');
      assert.equal(message.body, `Use ${message.code} to sign in`);
      const done = await respond(cognate, pool, 'EMAIL_OTP', session, { USERNAME: 'emma', EMAIL_OTP_CODE: message.code });
      assert.ok(done.AuthenticationResult);

      const noEmailMfa = await mfaPool(cognate, { MfaConfiguration: 'OPTIONAL', ...TOTP_ON });
      await newUser(cognate, noEmailMfa, 'ella');
      await assert.rejects(
        cognate.app.send(new SetUserMFAPreferenceCommand({ AccessToken: await accessTokenOf(cognate, noEmailMfa, 'ella'), EmailMfaSettings: { Enabled: true } })),
        errorName('InvalidParameterException'),
      );
    });
  });

  describe('several factors', () => {
    it('asks SELECT_MFA_TYPE when several are on and none preferred, then the chosen challenge', async () => {
      const pool = await mfaPool(cognate, { MfaConfiguration: 'OPTIONAL', ...SMS_ON, ...TOTP_ON });
      await newUser(cognate, pool, 'sel', '+15550100004');
      const access = await accessTokenOf(cognate, pool, 'sel');
      const secret = await enrollTotp(cognate, access, { preferred: false });
      await cognate.app.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SMSMfaSettings: { Enabled: true } }));
      assert.equal((await cognate.app.send(new GetUserCommand({ AccessToken: access }))).PreferredMfaSetting, undefined);

      const started = await startSignIn(cognate, pool, 'sel');
      const select = assertChallenge(started, 'SELECT_MFA_TYPE');
      assert.equal(started.ChallengeParameters?.MFAS_CAN_CHOOSE, '["SMS_MFA","SOFTWARE_TOKEN_MFA"]');
      await assert.rejects(respond(cognate, pool, 'SELECT_MFA_TYPE', select, { USERNAME: 'sel', ANSWER: 'EMAIL_OTP' }), errorName('InvalidParameterException'));
      const chosen = await respond(cognate, pool, 'SELECT_MFA_TYPE', select, { USERNAME: 'sel', ANSWER: 'SOFTWARE_TOKEN_MFA' });
      const session = assertChallenge(chosen, 'SOFTWARE_TOKEN_MFA');
      assert.notEqual(session, select);
      await assert.rejects(respond(cognate, pool, 'SELECT_MFA_TYPE', select, { USERNAME: 'sel', ANSWER: 'SMS_MFA' }), errorName('NotAuthorizedException'));
      const done = await respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', session, { USERNAME: 'sel', SOFTWARE_TOKEN_MFA_CODE: nextCode(cognate, secret) });
      assert.ok(done.AuthenticationResult);

      // Preferring SMS skips the choice; preferring needs the factor on.
      await cognate.app.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
      assertChallenge(await startSignIn(cognate, pool, 'sel'), 'SMS_MFA');
      await assert.rejects(
        cognate.app.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: true } })),
        errorName('InvalidParameterException'),
      );
      await cognate.app.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SMSMfaSettings: { Enabled: false } }));
      const me = await cognate.app.send(new GetUserCommand({ AccessToken: access }));
      assert.deepEqual({ preferred: me.PreferredMfaSetting, list: me.UserMFASettingList }, { preferred: undefined, list: ['SOFTWARE_TOKEN_MFA'] });
    });
  });
});
