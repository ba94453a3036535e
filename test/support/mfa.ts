import {
  AssociateSoftwareTokenCommand,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  VerifySoftwareTokenCommand,
  type ChallengeNameType,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  type InitiateAuthCommandOutput,
  type SetUserPoolMfaConfigCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { advance, type TestCognate } from './cognate.js';
import { createPool, PASSWORD, type TestPool } from './pools.js';
import { totp } from './totp.js';

export type MfaSettings = Omit<SetUserPoolMfaConfigCommandInput, 'UserPoolId'>;

export const TOTP_ON: MfaSettings = { SoftwareTokenMfaConfiguration: { Enabled: true } };
export const SMS_ON: MfaSettings = { SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your sign-in code is {####}' } };
export const EMAIL_ON: MfaSettings = { EmailMfaConfiguration: { Subject: 'Sign-in code', Message: 'Use {####} to sign in' } };

/** A pool whose MFA is set through SetUserPoolMfaConfig, as an admin would. */
export async function mfaPool(
  cognate: TestCognate,
  settings: MfaSettings,
  pool: Partial<CreateUserPoolCommandInput> = {},
  client: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<TestPool> {
  const created = await createPool(cognate, pool, client);
  await cognate.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: created.poolId, ...settings }));
  return created;
}

/** Signs up and confirms through the public API; the phone number, when given, is not verified. */
export async function newUser(cognate: TestCognate, pool: TestPool, username: string, phone?: string): Promise<string> {
  const email = `${username}@example.com`;
  const attributes = [{ Name: 'email', Value: email }, ...(phone ? [{ Name: 'phone_number', Value: phone }] : [])];
  const { UserSub } = await cognate.app.send(new SignUpCommand({ ClientId: pool.clientId, Username: username, Password: PASSWORD, UserAttributes: attributes }));
  await cognate.app.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: username, ConfirmationCode: cognate.inbox.last(email).code }));
  return UserSub!;
}

export function startSignIn(cognate: TestCognate, pool: TestPool, username: string, password = PASSWORD): Promise<InitiateAuthCommandOutput> {
  return cognate.app.send(
    new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }),
  );
}

export function respond(cognate: TestCognate, pool: TestPool, name: string, session: string | undefined, responses: Record<string, string>) {
  return cognate.app.send(
    new RespondToAuthChallengeCommand({ ClientId: pool.clientId, ChallengeName: name as ChallengeNameType, Session: session, ChallengeResponses: responses }),
  );
}

/** The code an authenticator shows now on Cognate's clock (the independent RFC 6238 implementation). */
export function codeNow(cognate: TestCognate, secret: string, stepOffset = 0): string {
  return totp(secret, cognate.clock.now(), { stepOffset });
}

/** Moves past the step of the last accepted code, then reads the new one: each code works once. */
export function nextCode(cognate: TestCognate, secret: string): string {
  advance(cognate, 30_000);
  return codeNow(cognate, secret);
}

/** Signs in (MFA must not apply yet) and returns the access token. */
export async function accessTokenOf(cognate: TestCognate, pool: TestPool, username: string): Promise<string> {
  const started = await startSignIn(cognate, pool, username);
  assert.ok(started.AuthenticationResult?.AccessToken, `expected tokens, got ${started.ChallengeName}`);
  return started.AuthenticationResult.AccessToken;
}

/** AssociateSoftwareToken + VerifySoftwareToken with an access token; turns TOTP on (and preferred) unless told not to. */
export async function enrollTotp(cognate: TestCognate, accessToken: string, options: { enable?: boolean; preferred?: boolean } = {}): Promise<string> {
  const { SecretCode } = await cognate.app.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
  const verified = await cognate.app.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: codeNow(cognate, SecretCode!), FriendlyDeviceName: 'test phone' }));
  assert.equal(verified.Status, 'SUCCESS');
  if (options.enable !== false) {
    await cognate.app.send(
      new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: options.preferred ?? true } }),
    );
  }
  return SecretCode!;
}

/** Asserts an answer carries a challenge and no tokens. */
export function assertChallenge(output: { ChallengeName?: string; AuthenticationResult?: unknown; Session?: string }, name: string): string {
  assert.equal(output.AuthenticationResult, undefined, 'no tokens before the second factor');
  assert.equal(output.ChallengeName, name);
  assert.ok(output.Session, 'a challenge comes with a Session');
  return output.Session;
}
