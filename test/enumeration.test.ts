import {
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCognate, type TestCognate } from './support/cognate.js';
import { createPool, PASSWORD, type TestPool } from './support/pools.js';
import { signUpConfirmed } from './support/users.js';

/** Runs a call and returns what a caller can observe: the error name and message, or the response shape. */
async function observe(call: Promise<unknown>): Promise<string> {
  try {
    const output = (await call) as Record<string, unknown>;
    const { $metadata: _m, UserSub: _s, ...rest } = output;
    // The masked destination starts with the typed name's first letter either way.
    return `ok ${JSON.stringify(rest).replace(/"Destination":"\w/, '"Destination":"?')}`;
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe('no user enumeration with PreventUserExistenceErrors ENABLED', () => {
  let cognate: TestCognate;
  let pool: TestPool;
  before(async () => {
    cognate = await startCognate();
    pool = await createPool(cognate, {}, { PreventUserExistenceErrors: 'ENABLED' });
    await signUpConfirmed(cognate, pool, 'real', 'real@example.com');
  });
  after(() => cognate.close());

  const calls = (name: string) => ({
    signIn: () => cognate.app.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: name, PASSWORD: 'Wrong-Password-1' } })),
    forgot: () => cognate.app.send(new ForgotPasswordCommand({ ClientId: pool.clientId, Username: name })),
    confirmForgot: () => cognate.app.send(new ConfirmForgotPasswordCommand({ ClientId: pool.clientId, Username: name, ConfirmationCode: '123456', Password: PASSWORD })),
    confirm: () => cognate.app.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: name, ConfirmationCode: '123456' })),
  });

  it('gives the same answers for an existing and a missing user', async () => {
    const real = calls('real@example.com');
    const ghost = calls('ghost@example.com');
    assert.equal(await observe(real.signIn()), await observe(ghost.signIn()));
    assert.equal(await observe(ghost.signIn()), 'NotAuthorizedException: Incorrect username or password.');
    assert.equal(await observe(real.forgot()), await observe(ghost.forgot()));
    assert.equal(await observe(real.confirmForgot()), await observe(ghost.confirmForgot()));
  });

  it('sends nothing for a missing user', async () => {
    const before = cognate.inbox.messages.length;
    await cognate.app.send(new ForgotPasswordCommand({ ClientId: pool.clientId, Username: 'ghost@example.com' }));
    await cognate.app.send(new ResendConfirmationCodeCommand({ ClientId: pool.clientId, Username: 'ghost@example.com' }));
    assert.equal(cognate.inbox.messages.length, before);
  });

  it('makes signing up with a taken username look like a fresh sign-up, and sends nothing', async () => {
    const before = cognate.inbox.messages.length;
    const taken = await cognate.app.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'real', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'real@example.com' }] }));
    const fresh = await cognate.app.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'newbie', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'newbie@example.com' }] }));
    assert.equal(taken.UserConfirmed, fresh.UserConfirmed);
    assert.deepEqual(Object.keys(taken).sort(), Object.keys(fresh).sort());
    assert.equal(cognate.inbox.messages.length, before + 1, 'only the real new user got a code');
  });

  it('an unconfirmed user with a wrong password looks like a wrong password, not like UserNotConfirmed', async () => {
    await cognate.app.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'pending', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'pending@example.com' }] }));
    assert.equal(await observe(calls('pending').signIn()), 'NotAuthorizedException: Incorrect username or password.');
  });
});
