import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  CreateUserPoolClientCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { advance, startCognate, type TestCognate } from './support/cognate.js';
import {
  accessTokenOf, assertChallenge, codeNow, enrollTotp, mfaPool, newUser, nextCode, respond, SMS_ON, startSignIn, TOTP_ON,
} from './support/mfa.js';
import { PASSWORD, type TestPool } from './support/pools.js';
import { SrpClient } from './support/srp-client.js';
import { errorName } from './support/users.js';

const TEMPORARY = 'Temp-Walrus-Passw0rd';
const CHOSEN = 'Chosen-Ibex-Passw0rd';

/** Whatever the outcome, it must not carry tokens: a rejection, or a challenge without AuthenticationResult. */
async function noTokens(attempt: Promise<object>, expectedError?: string): Promise<void> {
  try {
    const output = await attempt;
    assert.equal((output as { AuthenticationResult?: unknown }).AuthenticationResult, undefined, 'tokens were issued before the second factor');
    assert.ok(!expectedError, `expected ${expectedError}, got a normal answer`);
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    if (expectedError) errorName(expectedError)(error);
  }
}

describe('MFA cannot be skipped, whatever the order of calls', () => {
  let cognate: TestCognate;
  let pool: TestPool;
  let secrets: Record<string, string>;

  before(async () => {
    cognate = await startCognate();
    pool = await mfaPool(cognate, { MfaConfiguration: 'OPTIONAL', ...TOTP_ON, ...SMS_ON }, {}, {
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    secrets = {};
    for (const name of ['alice', 'bob']) {
      await newUser(cognate, pool, name);
      secrets[name] = await enrollTotp(cognate, await accessTokenOf(cognate, pool, name));
    }
  });
  after(() => cognate.close());

  const mfaSession = async (name: string) => assertChallenge(await startSignIn(cognate, pool, name), 'SOFTWARE_TOKEN_MFA');

  it('refuses the MFA Session for any other challenge name, and the Session is spent by the attempt', async () => {
    const attempts: [string, Record<string, string>][] = [
      ['NEW_PASSWORD_REQUIRED', { USERNAME: 'alice', NEW_PASSWORD: CHOSEN }],
      ['SMS_MFA', { USERNAME: 'alice', SMS_MFA_CODE: '123456' }],
      ['EMAIL_OTP', { USERNAME: 'alice', EMAIL_OTP_CODE: '123456' }],
      ['SELECT_MFA_TYPE', { USERNAME: 'alice', ANSWER: 'SOFTWARE_TOKEN_MFA' }],
      ['MFA_SETUP', { USERNAME: 'alice' }],
      ['PASSWORD_VERIFIER', { USERNAME: 'alice', PASSWORD_CLAIM_SECRET_BLOCK: 'AAAA', PASSWORD_CLAIM_SIGNATURE: 'AAAA', TIMESTAMP: 'Mon Jan 1 00:00:00 UTC 2026' }],
    ];
    for (const [name, responses] of attempts) {
      const session = await mfaSession('alice');
      await noTokens(respond(cognate, pool, name, session, responses), 'NotAuthorizedException');
      await noTokens(respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', session, { USERNAME: 'alice', SOFTWARE_TOKEN_MFA_CODE: nextCode(cognate, secrets.alice!) }), 'NotAuthorizedException');
    }
    // Sessions of the setup operations are not challenge sessions either.
    await noTokens(cognate.app.send(new AssociateSoftwareTokenCommand({ Session: await mfaSession('alice') })), 'NotAuthorizedException');
    await noTokens(cognate.app.send(new VerifySoftwareTokenCommand({ Session: await mfaSession('alice'), UserCode: codeNow(cognate, secrets.alice!) })), 'NotAuthorizedException');
  });

  it('leads NEW_PASSWORD_REQUIRED on to MFA, and the NEW_PASSWORD_REQUIRED Session cannot be replayed', async () => {
    // A user with TOTP on whose password an admin reset to a temporary one.
    await cognate.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: 'bob', Password: TEMPORARY, Permanent: false }));
    const started = await startSignIn(cognate, pool, 'bob', TEMPORARY);
    const session = assertChallenge(started, 'NEW_PASSWORD_REQUIRED');
    const answered = await respond(cognate, pool, 'NEW_PASSWORD_REQUIRED', session, { USERNAME: 'bob', NEW_PASSWORD: CHOSEN });
    const mfa = assertChallenge(answered, 'SOFTWARE_TOKEN_MFA');
    await noTokens(respond(cognate, pool, 'NEW_PASSWORD_REQUIRED', session, { USERNAME: 'bob', NEW_PASSWORD: 'Another-Ibex-Passw0rd' }), 'NotAuthorizedException');
    const done = await respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', mfa, { USERNAME: 'bob', SOFTWARE_TOKEN_MFA_CODE: nextCode(cognate, secrets.bob!) });
    assert.ok(done.AuthenticationResult);
    await cognate.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: 'bob', Password: PASSWORD, Permanent: true }));
  });

  it('leads an invited user in a pool that requires MFA from NEW_PASSWORD_REQUIRED to SMS_MFA', async () => {
    const required = await mfaPool(cognate, { MfaConfiguration: 'ON', ...SMS_ON, ...TOTP_ON });
    await cognate.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: required.poolId, Username: 'ivy', TemporaryPassword: TEMPORARY, MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'phone_number', Value: '+15550199999' }],
      }),
    );
    const session = assertChallenge(await startSignIn(cognate, required, 'ivy', TEMPORARY), 'NEW_PASSWORD_REQUIRED');
    const answered = await respond(cognate, required, 'NEW_PASSWORD_REQUIRED', session, { USERNAME: 'ivy', NEW_PASSWORD: CHOSEN });
    const sms = assertChallenge(answered, 'SMS_MFA');
    const done = await respond(cognate, required, 'SMS_MFA', sms, { USERNAME: 'ivy', SMS_MFA_CODE: cognate.inbox.last('+15550199999').code });
    assert.ok(done.AuthenticationResult);
  });

  it('refuses a Session once it completed the sign-in, and the SRP Session that led to MFA', async () => {
    const session = await mfaSession('alice');
    const code = nextCode(cognate, secrets.alice!);
    assert.ok((await respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', session, { USERNAME: 'alice', SOFTWARE_TOKEN_MFA_CODE: code })).AuthenticationResult);
    await noTokens(respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', session, { USERNAME: 'alice', SOFTWARE_TOKEN_MFA_CODE: codeNow(cognate, secrets.alice!, 1) }), 'NotAuthorizedException');

    const srp = new SrpClient(pool.poolId);
    const started = await cognate.app.send(
      new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'alice', SRP_A: srp.srpA } }),
    );
    const verifier = assertChallenge(started, 'PASSWORD_VERIFIER');
    const claim = srp.answer(started.ChallengeParameters!, PASSWORD);
    const answered = await respond(cognate, pool, 'PASSWORD_VERIFIER', verifier, claim);
    const mfa = assertChallenge(answered, 'SOFTWARE_TOKEN_MFA');
    await noTokens(respond(cognate, pool, 'PASSWORD_VERIFIER', verifier, claim), 'NotAuthorizedException');
    // Without the Session, the SECRET_BLOCK names the same spent session.
    await noTokens(respond(cognate, pool, 'PASSWORD_VERIFIER', undefined, claim), 'NotAuthorizedException');
    assert.ok((await respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', mfa, { USERNAME: 'alice', SOFTWARE_TOKEN_MFA_CODE: nextCode(cognate, secrets.alice!) })).AuthenticationResult);
  });

  it('gives nothing for REFRESH_TOKEN_AUTH without a real refresh token', async () => {
    const refresh = (params: Record<string, string>) =>
      cognate.app.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: params }));
    await noTokens(refresh({ USERNAME: 'alice' }), 'InvalidParameterException');
    await noTokens(refresh({ REFRESH_TOKEN: await mfaSession('alice') }), 'NotAuthorizedException');
  });

  it("refuses user A's Session for user B, and B's code in A's session", async () => {
    const session = await mfaSession('alice');
    const bobCode = nextCode(cognate, secrets.bob!);
    await noTokens(respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', session, { USERNAME: 'bob', SOFTWARE_TOKEN_MFA_CODE: bobCode }), 'NotAuthorizedException');
    const other = await mfaSession('alice');
    await noTokens(respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', other, { USERNAME: 'alice', SOFTWARE_TOKEN_MFA_CODE: bobCode }), 'CodeMismatchException');
    await noTokens(respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', other, { SOFTWARE_TOKEN_MFA_CODE: codeNow(cognate, secrets.alice!) }), 'InvalidParameterException');
  });

  it('refuses a Session at another client of the same pool', async () => {
    const { UserPoolClient } = await cognate.admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: pool.poolId, ClientName: 'other', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }),
    );
    const session = await mfaSession('alice');
    await noTokens(
      cognate.app.send(
        new RespondToAuthChallengeCommand({
          ClientId: UserPoolClient!.ClientId!, ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: session,
          ChallengeResponses: { USERNAME: 'alice', SOFTWARE_TOKEN_MFA_CODE: nextCode(cognate, secrets.alice!) },
        }),
      ),
      'NotAuthorizedException',
    );
  });

  it('lets only one of two sign-ins racing with the same code through', async () => {
    const [first, second] = [await mfaSession('alice'), await mfaSession('alice')];
    const code = nextCode(cognate, secrets.alice!);
    const outcomes = await Promise.allSettled(
      [first, second].map((s) => respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', s, { USERNAME: 'alice', SOFTWARE_TOKEN_MFA_CODE: code })),
    );
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    const rejected = outcomes.find((o) => o.status === 'rejected');
    errorName('CodeMismatchException')(rejected?.reason);
  });

  it('does not complete MFA_SETUP without a verified token, nor accept a token of another session', async () => {
    const required = await mfaPool(cognate, { MfaConfiguration: 'ON', ...TOTP_ON });
    await newUser(cognate, required, 'setup-a');
    const setup = assertChallenge(await startSignIn(cognate, required, 'setup-a'), 'MFA_SETUP');
    await noTokens(respond(cognate, required, 'MFA_SETUP', setup, { USERNAME: 'setup-a' }), 'InvalidParameterException');
    await noTokens(respond(cognate, required, 'SOFTWARE_TOKEN_MFA', setup, { USERNAME: 'setup-a', SOFTWARE_TOKEN_MFA_CODE: '123456' }), 'NotAuthorizedException');
    const again = assertChallenge(await startSignIn(cognate, required, 'setup-a'), 'MFA_SETUP');
    const associated = await cognate.app.send(new AssociateSoftwareTokenCommand({ Session: again }));
    // The associate Session is not an answer to MFA_SETUP until VerifySoftwareToken succeeded.
    await noTokens(respond(cognate, required, 'MFA_SETUP', associated.Session, { USERNAME: 'setup-a' }), 'InvalidParameterException');
    await noTokens(
      cognate.app.send(new AssociateSoftwareTokenCommand({ Session: associated.Session, AccessToken: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln' })),
      'InvalidParameterException',
    );
  });

  it('locks the account when wrong codes pile up across sessions', async () => {
    await newUser(cognate, pool, 'mallory-target');
    const secret = await enrollTotp(cognate, await accessTokenOf(cognate, pool, 'mallory-target'));
    const wrong = (s: string) => respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', s, { USERNAME: 'mallory-target', SOFTWARE_TOKEN_MFA_CODE: '000000' === codeNow(cognate, secret) ? '111111' : '000000' });
    const session = assertChallenge(await startSignIn(cognate, pool, 'mallory-target'), 'SOFTWARE_TOKEN_MFA');
    for (let i = 0; i < 4; i++) await noTokens(wrong(session), 'CodeMismatchException');
    // A fresh sign-in does not wipe the count: the fifth wrong code locks the account, each later one for twice as long.
    const next = assertChallenge(await startSignIn(cognate, pool, 'mallory-target'), 'SOFTWARE_TOKEN_MFA');
    await noTokens(wrong(next), 'CodeMismatchException');
    await noTokens(wrong(next), 'NotAuthorizedException');
    for (const lockMs of [1000, 2000, 4000]) {
      advance(cognate, lockMs + 500);
      await noTokens(wrong(next), 'CodeMismatchException');
    }
    // Locked for 8 s now: neither the password nor the right code gets through.
    await assert.rejects(startSignIn(cognate, pool, 'mallory-target'), (e: Error) => e.name === 'NotAuthorizedException' && e.message === 'Password attempts exceeded');
    await noTokens(respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', next, { USERNAME: 'mallory-target', SOFTWARE_TOKEN_MFA_CODE: codeNow(cognate, secret) }), 'NotAuthorizedException');
    advance(cognate, 30_000);
    assert.ok((await respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', next, { USERNAME: 'mallory-target', SOFTWARE_TOKEN_MFA_CODE: codeNow(cognate, secret) })).AuthenticationResult);
  });
});
