import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminResetUserPasswordCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  type CreateUserPoolClientCommandInput,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import Database from 'better-sqlite3';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { advance, startCognate, type TestCognate } from './support/cognate.js';
import { createPool, PASSWORD as SUPPORT_PASSWORD, secretHash, type TestPool } from './support/pools.js';
import { cognitoTimestamp, SRP_N_HEX, SrpClient } from './support/srp-client.js';
import { errorName, signIn, signUpConfirmed } from './support/users.js';

const PASSWORD = 'Srp-Zebra-Passw0rd';
const TEMPORARY = 'Temp-Quokka-Passw0rd';
const CHOSEN = 'Chosen-Narwhal-Passw0rd';
const AFTER_RESET = 'After-Reset-Okapi-Passw0rd';
const SRP_ONLY: Partial<CreateUserPoolClientCommandInput> = { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] };

type Outcome = { user: CognitoUser; session?: CognitoUserSession; newPassword?: Record<string, string> };

/** amazon-cognito-identity-js's authenticateUser (USER_SRP_AUTH), as an app calls it. */
function authenticate(userPool: CognitoUserPool, username: string, password: string): Promise<Outcome> {
  const user = new CognitoUser({ Username: username, Pool: userPool });
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve({ user, session }),
      onFailure: reject,
      newPasswordRequired: (attributes) => resolve({ user, newPassword: attributes }),
    }),
  );
}

function completeNewPassword(user: CognitoUser, password: string): Promise<CognitoUserSession> {
  return new Promise((resolve, reject) => user.completeNewPasswordChallenge(password, {}, { onSuccess: resolve, onFailure: reject }));
}

function libSignUp(userPool: CognitoUserPool, username: string, password: string, email: string): Promise<string> {
  const attributes = [new CognitoUserAttribute({ Name: 'email', Value: email })];
  return new Promise((resolve, reject) =>
    userPool.signUp(username, password, attributes, [], (error, result) => (error ? reject(error) : resolve(result!.userSub))),
  );
}

function libConfirm(userPool: CognitoUserPool, username: string, code: string): Promise<void> {
  const user = new CognitoUser({ Username: username, Pool: userPool });
  return new Promise((resolve, reject) => user.confirmRegistration(code, false, (error) => (error ? reject(error) : resolve())));
}

/** The error amazon-cognito-identity-js reports carries Cognito's exception name as `code`. */
function libError(code: string, message?: string) {
  return (error: unknown) => {
    const e = error as { code?: string; message?: string };
    if (e.code !== code) throw new Error(`expected ${code}, got ${e.code}: ${e.message}`);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  };
}

describe('USER_SRP_AUTH with amazon-cognito-identity-js and a raw SRP client', () => {
  let cognate: TestCognate;
  let dir: string;
  let pool: TestPool;
  let userPool: CognitoUserPool;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cognate-srp-'));
    cognate = await startCognate({ COGNATE_DB: join(dir, 'cognate.db') });
    // No ExplicitAuthFlows: Cognito's defaults, which include ALLOW_USER_SRP_AUTH.
    pool = await createPool(cognate, {}, { ExplicitAuthFlows: undefined });
    userPool = new CognitoUserPool({ UserPoolId: pool.poolId, ClientId: pool.clientId, endpoint: cognate.url });
  });
  after(async () => {
    await cognate.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** InitiateAuth USER_SRP_AUTH through the AWS SDK with an independent SRP client. */
  async function initiate(target: TestPool, username: string, extra: Record<string, string> = {}) {
    const srp = new SrpClient(target.poolId);
    const started = await cognate.app.send(
      new InitiateAuthCommand({ ClientId: target.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: srp.srpA, ...extra } }),
    );
    return { srp, started };
  }

  function respond(target: TestPool, started: InitiateAuthCommandOutput, responses: Record<string, string>, session: string | undefined = started.Session) {
    return cognate.app.send(
      new RespondToAuthChallengeCommand({ ClientId: target.clientId, ChallengeName: 'PASSWORD_VERIFIER', Session: session, ChallengeResponses: responses }),
    );
  }

  async function signUpUser(name: string): Promise<string> {
    const sub = await libSignUp(userPool, name, PASSWORD, `${name}@example.com`);
    await libConfirm(userPool, name, cognate.inbox.last(`${name}@example.com`).code);
    return sub;
  }

  it('signs up, confirms and signs in with amazon-cognito-identity-js, getting tokens that verify', async () => {
    const sub = await signUpUser('sally');
    const { session } = await authenticate(userPool, 'sally', PASSWORD);
    assert.ok(session?.isValid());
    const discovery = (await (await fetch(`${cognate.url}/${pool.poolId}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    const keys = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const { payload: id } = await jwtVerify(session!.getIdToken().getJwtToken(), keys, { issuer: discovery.issuer, audience: pool.clientId });
    assert.equal(id.sub, sub);
    assert.equal(id['cognito:username'], 'sally');
    const { payload: access } = await jwtVerify(session!.getAccessToken().getJwtToken(), keys, { issuer: discovery.issuer });
    assert.equal(access.client_id, pool.clientId);
    const me = await cognate.app.send(new GetUserCommand({ AccessToken: session!.getAccessToken().getJwtToken() }));
    assert.equal(me.Username, 'sally');
    assert.ok(session!.getRefreshToken().getToken());
  });

  it('refuses a wrong password with NotAuthorizedException', async () => {
    await signUpUser('wendy');
    await assert.rejects(authenticate(userPool, 'wendy', 'Wrong-Zebra-Passw0rd'), libError('NotAuthorizedException', 'Incorrect username or password.'));
  });

  it("answers Cognito's challenge parameters; USER_ID_FOR_SRP is the stored username whatever case was typed", async () => {
    await signUpUser('Tess');
    const { srp, started } = await initiate(pool, 'TESS');
    assert.equal(started.ChallengeName, 'PASSWORD_VERIFIER');
    assert.ok(started.Session);
    const params = started.ChallengeParameters!;
    assert.deepEqual(Object.keys(params).sort(), ['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
    assert.equal(params.USER_ID_FOR_SRP, 'Tess');
    assert.match(params.SALT!, /^[0-9a-f]+$/);
    assert.match(params.SRP_B!, /^[0-9a-f]{700,}$/);
    const { AuthenticationResult } = await respond(pool, started, srp.answer(params, PASSWORD));
    assert.ok(AuthenticationResult?.AccessToken && AuthenticationResult.IdToken && AuthenticationResult.RefreshToken);
  });

  it('takes an invited user through NEW_PASSWORD_REQUIRED with completeNewPasswordChallenge', async () => {
    await cognate.admin.send(
      new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: 'ivan', TemporaryPassword: TEMPORARY, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'ivan@example.com' }] }),
    );
    await assert.rejects(authenticate(userPool, 'ivan', 'Wrong-Quokka-Passw0rd'), libError('NotAuthorizedException'));
    const first = await authenticate(userPool, 'ivan', TEMPORARY);
    assert.equal(first.session, undefined);
    assert.equal(first.newPassword?.email, 'ivan@example.com');
    const session = await completeNewPassword(first.user, CHOSEN);
    assert.ok(session.isValid());
    await assert.rejects(authenticate(userPool, 'ivan', TEMPORARY), libError('NotAuthorizedException'));
    assert.ok((await authenticate(userPool, 'ivan', CHOSEN)).session?.isValid());
  });

  it('signs in with the verifier ChangePassword wrote, and no longer with the old password', async () => {
    await signUpUser('carl');
    const { session } = await authenticate(userPool, 'carl', PASSWORD);
    await cognate.app.send(new ChangePasswordCommand({ AccessToken: session!.getAccessToken().getJwtToken(), PreviousPassword: PASSWORD, ProposedPassword: CHOSEN }));
    await assert.rejects(authenticate(userPool, 'carl', PASSWORD), libError('NotAuthorizedException'));
    assert.ok((await authenticate(userPool, 'carl', CHOSEN)).session?.isValid());
  });

  it('follows AdminSetUserPassword; after AdminResetUserPassword only the right password hears PasswordResetRequiredException', async () => {
    await signUpUser('rosa');
    await cognate.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: 'rosa', Password: CHOSEN, Permanent: true }));
    await assert.rejects(authenticate(userPool, 'rosa', PASSWORD), libError('NotAuthorizedException'));
    assert.ok((await authenticate(userPool, 'rosa', CHOSEN)).session?.isValid());
    await cognate.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: pool.poolId, Username: 'rosa' }));
    await assert.rejects(authenticate(userPool, 'rosa', PASSWORD), libError('NotAuthorizedException'));
    await assert.rejects(authenticate(userPool, 'rosa', CHOSEN), libError('PasswordResetRequiredException'));
    const { code } = cognate.inbox.last('rosa@example.com');
    await cognate.app.send(new ConfirmForgotPasswordCommand({ ClientId: pool.clientId, Username: 'rosa', ConfirmationCode: code, Password: AFTER_RESET }));
    assert.ok((await authenticate(userPool, 'rosa', AFTER_RESET)).session?.isValid());
  });

  it('works in a pool whose users sign in with their email (UsernameAttributes)', async () => {
    const byEmail = await createPool(cognate, { UsernameAttributes: ['email'] }, SRP_ONLY);
    const emailPool = new CognitoUserPool({ UserPoolId: byEmail.poolId, ClientId: byEmail.clientId, endpoint: cognate.url });
    const sub = await libSignUp(emailPool, 'erin@example.com', PASSWORD, 'erin@example.com');
    await libConfirm(emailPool, 'erin@example.com', cognate.inbox.last('erin@example.com').code);
    const { session, user } = await authenticate(emailPool, 'erin@example.com', PASSWORD);
    assert.equal(user.getUsername(), sub, 'the client learns the real username from USER_ID_FOR_SRP');
    assert.equal(session!.getIdToken().decodePayload()['cognito:username'], sub);
    await assert.rejects(authenticate(emailPool, 'erin@example.com', 'Wrong-Zebra-Passw0rd'), libError('NotAuthorizedException'));
  });

  it('refuses a replayed PASSWORD_VERIFIER answer', async () => {
    await signUpUser('rita');
    const { srp, started } = await initiate(pool, 'rita');
    const answer = srp.answer(started.ChallengeParameters!, PASSWORD);
    assert.ok((await respond(pool, started, answer)).AuthenticationResult);
    await assert.rejects(respond(pool, started, answer), errorName('NotAuthorizedException'));
    await assert.rejects(respond(pool, started, answer, undefined), errorName('NotAuthorizedException'));
  });

  it('finds the challenge by its SECRET_BLOCK when a client sends no Session (as pycognito does)', async () => {
    const { srp, started } = await initiate(pool, 'rita');
    const { AuthenticationResult } = await respond(pool, started, srp.answer(started.ChallengeParameters!, PASSWORD), undefined);
    assert.ok(AuthenticationResult?.AccessToken);
  });

  it('refuses a tampered signature, a foreign SECRET_BLOCK and a mismatched USERNAME', async () => {
    await signUpUser('tom');
    const tamper = async (change: (answer: Record<string, string>, other: Record<string, string>) => Record<string, string>) => {
      const { srp, started } = await initiate(pool, 'tom');
      const other = await initiate(pool, 'tom');
      const answer = change(srp.answer(started.ChallengeParameters!, PASSWORD), other.started.ChallengeParameters!);
      await assert.rejects(respond(pool, started, answer), errorName('NotAuthorizedException'));
    };
    await tamper((a) => {
      const signature = Buffer.from(a.PASSWORD_CLAIM_SIGNATURE!, 'base64');
      signature[0] = signature[0]! ^ 1;
      return { ...a, PASSWORD_CLAIM_SIGNATURE: signature.toString('base64') };
    });
    await tamper((a, other) => ({ ...a, PASSWORD_CLAIM_SECRET_BLOCK: other.SECRET_BLOCK! }));
    await tamper((a) => ({ ...a, USERNAME: 'sally' }));
    // tom can still sign in: none of that was a password guess that locks him out.
    assert.ok((await authenticate(userPool, 'tom', PASSWORD)).session);
  });

  it('refuses a TIMESTAMP ten minutes off, or not spelled as the clients spell it', async () => {
    for (const timestamp of [
      cognitoTimestamp(new Date(Date.now() - 10 * 60_000)),
      cognitoTimestamp(new Date(Date.now() + 10 * 60_000)),
      new Date().toUTCString(),
    ]) {
      const { srp, started } = await initiate(pool, 'sally');
      await assert.rejects(respond(pool, started, srp.answer(started.ChallengeParameters!, PASSWORD, timestamp)), errorName('NotAuthorizedException'));
    }
    const { srp, started } = await initiate(pool, 'sally');
    const skewed = cognitoTimestamp(new Date(Date.now() - 2 * 60_000));
    assert.ok((await respond(pool, started, srp.answer(started.ChallengeParameters!, PASSWORD, skewed))).AuthenticationResult, 'a small skew is fine');
  });

  it('refuses an SRP_A that is not a number, or is 0 mod N', async () => {
    for (const SRP_A of ['0', SRP_N_HEX, (BigInt(`0x${SRP_N_HEX}`) * 2n).toString(16), 'xyz']) {
      await assert.rejects(
        cognate.app.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'sally', SRP_A } })),
        errorName('InvalidParameterException'),
      );
    }
    await assert.rejects(
      cognate.app.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'sally' } })),
      errorName('InvalidParameterException'),
    );
  });

  it('counts wrong passwords toward the lock and honours it, then lets the user in once it lapses', async () => {
    await signUpUser('lola');
    for (let i = 0; i < 5; i++) {
      const { srp, started } = await initiate(pool, 'lola');
      await assert.rejects(respond(pool, started, srp.answer(started.ChallengeParameters!, 'Wrong-Zebra-Passw0rd')), (e: Error) =>
        e.name === 'NotAuthorizedException' && e.message === 'Incorrect username or password.',
      );
    }
    await assert.rejects(authenticate(userPool, 'lola', PASSWORD), libError('NotAuthorizedException', 'Password attempts exceeded'));
    advance(cognate, 2_000);
    assert.ok((await authenticate(userPool, 'lola', PASSWORD)).session?.isValid());
  });

  it('tells an unconfirmed user so only after the password proves right', async () => {
    await cognate.app.send(
      new SignUpCommand({ ClientId: pool.clientId, Username: 'uma', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'uma@example.com' }] }),
    );
    await assert.rejects(authenticate(userPool, 'uma', 'Wrong-Zebra-Passw0rd'), libError('NotAuthorizedException'));
    await assert.rejects(authenticate(userPool, 'uma', PASSWORD), libError('UserNotConfirmedException'));
  });

  it('is refused for a client without ALLOW_USER_SRP_AUTH', async () => {
    const passwordOnly = await createPool(cognate, {}, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    await signUpConfirmed(cognate, passwordOnly, 'pat', 'pat@example.com');
    await assert.rejects(initiate(passwordOnly, 'pat'), errorName('InvalidParameterException'));
    const libPool = new CognitoUserPool({ UserPoolId: passwordOnly.poolId, ClientId: passwordOnly.clientId, endpoint: cognate.url });
    await assert.rejects(authenticate(libPool, 'pat', SUPPORT_PASSWORD), libError('InvalidParameterException'));
  });

  it('needs SECRET_HASH at both steps for a client with a secret', async () => {
    const secret = await createPool(cognate, {}, { ...SRP_ONLY, ExplicitAuthFlows: [...SRP_ONLY.ExplicitAuthFlows!, 'ALLOW_USER_PASSWORD_AUTH'], GenerateSecret: true });
    await cognate.app.send(
      new SignUpCommand({ ClientId: secret.clientId, Username: 'sid', Password: PASSWORD, SecretHash: secretHash(secret, 'sid'), UserAttributes: [{ Name: 'email', Value: 'sid@example.com' }] }),
    );
    await cognate.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: secret.poolId, Username: 'sid' }));
    await assert.rejects(initiate(secret, 'sid'), errorName('NotAuthorizedException'));
    await assert.rejects(initiate(secret, 'sid', { SECRET_HASH: secretHash(secret, 'someone') }), errorName('NotAuthorizedException'));
    const withoutHash = await initiate(secret, 'sid', { SECRET_HASH: secretHash(secret, 'sid') });
    await assert.rejects(respond(secret, withoutHash.started, withoutHash.srp.answer(withoutHash.started.ChallengeParameters!, PASSWORD)), errorName('NotAuthorizedException'));
    const { srp, started } = await initiate(secret, 'sid', { SECRET_HASH: secretHash(secret, 'sid') });
    const answer = { ...srp.answer(started.ChallengeParameters!, PASSWORD), SECRET_HASH: secretHash(secret, started.ChallengeParameters!.USER_ID_FOR_SRP!) };
    assert.ok((await respond(secret, started, answer)).AuthenticationResult?.AccessToken);
  });

  it('runs through AdminInitiateAuth and AdminRespondToAuthChallenge too', async () => {
    const srp = new SrpClient(pool.poolId);
    const started = await cognate.admin.send(
      new AdminInitiateAuthCommand({ UserPoolId: pool.poolId, ClientId: pool.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'sally', SRP_A: srp.srpA } }),
    );
    assert.equal(started.ChallengeName, 'PASSWORD_VERIFIER');
    const { AuthenticationResult } = await cognate.admin.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: pool.poolId, ClientId: pool.clientId, ChallengeName: 'PASSWORD_VERIFIER', Session: started.Session,
        ChallengeResponses: srp.answer(started.ChallengeParameters!, PASSWORD),
      }),
    );
    assert.ok(AuthenticationResult?.IdToken);
  });

  it('answers an unknown user with a plausible challenge that fails at the answer when existence is hidden', async () => {
    const hidden = await createPool(cognate, {}, { ...SRP_ONLY, PreventUserExistenceErrors: 'ENABLED' });
    const first = await initiate(hidden, 'ghost');
    const second = await initiate(hidden, 'GHOST');
    for (const { started } of [first, second]) {
      assert.equal(started.ChallengeName, 'PASSWORD_VERIFIER');
      assert.deepEqual(Object.keys(started.ChallengeParameters!).sort(), ['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
    }
    assert.equal(first.started.ChallengeParameters!.SALT, second.started.ChallengeParameters!.SALT, 'the same name gets the same salt, as a real user would');
    assert.notEqual(first.started.ChallengeParameters!.SRP_B, second.started.ChallengeParameters!.SRP_B, 'B is fresh each time, as for a real user');
    assert.notEqual(first.started.ChallengeParameters!.SALT, (await initiate(hidden, 'phantom')).started.ChallengeParameters!.SALT);
    await assert.rejects(respond(hidden, first.started, first.srp.answer(first.started.ChallengeParameters!, PASSWORD)), (e: Error) =>
      e.name === 'NotAuthorizedException' && e.message === 'Incorrect username or password.',
    );
    const libPool = new CognitoUserPool({ UserPoolId: hidden.poolId, ClientId: hidden.clientId, endpoint: cognate.url });
    await assert.rejects(authenticate(libPool, 'ghost', PASSWORD), libError('NotAuthorizedException', 'Incorrect username or password.'));

    const byEmail = await createPool(cognate, { UsernameAttributes: ['email'] }, { ...SRP_ONLY, PreventUserExistenceErrors: 'ENABLED' });
    const { started } = await initiate(byEmail, 'ghost@example.com');
    assert.match(started.ChallengeParameters!.USER_ID_FOR_SRP!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'looks like a sub');
  });

  it('says UserNotFoundException for an unknown user with LEGACY errors', async () => {
    await assert.rejects(initiate(pool, 'nobody'), errorName('UserNotFoundException'));
    await assert.rejects(authenticate(userPool, 'nobody', PASSWORD), libError('UserNotFoundException'));
  });

  it('gives a user whose password predates SRP a verifier at their next password sign-in', async () => {
    const both = await createPool(cognate, {}, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    await signUpConfirmed(cognate, both, 'olga', 'olga@example.com');
    const db = new Database(join(dir, 'cognate.db'));
    try {
      db.prepare('UPDATE users SET srp_salt = NULL, srp_verifier = NULL WHERE pool_id = ?').run(both.poolId);
    } finally {
      db.close();
    }
    const libPool = new CognitoUserPool({ UserPoolId: both.poolId, ClientId: both.clientId, endpoint: cognate.url });
    await assert.rejects(authenticate(libPool, 'olga', SUPPORT_PASSWORD), libError('NotAuthorizedException', 'Incorrect username or password.'));
    assert.ok(cognate.logs.some((line) => line.includes('no SRP verifier')));
    await signIn(cognate, both, 'olga');
    assert.ok((await authenticate(libPool, 'olga', SUPPORT_PASSWORD)).session?.isValid());
  });

  it('keeps no password in the database file, only hashes and verifiers', () => {
    const files = readdirSync(dir).map((name) => readFileSync(join(dir, name)));
    assert.ok(files.length > 0 && files.some((f) => f.length > 0));
    for (const password of [PASSWORD, TEMPORARY, CHOSEN, AFTER_RESET, SUPPORT_PASSWORD]) {
      const plain = Buffer.from(password);
      for (const needle of [plain, Buffer.from(password, 'utf16le'), Buffer.from(plain.toString('base64')), Buffer.from(plain.toString('hex'))]) {
        assert.ok(files.every((f) => !f.includes(needle)), `${password} found in the database as ${needle.toString()}`);
      }
    }
  });
});
