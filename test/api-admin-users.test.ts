import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  ListUsersCommand,
  SignUpCommand,
  type AdminCreateUserCommandInput,
  type CreateUserPoolCommandInput,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { advance, startCognate, type TestCognate } from './support/cognate.js';

let cognate: TestCognate;
before(async () => {
  cognate = await startCognate();
});
after(async () => {
  await cognate?.close();
});

const PASSWORD = 'Corr3ct-Horse!';
const INVITE = { EmailSubject: 'Welcome aboard', EmailMessage: 'Hello {username}, your temporary password is {####}' };
const named = (name: string) => (e: unknown) => (e as Error).name === name;
const named2 = (name: string, message: string) => (e: unknown) => (e as Error).name === name && (e as Error).message === message;

interface Pool {
  poolId: string;
  clientId: string;
}

async function createPool(input: Partial<CreateUserPoolCommandInput> = {}): Promise<Pool> {
  const { UserPool } = await cognate.admin.send(
    new CreateUserPoolCommand({
      PoolName: 'admin users',
      AdminCreateUserConfig: { InviteMessageTemplate: INVITE },
      Schema: [{ Name: 'team', AttributeDataType: 'String' }],
      ...input,
    }),
  );
  const { UserPoolClient } = await cognate.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: UserPool!.Id,
      ClientName: 'admin app',
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  return { poolId: UserPool!.Id!, clientId: UserPoolClient!.ClientId! };
}

async function createUser(pool: Pool, Username: string, input: Partial<AdminCreateUserCommandInput> = {}): Promise<UserType> {
  const { User } = await cognate.admin.send(
    new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username, MessageAction: 'SUPPRESS', ...input }),
  );
  assert.ok(User);
  return User;
}

function signIn(pool: Pool, USERNAME: string, PASSWORD: string) {
  return cognate.admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: pool.poolId,
      ClientId: pool.clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME, PASSWORD },
    }),
  );
}

function newPassword(pool: Pool, USERNAME: string, NEW_PASSWORD: string, Session: string | undefined) {
  return cognate.admin.send(
    new AdminRespondToAuthChallengeCommand({
      UserPoolId: pool.poolId,
      ClientId: pool.clientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      ChallengeResponses: { USERNAME, NEW_PASSWORD },
      Session,
    }),
  );
}

async function getUser(pool: Pool, Username: string) {
  return cognate.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username }));
}

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
const attr = (list: { Name?: string; Value?: string }[] | undefined, name: string) => list?.find((a) => a.Name === name)?.Value;
const invitesFor = (pool: Pool) => cognate.inbox.messages.filter((m) => m.poolId === pool.poolId);

describe('AdminCreateUser', () => {
  test('emails the invitation, then the temporary password leads through NEW_PASSWORD_REQUIRED to tokens', async () => {
    const pool = await createPool();
    const user = await createUser(pool, 'carol', {
      MessageAction: undefined,
      DesiredDeliveryMediums: ['EMAIL'],
      UserAttributes: [
        { Name: 'email', Value: 'carol@example.com' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'custom:team', Value: 'blue' },
      ],
    });
    assert.equal(user.Username, 'carol');
    assert.equal(user.UserStatus, 'FORCE_CHANGE_PASSWORD');
    assert.equal(user.Enabled, true);

    const invite = cognate.inbox.last('carol@example.com');
    assert.equal(invite.poolId, pool.poolId);
    assert.equal(invite.channel, 'email');
    assert.equal(invite.triggerSource, 'CustomMessage_AdminCreateUser');
    assert.equal(invite.subject, 'Welcome aboard');
    assert.equal(invite.body, `Hello carol, your temporary password is ${invite.code}`);
    assert.ok(invite.code.length >= 8);

    const started = await signIn(pool, 'carol', invite.code);
    assert.equal(started.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    assert.ok(started.Session);
    assert.equal(started.AuthenticationResult, undefined);

    await assert.rejects(newPassword(pool, 'carol', 'weak', started.Session), named('InvalidPasswordException'));
    const done = await newPassword(pool, 'carol', PASSWORD, started.Session);
    const tokens = done.AuthenticationResult!;
    assert.ok(tokens.AccessToken && tokens.IdToken && tokens.RefreshToken);
    const id = claims(tokens.IdToken!);
    assert.equal(id['cognito:username'], 'carol');
    assert.equal(id.email, 'carol@example.com');
    assert.equal(id['custom:team'], 'blue');

    const got = await getUser(pool, 'carol');
    assert.equal(got.UserStatus, 'CONFIRMED');
    assert.equal((await signIn(pool, 'carol', PASSWORD)).AuthenticationResult?.IdToken !== undefined, true);
    await assert.rejects(signIn(pool, 'carol', invite.code), named2('NotAuthorizedException', 'Incorrect username or password.'));
  });

  test('SUPPRESS sends nothing; RESEND sends a new temporary password and retires the old one', async () => {
    const pool = await createPool();
    await createUser(pool, 'dave', { UserAttributes: [{ Name: 'email', Value: 'dave@example.com' }], DesiredDeliveryMediums: ['EMAIL'] });
    assert.equal(invitesFor(pool).length, 0);

    await createUser(pool, 'dave', { MessageAction: 'RESEND', DesiredDeliveryMediums: ['EMAIL'] });
    const first = cognate.inbox.last('dave@example.com');
    await createUser(pool, 'dave', { MessageAction: 'RESEND', DesiredDeliveryMediums: ['EMAIL'] });
    const second = cognate.inbox.last('dave@example.com');
    assert.equal(invitesFor(pool).length, 2);
    assert.notEqual(second.code, first.code);
    await assert.rejects(signIn(pool, 'dave', first.code), named('NotAuthorizedException'));
    assert.equal((await signIn(pool, 'dave', second.code)).ChallengeName, 'NEW_PASSWORD_REQUIRED');
    await cognate.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: 'dave', Password: 'Permanent-Pass-1', Permanent: true }));
    await assert.rejects(createUser(pool, 'dave', { MessageAction: 'RESEND' }), named('UnsupportedUserStateException'), 'only a user still on a temporary password can be re-invited');
  });

  test('a chosen TemporaryPassword must meet the policy', async () => {
    const pool = await createPool();
    await assert.rejects(createUser(pool, 'erin', { TemporaryPassword: 'alllowercase' }), named('InvalidPasswordException'));
    await createUser(pool, 'erin', { TemporaryPassword: 'Temp0rary-Pass' });
    assert.equal((await signIn(pool, 'erin', 'Temp0rary-Pass')).ChallengeName, 'NEW_PASSWORD_REQUIRED');
  });

  test('duplicates, unknown attributes and a failing webhook are refused', async () => {
    const pool = await createPool();
    await createUser(pool, 'frank');
    await assert.rejects(createUser(pool, 'frank'), named('UsernameExistsException'));
    await assert.rejects(createUser(pool, 'gina', { UserAttributes: [{ Name: 'shoe_size', Value: '9' }] }), named('InvalidParameterException'));
    await assert.rejects(createUser(pool, 'gina', { UserAttributes: [{ Name: 'custom:nope', Value: 'x' }] }), named('InvalidParameterException'));
    await assert.rejects(getUser(pool, 'gina'), named('UserNotFoundException'));

    cognate.inbox.failing = true;
    try {
      await assert.rejects(
        createUser(pool, 'hank', { MessageAction: undefined, DesiredDeliveryMediums: ['EMAIL'], UserAttributes: [{ Name: 'email', Value: 'hank@example.com' }] }),
        named('CodeDeliveryFailureException'),
      );
    } finally {
      cognate.inbox.failing = false;
    }
    await assert.rejects(getUser(pool, 'hank'), named('UserNotFoundException'), 'an invitation nobody received leaves no account');
    await createUser(pool, 'hank', { DesiredDeliveryMediums: ['EMAIL'], UserAttributes: [{ Name: 'email', Value: 'hank@example.com' }] });
  });

  test('AdminGetUser reports attributes, sub, status and Enabled', async () => {
    const pool = await createPool();
    await createUser(pool, 'ivan', { UserAttributes: [{ Name: 'email', Value: 'ivan@example.com' }, { Name: 'name', Value: 'Ivan' }] });
    const got = await getUser(pool, 'ivan');
    assert.equal(got.Username, 'ivan');
    assert.equal(got.UserStatus, 'FORCE_CHANGE_PASSWORD');
    assert.equal(got.Enabled, true);
    assert.match(attr(got.UserAttributes, 'sub')!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(attr(got.UserAttributes, 'email'), 'ivan@example.com');
    assert.equal(attr(got.UserAttributes, 'name'), 'Ivan');
    assert.ok(got.UserCreateDate instanceof Date && got.UserLastModifiedDate instanceof Date);
    await assert.rejects(getUser(pool, 'nobody'), named2('UserNotFoundException', 'User does not exist.'));
  });
});

describe('user lifecycle', () => {
  test('disable blocks sign-in with "User is disabled."; enable restores it', async () => {
    const pool = await createPool();
    await createUser(pool, 'jo', { TemporaryPassword: PASSWORD });
    await cognate.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: 'jo', Password: PASSWORD, Permanent: true }));
    const before = (await signIn(pool, 'jo', PASSWORD)).AuthenticationResult!;
    await cognate.admin.send(new AdminDisableUserCommand({ UserPoolId: pool.poolId, Username: 'jo' }));
    assert.equal((await getUser(pool, 'jo')).Enabled, false);
    await assert.rejects(signIn(pool, 'jo', PASSWORD), named2('NotAuthorizedException', 'User is disabled.'));
    await cognate.admin.send(new AdminEnableUserCommand({ UserPoolId: pool.poolId, Username: 'jo' }));
    assert.equal((await getUser(pool, 'jo')).Enabled, true);
    const after = (await signIn(pool, 'jo', PASSWORD)).AuthenticationResult!;
    assert.ok(after.AccessToken);
    assert.equal((await cognate.app.send(new GetUserCommand({ AccessToken: after.AccessToken }))).Username, 'jo');
    // As in Cognito, disabling revoked the tokens issued before: enabling does not bring them back.
    await assert.rejects(cognate.app.send(new GetUserCommand({ AccessToken: before.AccessToken })), named('NotAuthorizedException'));
    await assert.rejects(
      cognate.admin.send(
        new AdminInitiateAuthCommand({
          UserPoolId: pool.poolId,
          ClientId: pool.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: before.RefreshToken! },
        }),
      ),
      named('NotAuthorizedException'),
    );
  });

  test('AdminDeleteUser removes the user', async () => {
    const pool = await createPool();
    await createUser(pool, 'kim');
    await cognate.admin.send(new AdminDeleteUserCommand({ UserPoolId: pool.poolId, Username: 'kim' }));
    await assert.rejects(getUser(pool, 'kim'), named('UserNotFoundException'));
    await assert.rejects(cognate.admin.send(new AdminDeleteUserCommand({ UserPoolId: pool.poolId, Username: 'kim' })), named('UserNotFoundException'));
  });

  test('AdminConfirmSignUp confirms an UNCONFIRMED user once', async () => {
    const pool = await createPool();
    await cognate.app.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'lee', Password: PASSWORD }));
    assert.equal((await getUser(pool, 'lee')).UserStatus, 'UNCONFIRMED');
    await cognate.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.poolId, Username: 'lee' }));
    assert.equal((await getUser(pool, 'lee')).UserStatus, 'CONFIRMED');
    assert.ok((await signIn(pool, 'lee', PASSWORD)).AuthenticationResult?.IdToken);
    await assert.rejects(
      cognate.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.poolId, Username: 'lee' })),
      named('NotAuthorizedException'),
    );
  });

  test('AdminSetUserPassword Permanent true confirms; false forces a change at next sign-in', async () => {
    const pool = await createPool();
    await createUser(pool, 'max');
    const set = (Password: string, Permanent: boolean) =>
      cognate.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: 'max', Password, Permanent }));
    await assert.rejects(set('weak', true), named('InvalidPasswordException'));

    await set(PASSWORD, true);
    assert.equal((await getUser(pool, 'max')).UserStatus, 'CONFIRMED');
    assert.ok((await signIn(pool, 'max', PASSWORD)).AuthenticationResult?.AccessToken);

    await set('Tempor4ry-Again', false);
    assert.equal((await getUser(pool, 'max')).UserStatus, 'FORCE_CHANGE_PASSWORD');
    await assert.rejects(signIn(pool, 'max', PASSWORD), named('NotAuthorizedException'));
    const challenge = await signIn(pool, 'max', 'Tempor4ry-Again');
    assert.equal(challenge.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    assert.ok((await newPassword(pool, 'max', 'Br4nd-New-Pass', challenge.Session)).AuthenticationResult?.AccessToken);
    assert.equal((await getUser(pool, 'max')).UserStatus, 'CONFIRMED');
  });

  test('the temporary password expires after TemporaryPasswordValidityDays', async () => {
    const pool = await createPool({ Policies: { PasswordPolicy: { MinimumLength: 8, TemporaryPasswordValidityDays: 1 } } });
    await createUser(pool, 'ned', { TemporaryPassword: 'Temp0rary-Pass' });
    advance(cognate, 23 * 3_600_000);
    assert.equal((await signIn(pool, 'ned', 'Temp0rary-Pass')).ChallengeName, 'NEW_PASSWORD_REQUIRED');
    advance(cognate, 2 * 3_600_000);
    await assert.rejects(signIn(pool, 'ned', 'Temp0rary-Pass'), named('NotAuthorizedException'));
  });
});

describe('usernames', () => {
  test('are case-insensitive by default', async () => {
    const pool = await createPool();
    await createUser(pool, 'Alice');
    const got = await getUser(pool, 'alice');
    assert.equal(got.Username, 'Alice');
    assert.equal((await getUser(pool, 'ALICE')).Username, 'Alice');
    await assert.rejects(createUser(pool, 'ALICE'), named('UsernameExistsException'));
  });

  test('with UsernameAttributes email the username is the sub and the email signs in', async () => {
    const pool = await createPool({ UsernameAttributes: ['email'] });
    const user = await createUser(pool, 'olga@example.com', { TemporaryPassword: 'Temp0rary-Pass' });
    const sub = attr(user.Attributes, 'sub');
    assert.match(user.Username!, /^[0-9a-f-]{36}$/);
    assert.equal(user.Username, sub);
    assert.equal(attr(user.Attributes, 'email'), 'olga@example.com');
    const got = await getUser(pool, 'olga@example.com');
    assert.equal(got.Username, sub);
    assert.equal((await getUser(pool, sub!)).Username, sub);
    assert.equal((await signIn(pool, 'olga@example.com', 'Temp0rary-Pass')).ChallengeName, 'NEW_PASSWORD_REQUIRED');
    await assert.rejects(createUser(pool, 'olga@example.com'), named('UsernameExistsException'));
    await assert.rejects(createUser(pool, 'OLGA@Example.com'), named('UsernameExistsException'), 'addresses compare ignoring case');
    assert.equal((await getUser(pool, 'Olga@EXAMPLE.com')).Username, sub);
    await assert.rejects(createUser(pool, 'not-an-email'), named('InvalidParameterException'));
  });
});

describe('ListUsers', () => {
  let pool: Pool;
  before(async () => {
    pool = await createPool();
    const people: [string, string, string][] = [
      ['pat', 'pat@example.com', 'red'],
      ['paula', 'paula@example.com', 'blue'],
      ['quinn', 'quinn@example.org', 'red'],
      ['ruth', 'ruth@example.org', 'green'],
      ['sam', 'sam@example.net', 'blue'],
    ];
    for (const [name, email, team] of people) {
      await createUser(pool, name, { UserAttributes: [{ Name: 'email', Value: email }, { Name: 'custom:team', Value: team }] });
    }
    await cognate.app.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'tess', Password: PASSWORD }));
    await cognate.admin.send(new AdminDisableUserCommand({ UserPoolId: pool.poolId, Username: 'ruth' }));
  });

  const list = async (Filter?: string, extra: { AttributesToGet?: string[] } = {}) =>
    (await cognate.admin.send(new ListUsersCommand({ UserPoolId: pool.poolId, Filter, ...extra }))).Users ?? [];
  const names = (users: UserType[]) => users.map((u) => u.Username).sort();

  test('filters by email, username prefix, status, enabled state and custom attribute', async () => {
    assert.deepEqual(names(await list('email = "quinn@example.org"')), ['quinn']);
    assert.deepEqual(names(await list('username ^= "pa"')), ['pat', 'paula']);
    assert.deepEqual(names(await list('username ^= "PA"')), ['pat', 'paula']);
    assert.deepEqual(names(await list('email ^= "sam@"')), ['sam']);
    assert.deepEqual(names(await list('cognito:user_status = "UNCONFIRMED"')), ['tess']);
    assert.deepEqual(names(await list('cognito:user_status = "FORCE_CHANGE_PASSWORD"')), ['pat', 'paula', 'quinn', 'ruth', 'sam']);
    assert.deepEqual(names(await list('status = "Disabled"')), ['ruth']);
    assert.deepEqual(names(await list('status = "Enabled"')), ['pat', 'paula', 'quinn', 'sam', 'tess']);
    assert.deepEqual(names(await list('custom:team = "blue"')), ['paula', 'sam']);
    assert.deepEqual(names(await list('email = "nobody@example.com"')), []);
    assert.deepEqual(names(await list()), ['pat', 'paula', 'quinn', 'ruth', 'sam', 'tess']);
  });

  test('AttributesToGet limits the attributes returned', async () => {
    const [user] = await list('username = "pat"', { AttributesToGet: ['email'] });
    assert.deepEqual(user?.Attributes, [{ Name: 'email', Value: 'pat@example.com' }]);
    assert.equal(user?.UserStatus, 'FORCE_CHANGE_PASSWORD');
    assert.equal(user?.Enabled, true);
    const [full] = await list('username = "pat"');
    assert.ok(attr(full?.Attributes, 'sub'));
    assert.equal(attr(full?.Attributes, 'custom:team'), 'red');
  });

  test('Limit and PaginationToken visit every user once', async () => {
    const seen: string[] = [];
    let PaginationToken: string | undefined;
    let pages = 0;
    do {
      const page = await cognate.admin.send(new ListUsersCommand({ UserPoolId: pool.poolId, Limit: 2, PaginationToken }));
      assert.ok(page.Users!.length <= 2);
      seen.push(...page.Users!.map((u) => u.Username!));
      PaginationToken = page.PaginationToken;
      pages++;
    } while (PaginationToken);
    assert.equal(pages, 3);
    assert.deepEqual(seen.sort(), ['pat', 'paula', 'quinn', 'ruth', 'sam', 'tess']);
  });

  test('a malformed filter or pagination token is InvalidParameterException', async () => {
    for (const filter of ['email = quinn@example.org', 'email == "x"', 'email', 'shoe_size = "9"', 'email = "a" and name = "b"']) {
      await assert.rejects(list(filter), named('InvalidParameterException'), filter);
    }
    await assert.rejects(
      cognate.admin.send(new ListUsersCommand({ UserPoolId: pool.poolId, PaginationToken: 'garbage!' })),
      named('InvalidParameterException'),
    );
  });
});
