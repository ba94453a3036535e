import {
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestCognate } from './cognate.js';
import { PASSWORD, type TestPool } from './pools.js';

/** Signs up and confirms through the public API, reading the code from the webhook. */
export async function signUpConfirmed(cognate: TestCognate, pool: TestPool, username: string, email = `${username}@example.com`): Promise<string> {
  const { UserSub } = await cognate.app.send(
    new SignUpCommand({ ClientId: pool.clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }),
  );
  const { code } = cognate.inbox.last(email);
  await cognate.app.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: username, ConfirmationCode: code }));
  return UserSub!;
}

export async function signIn(cognate: TestCognate, pool: TestPool, username: string, password = PASSWORD): Promise<AuthenticationResultType> {
  const { AuthenticationResult } = await cognate.app.send(
    new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }),
  );
  if (!AuthenticationResult) throw new Error('sign-in returned a challenge');
  return AuthenticationResult;
}

export function errorName(name: string) {
  return (error: unknown) => {
    if ((error as Error).name !== name) throw new Error(`expected ${name}, got ${(error as Error).name}: ${(error as Error).message}`);
    return true;
  };
}
