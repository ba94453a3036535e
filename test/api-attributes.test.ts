import {
  AdminDeleteUserAttributesCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  DeleteUserAttributesCommand,
  DeleteUserCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCognate, type TestCognate } from './support/cognate.js';
import { createPool, PASSWORD, type TestPool } from './support/pools.js';
import { errorName, signIn, signUpConfirmed } from './support/users.js';

const value = (attributes: AttributeType[] | undefined, name: string) => attributes?.find((a) => a.Name === name)?.Value;

describe('user attributes', () => {
  let cognate: TestCognate;
  let pool: TestPool;
  before(async () => {
    cognate = await startCognate();
    pool = await createPool(cognate, {
      AliasAttributes: ['email'],
      Schema: [
        { Name: 'tenant', AttributeDataType: 'String', Mutable: false },
        { Name: 'given_name', Required: true, AttributeDataType: 'String', Mutable: true },
      ],
    });
  });
  after(() => cognate.close());

  async function member(username: string, extra: AttributeType[] = []) {
    const email = `${username}@example.com`;
    await cognate.app.send(
      new SignUpCommand({
        ClientId: pool.clientId, Username: username, Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: email }, { Name: 'given_name', Value: username }, ...extra],
      }),
    );
    const { ConfirmSignUpCommand } = await import('@aws-sdk/client-cognito-identity-provider');
    await cognate.app.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: username, ConfirmationCode: cognate.inbox.last(email).code }));
    return (await signIn(cognate, pool, username)).AccessToken!;
  }

  const me = async (token: string) => (await cognate.app.send(new GetUserCommand({ AccessToken: token }))).UserAttributes;

  it('a changed email is unverified until the emailed code is given back', async () => {
    const token = await member('amy');
    const { CodeDeliveryDetailsList } = await cognate.app.send(
      new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: [{ Name: 'email', Value: 'amy.new@example.com' }, { Name: 'given_name', Value: 'Amy' }] }),
    );
    assert.equal(CodeDeliveryDetailsList?.[0]?.AttributeName, 'email');
    const attributes = await me(token);
    assert.equal(value(attributes, 'email'), 'amy.new@example.com');
    assert.equal(value(attributes, 'email_verified'), 'false');
    assert.equal(value(attributes, 'given_name'), 'Amy');
    const message = cognate.inbox.last('amy.new@example.com');
    assert.equal(message.triggerSource, 'CustomMessage_UpdateUserAttribute');
    const wrong = message.code === '000000' ? '111111' : '000000';
    await assert.rejects(cognate.app.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: wrong })), errorName('CodeMismatchException'));
    await cognate.app.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: message.code }));
    assert.equal(value(await me(token), 'email_verified'), 'true');
    assert.ok(await signIn(cognate, pool, 'amy.new@example.com'), 'a verified email alias signs in');
  });

  it('GetUserAttributeVerificationCode sends a fresh code', async () => {
    const token = await member('bea');
    const { CodeDeliveryDetails } = await cognate.app.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'email' }));
    assert.equal(CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
    assert.equal(cognate.inbox.last('bea@example.com').triggerSource, 'CustomMessage_VerifyUserAttribute');
    await assert.rejects(cognate.app.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'given_name' })), errorName('InvalidParameterException'));
  });

  it('users cannot set their own verified flags, immutable attributes or unknown ones', async () => {
    const token = await member('cara', [{ Name: 'custom:tenant', Value: 'acme' }]);
    await assert.rejects(cognate.app.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: [{ Name: 'email_verified', Value: 'true' }] })), errorName('NotAuthorizedException'));
    await assert.rejects(cognate.app.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: [{ Name: 'custom:tenant', Value: 'evil' }] })), errorName('InvalidParameterException'));
    await assert.rejects(cognate.app.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: [{ Name: 'shoe_size', Value: '9' }] })), errorName('InvalidParameterException'));
    assert.equal(value(await me(token), 'custom:tenant'), 'acme');
  });

  it("a client's WriteAttributes and ReadAttributes are enforced", async () => {
    const limited = await createPool(cognate, {}, { WriteAttributes: ['name', 'email'], ReadAttributes: ['email', 'email_verified'] });
    await signUpConfirmed(cognate, limited, 'dora');
    const tokens = await signIn(cognate, limited, 'dora');
    await assert.rejects(
      cognate.app.send(new UpdateUserAttributesCommand({ AccessToken: tokens.AccessToken, UserAttributes: [{ Name: 'nickname', Value: 'dd' }] })),
      errorName('NotAuthorizedException'),
    );
    await cognate.app.send(new UpdateUserAttributesCommand({ AccessToken: tokens.AccessToken, UserAttributes: [{ Name: 'name', Value: 'Dora' }] }));
    const read = await cognate.app.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
    assert.deepEqual(read.UserAttributes?.map((a) => a.Name).sort(), ['email', 'email_verified', 'sub']);
    const fresh = await signIn(cognate, limited, 'dora');
    assert.equal(decodeJwt(fresh.IdToken!).name, undefined, 'unreadable attributes stay out of the ID token');
  });

  it('a verified email alias belongs to one user: AliasExistsException', async () => {
    await member('eve');
    const token = await member('fay');
    await cognate.app.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: [{ Name: 'email', Value: 'eve@example.com' }] }));
    const { code } = cognate.inbox.last('eve@example.com');
    await assert.rejects(cognate.app.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: code })), errorName('AliasExistsException'));
    await assert.rejects(
      cognate.admin.send(new AdminUpdateUserAttributesCommand({ UserPoolId: pool.poolId, Username: 'fay', UserAttributes: [{ Name: 'email', Value: 'eve@example.com' }, { Name: 'email_verified', Value: 'true' }] })),
      errorName('AliasExistsException'),
    );
  });

  it('admins may set verified flags; no code is sent then', async () => {
    await member('gwen');
    const before = cognate.inbox.messages.length;
    await cognate.admin.send(new AdminUpdateUserAttributesCommand({ UserPoolId: pool.poolId, Username: 'gwen', UserAttributes: [{ Name: 'email', Value: 'gwen2@example.com' }, { Name: 'email_verified', Value: 'true' }] }));
    assert.equal(cognate.inbox.messages.length, before);
    const user = await cognate.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'gwen' }));
    assert.equal(value(user.UserAttributes, 'email'), 'gwen2@example.com');
    assert.equal(value(user.UserAttributes, 'email_verified'), 'true');
  });

  it('deletes optional attributes but not required ones', async () => {
    const token = await member('hana', [{ Name: 'nickname', Value: 'hh' }, { Name: 'locale', Value: 'de' }]);
    await cognate.app.send(new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ['nickname'] }));
    assert.equal(value(await me(token), 'nickname'), undefined);
    await assert.rejects(cognate.app.send(new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ['given_name'] })), errorName('InvalidParameterException'));
    await cognate.admin.send(new AdminDeleteUserAttributesCommand({ UserPoolId: pool.poolId, Username: 'hana', UserAttributeNames: ['locale'] }));
    assert.equal(value(await me(token), 'locale'), undefined);
  });

  it('DeleteUser removes the account and its sessions', async () => {
    const token = await member('iris');
    await cognate.app.send(new DeleteUserCommand({ AccessToken: token }));
    await assert.rejects(cognate.app.send(new GetUserCommand({ AccessToken: token })), errorName('NotAuthorizedException'));
    await assert.rejects(cognate.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'iris' })), errorName('UserNotFoundException'));
  });

  it('with AttributesRequireVerificationBeforeUpdate the old email stays until the new one is verified', async () => {
    const held = await createPool(cognate, { UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } });
    await signUpConfirmed(cognate, held, 'kira', 'kira@example.com');
    const { AccessToken } = await signIn(cognate, held, 'kira');
    await cognate.app.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'email', Value: 'kira.new@example.com' }] }));
    let attributes = await me(AccessToken!);
    assert.equal(value(attributes, 'email'), 'kira@example.com', 'the old address is still in force');
    assert.equal(value(attributes, 'email_verified'), 'true');
    const { code } = cognate.inbox.last('kira.new@example.com');
    await cognate.app.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: code }));
    attributes = await me(AccessToken!);
    assert.equal(value(attributes, 'email'), 'kira.new@example.com');
    assert.equal(value(attributes, 'email_verified'), 'true');
  });

  it('PasswordHistorySize refuses the last n passwords', async () => {
    const strict = await createPool(cognate, { Policies: { PasswordPolicy: { MinimumLength: 8, PasswordHistorySize: 3 } } });
    await signUpConfirmed(cognate, strict, 'lena');
    const change = async (from: string, to: string) => {
      const { AccessToken } = await signIn(cognate, strict, 'lena', from);
      await cognate.app.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: from, ProposedPassword: to }));
    };
    const [a, b, c, d] = [PASSWORD, 'Second-Pass-2', 'Third-Pass-3', 'Fourth-Pass-4'];
    await change(a, b);
    await assert.rejects(change(b, a), errorName('PasswordHistoryPolicyViolationException'));
    await assert.rejects(change(b, b), errorName('PasswordHistoryPolicyViolationException'));
    await change(b, c);
    await assert.rejects(change(c, a), errorName('PasswordHistoryPolicyViolationException'));
    await change(c, d);
    await change(d, a);
    assert.ok((await signIn(cognate, strict, 'lena', a)).AccessToken, 'a password older than the last three may return');
  });

  it('AdminResetUserPassword forces a reset by code and ends existing sessions', async () => {
    await member('june');
    const before = await signIn(cognate, pool, 'june');
    await cognate.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: pool.poolId, Username: 'june' }));
    await assert.rejects(signIn(cognate, pool, 'june'), errorName('PasswordResetRequiredException'));
    await assert.rejects(
      cognate.app.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: before.RefreshToken! } })),
      errorName('NotAuthorizedException'),
    );
    const { code, triggerSource } = cognate.inbox.last('june@example.com');
    assert.equal(triggerSource, 'CustomMessage_ForgotPassword');
    await cognate.app.send(new ConfirmForgotPasswordCommand({ ClientId: pool.clientId, Username: 'june', ConfirmationCode: code, Password: 'After-Reset-5' }));
    assert.ok((await signIn(cognate, pool, 'june', 'After-Reset-5')).AccessToken);
  });
});
