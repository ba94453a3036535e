import {
  AdminDeleteUserCommand,
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminListDevicesCommand,
  AdminUpdateDeviceStatusCommand,
  AdminUserGlobalSignOutCommand,
  ConfirmDeviceCommand,
  ForgetDeviceCommand,
  GetDeviceCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ListDevicesCommand,
  UpdateDeviceStatusCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { advance, startCognate, type TestCognate } from './support/cognate.js';
import { accessTokenOf, assertChallenge, enrollTotp, mfaPool, newUser, nextCode, respond, TOTP_ON } from './support/mfa.js';
import { createPool, PASSWORD, type TestPool } from './support/pools.js';
import { cognitoTimestamp, DeviceSrpClient } from './support/srp-client.js';
import { errorName } from './support/users.js';

interface Enrolled {
  username: string;
  secret: string;
  device: DeviceSrpClient;
  accessToken: string;
}

function signInWith(cognate: TestCognate, pool: TestPool, username: string, deviceKey?: string) {
  return cognate.app.send(
    new InitiateAuthCommand({
      ClientId: pool.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD, ...(deviceKey ? { DEVICE_KEY: deviceKey } : {}) },
    }),
  );
}

/** TOTP sign-in that ends in tokens (and, in a tracking pool, NewDeviceMetadata). */
async function signInWithTotp(cognate: TestCognate, pool: TestPool, username: string, secret: string, deviceKey?: string): Promise<AuthenticationResultType> {
  const started = await signInWith(cognate, pool, username, deviceKey);
  const session = assertChallenge(started, 'SOFTWARE_TOKEN_MFA');
  const done = await respond(cognate, pool, 'SOFTWARE_TOKEN_MFA', session, { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: nextCode(cognate, secret) });
  return done.AuthenticationResult!;
}

/** DEVICE_SRP_AUTH then DEVICE_PASSWORD_VERIFIER, as the library answers them. */
async function proveDevice(cognate: TestCognate, pool: TestPool, username: string, device: DeviceSrpClient, session: string) {
  const srp = await respond(cognate, pool, 'DEVICE_SRP_AUTH', session, { USERNAME: username, DEVICE_KEY: device.deviceKey, SRP_A: device.srpA() });
  assert.equal(srp.ChallengeName, 'DEVICE_PASSWORD_VERIFIER');
  assert.equal(srp.AuthenticationResult, undefined);
  const params = srp.ChallengeParameters!;
  assert.ok(params.SALT && params.SRP_B && params.SECRET_BLOCK);
  return respond(cognate, pool, 'DEVICE_PASSWORD_VERIFIER', srp.Session, device.answer(params, username, cognitoTimestamp(new Date(cognate.clock.now()))));
}

describe('trusted devices (DeviceConfiguration) through the AWS SDK', () => {
  let cognate: TestCognate;
  let always: TestPool;
  let onPrompt: TestPool;

  /** A user with TOTP on, signed in once through MFA, with the device that sign-in issued confirmed. */
  async function enrolled(pool: TestPool, username: string): Promise<Enrolled> {
    await newUser(cognate, pool, username);
    const secret = await enrollTotp(cognate, await accessTokenOf(cognate, pool, username));
    const result = await signInWithTotp(cognate, pool, username, secret);
    const metadata = result.NewDeviceMetadata!;
    assert.match(metadata.DeviceKey!, new RegExp(`^${pool.poolId.split('_')[0]}_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`));
    assert.ok(metadata.DeviceGroupKey);
    const device = new DeviceSrpClient(metadata.DeviceKey!, metadata.DeviceGroupKey!);
    const confirmed = await cognate.app.send(
      new ConfirmDeviceCommand({ AccessToken: result.AccessToken, DeviceKey: device.deviceKey, DeviceSecretVerifierConfig: device.verifierConfig(), DeviceName: `${username}'s laptop` }),
    );
    assert.equal(confirmed.UserConfirmationNecessary, pool === onPrompt);
    return { username, secret, device, accessToken: result.AccessToken! };
  }

  before(async () => {
    cognate = await startCognate();
    always = await mfaPool(cognate, { MfaConfiguration: 'OPTIONAL', ...TOTP_ON }, { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false } });
    onPrompt = await mfaPool(cognate, { MfaConfiguration: 'OPTIONAL', ...TOTP_ON }, { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true } });
  });
  after(() => cognate.close());

  it('issues no device where the pool does not track devices', async () => {
    const plain = await createPool(cognate);
    await newUser(cognate, plain, 'nodevice');
    const { AuthenticationResult } = await signInWith(cognate, plain, 'nodevice');
    assert.ok(AuthenticationResult?.AccessToken);
    assert.equal(AuthenticationResult.NewDeviceMetadata, undefined);
  });

  it('confirms a device, shows it, and lets it sign in through DEVICE_SRP_AUTH without MFA', async () => {
    const ann = await enrolled(always, 'ann');
    const { Device } = await cognate.app.send(new GetDeviceCommand({ AccessToken: ann.accessToken, DeviceKey: ann.device.deviceKey }));
    assert.equal(Device?.DeviceKey, ann.device.deviceKey);
    assert.deepEqual(Device?.DeviceAttributes, [{ Name: 'device_name', Value: "ann's laptop" }, { Name: 'device_status', Value: 'remembered' }]);
    assert.ok(Device?.DeviceCreateDate instanceof Date && Device.DeviceLastModifiedDate instanceof Date);

    const started = await signInWith(cognate, always, 'ann', ann.device.deviceKey);
    const session = assertChallenge(started, 'DEVICE_SRP_AUTH');
    const done = await proveDevice(cognate, always, 'ann', ann.device, session);
    assert.ok(done.AuthenticationResult?.AccessToken, 'tokens without the TOTP code');
    assert.equal(done.AuthenticationResult.NewDeviceMetadata, undefined, 'a known device is not issued again');
    const after = await cognate.app.send(new GetDeviceCommand({ AccessToken: ann.accessToken, DeviceKey: ann.device.deviceKey }));
    assert.ok(after.Device?.DeviceLastAuthenticatedDate instanceof Date);

    // The device key can also arrive with the PASSWORD_VERIFIER answer (amazon-cognito-identity-js does that); see devices-identity-js.
    // GlobalSignOut ends sessions, not devices, as in Cognito: the library keeps its device keys across it.
    await cognate.app.send(new GlobalSignOutCommand({ AccessToken: done.AuthenticationResult.AccessToken }));
    await cognate.admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: always.poolId, Username: 'ann' }));
    advance(cognate, 1000);
    const afterSignOut = await signInWith(cognate, always, 'ann', ann.device.deviceKey);
    const again = await proveDevice(cognate, always, 'ann', ann.device, assertChallenge(afterSignOut, 'DEVICE_SRP_AUTH'));
    assert.ok(again.AuthenticationResult?.AccessToken);
  });

  it('answers UserConfirmationNecessary in opt-in pools, and trusts the device only once remembered', async () => {
    await newUser(cognate, onPrompt, 'bea');
    const secret = await enrollTotp(cognate, await accessTokenOf(cognate, onPrompt, 'bea'));
    const result = await signInWithTotp(cognate, onPrompt, 'bea', secret);
    const device = new DeviceSrpClient(result.NewDeviceMetadata!.DeviceKey!, result.NewDeviceMetadata!.DeviceGroupKey!);
    const confirmed = await cognate.app.send(new ConfirmDeviceCommand({ AccessToken: result.AccessToken, DeviceKey: device.deviceKey, DeviceSecretVerifierConfig: device.verifierConfig() }));
    assert.equal(confirmed.UserConfirmationNecessary, true);
    const { Device } = await cognate.app.send(new GetDeviceCommand({ AccessToken: result.AccessToken, DeviceKey: device.deviceKey }));
    assert.deepEqual(Device?.DeviceAttributes, [{ Name: 'device_status', Value: 'not_remembered' }]);

    const notYet = await signInWithTotp(cognate, onPrompt, 'bea', secret, device.deviceKey);
    assert.equal(notYet.NewDeviceMetadata, undefined, 'a confirmed device is not issued again, remembered or not');
    await cognate.app.send(new UpdateDeviceStatusCommand({ AccessToken: result.AccessToken, DeviceKey: device.deviceKey, DeviceRememberedStatus: 'remembered' }));
    const trusted = await signInWith(cognate, onPrompt, 'bea', device.deviceKey);
    assert.ok((await proveDevice(cognate, onPrompt, 'bea', device, assertChallenge(trusted, 'DEVICE_SRP_AUTH'))).AuthenticationResult?.AccessToken);

    await cognate.admin.send(new AdminUpdateDeviceStatusCommand({ UserPoolId: onPrompt.poolId, Username: 'bea', DeviceKey: device.deviceKey, DeviceRememberedStatus: 'not_remembered' }));
    assertChallenge(await signInWith(cognate, onPrompt, 'bea', device.deviceKey), 'SOFTWARE_TOKEN_MFA');
    await assert.rejects(
      cognate.app.send(new UpdateDeviceStatusCommand({ AccessToken: result.AccessToken, DeviceKey: device.deviceKey, DeviceRememberedStatus: 'forever' as never })),
      errorName('InvalidParameterException'),
    );
  });

  it('lists, pages, forgets and (admin) manages devices', async () => {
    const cid = await enrolled(always, 'cid');
    const second = await signInWithTotp(cognate, always, 'cid', cid.secret);
    const other = new DeviceSrpClient(second.NewDeviceMetadata!.DeviceKey!, second.NewDeviceMetadata!.DeviceGroupKey!);
    await cognate.app.send(new ConfirmDeviceCommand({ AccessToken: second.AccessToken, DeviceKey: other.deviceKey, DeviceSecretVerifierConfig: other.verifierConfig(), DeviceName: 'phone' }));

    const all = await cognate.app.send(new ListDevicesCommand({ AccessToken: cid.accessToken }));
    assert.deepEqual(all.Devices?.map((d) => d.DeviceKey), [cid.device.deviceKey, other.deviceKey], 'confirmed devices only, oldest first');
    assert.equal(all.PaginationToken, undefined);
    const page1 = await cognate.admin.send(new AdminListDevicesCommand({ UserPoolId: always.poolId, Username: 'cid', Limit: 1 }));
    assert.deepEqual(page1.Devices?.map((d) => d.DeviceKey), [cid.device.deviceKey]);
    assert.ok(page1.PaginationToken);
    const page2 = await cognate.admin.send(new AdminListDevicesCommand({ UserPoolId: always.poolId, Username: 'cid', Limit: 1, PaginationToken: page1.PaginationToken }));
    assert.deepEqual(page2.Devices?.map((d) => d.DeviceKey), [other.deviceKey]);
    assert.equal(page2.PaginationToken, undefined);

    const { Device } = await cognate.admin.send(new AdminGetDeviceCommand({ UserPoolId: always.poolId, Username: 'cid', DeviceKey: other.deviceKey }));
    assert.equal(Device?.DeviceAttributes?.find((a) => a.Name === 'device_name')?.Value, 'phone');

    await cognate.app.send(new ForgetDeviceCommand({ AccessToken: cid.accessToken, DeviceKey: cid.device.deviceKey }));
    await assert.rejects(cognate.app.send(new GetDeviceCommand({ AccessToken: cid.accessToken, DeviceKey: cid.device.deviceKey })), errorName('ResourceNotFoundException'));
    // A forgotten device is a stranger: MFA again, and a new device at the end.
    const afterForget = await signInWithTotp(cognate, always, 'cid', cid.secret, cid.device.deviceKey);
    assert.ok(afterForget.NewDeviceMetadata?.DeviceKey);
    assert.notEqual(afterForget.NewDeviceMetadata.DeviceKey, cid.device.deviceKey);

    await cognate.admin.send(new AdminForgetDeviceCommand({ UserPoolId: always.poolId, Username: 'cid', DeviceKey: other.deviceKey }));
    assert.deepEqual((await cognate.app.send(new ListDevicesCommand({ AccessToken: cid.accessToken }))).Devices, []);
    await assert.rejects(
      cognate.admin.send(new AdminListDevicesCommand({ UserPoolId: always.poolId, Username: 'nobody-here' })),
      errorName('UserNotFoundException'),
    );
  });

  it('refuses unknown devices, other users\' devices, unconfirmed ones and double confirmation', async () => {
    const dan = await enrolled(always, 'dan');
    const eve = await enrolled(always, 'eve');
    const unknown = `${always.poolId.split('_')[0]}_00000000-0000-4000-8000-000000000000`;
    for (const key of [unknown, eve.device.deviceKey]) {
      await assert.rejects(cognate.app.send(new GetDeviceCommand({ AccessToken: dan.accessToken, DeviceKey: key })), errorName('ResourceNotFoundException'));
      await assert.rejects(cognate.app.send(new ForgetDeviceCommand({ AccessToken: dan.accessToken, DeviceKey: key })), errorName('ResourceNotFoundException'));
      await assert.rejects(
        cognate.app.send(new UpdateDeviceStatusCommand({ AccessToken: dan.accessToken, DeviceKey: key, DeviceRememberedStatus: 'remembered' })),
        errorName('ResourceNotFoundException'),
      );
      await assert.rejects(
        cognate.admin.send(new AdminGetDeviceCommand({ UserPoolId: always.poolId, Username: 'dan', DeviceKey: key })),
        errorName('ResourceNotFoundException'),
      );
      // Signing in with it is an ordinary sign-in: MFA applies.
      assertChallenge(await signInWith(cognate, always, 'dan', key), 'SOFTWARE_TOKEN_MFA');
    }
    await assert.rejects(
      cognate.app.send(new ConfirmDeviceCommand({ AccessToken: dan.accessToken, DeviceKey: eve.device.deviceKey, DeviceSecretVerifierConfig: dan.device.verifierConfig() })),
      errorName('ResourceNotFoundException'),
      'a device of another user cannot be taken over',
    );
    await assert.rejects(
      cognate.app.send(new ConfirmDeviceCommand({ AccessToken: dan.accessToken, DeviceKey: dan.device.deviceKey, DeviceSecretVerifierConfig: new DeviceSrpClient(dan.device.deviceKey, dan.device.groupKey).verifierConfig() })),
      errorName('ResourceNotFoundException'),
      'a confirmed device keeps its verifier',
    );
    assert.equal((await cognate.app.send(new ListDevicesCommand({ AccessToken: eve.accessToken }))).Devices?.length, 1);
  });

  it('refuses a wrong device claim, a wrong DEVICE_KEY and a replayed session', async () => {
    const fay = await enrolled(always, 'fay');
    // A client that has the key but not the device secret (its verifier differs).
    const impostor = new DeviceSrpClient(fay.device.deviceKey, fay.device.groupKey);
    const started = await signInWith(cognate, always, 'fay', fay.device.deviceKey);
    await assert.rejects(proveDevice(cognate, always, 'fay', impostor, assertChallenge(started, 'DEVICE_SRP_AUTH')), errorName('NotAuthorizedException'));

    const second = await signInWith(cognate, always, 'fay', fay.device.deviceKey);
    await assert.rejects(
      respond(cognate, always, 'DEVICE_SRP_AUTH', second.Session, { USERNAME: 'fay', DEVICE_KEY: `${fay.device.deviceKey.slice(0, -1)}${fay.device.deviceKey.endsWith('0') ? '1' : '0'}`, SRP_A: fay.device.srpA() }),
      errorName('NotAuthorizedException'),
    );

    const third = await signInWith(cognate, always, 'fay', fay.device.deviceKey);
    const srp = await respond(cognate, always, 'DEVICE_SRP_AUTH', third.Session, { USERNAME: 'fay', DEVICE_KEY: fay.device.deviceKey, SRP_A: fay.device.srpA() });
    const answer = fay.device.answer(srp.ChallengeParameters!, 'fay', cognitoTimestamp(new Date(cognate.clock.now())));
    const tampered = { ...answer, PASSWORD_CLAIM_SIGNATURE: Buffer.alloc(32).toString('base64') };
    await assert.rejects(respond(cognate, always, 'DEVICE_PASSWORD_VERIFIER', srp.Session, tampered), errorName('NotAuthorizedException'));
    // The session was used up by the wrong claim; the right one cannot follow on it.
    await assert.rejects(respond(cognate, always, 'DEVICE_PASSWORD_VERIFIER', srp.Session, answer), errorName('NotAuthorizedException'));

    // A claim signed ten minutes off Cognate's clock is refused, as for PASSWORD_VERIFIER.
    const skewed = await signInWith(cognate, always, 'fay', fay.device.deviceKey);
    const skewedSrp = await respond(cognate, always, 'DEVICE_SRP_AUTH', skewed.Session, { USERNAME: 'fay', DEVICE_KEY: fay.device.deviceKey, SRP_A: fay.device.srpA() });
    const late = fay.device.answer(skewedSrp.ChallengeParameters!, 'fay', cognitoTimestamp(new Date(cognate.clock.now() - 600_000)));
    await assert.rejects(respond(cognate, always, 'DEVICE_PASSWORD_VERIFIER', skewedSrp.Session, late), errorName('NotAuthorizedException'));

    // Another user's sign-in cannot use this device.
    await enrolled(always, 'kit');
    assertChallenge(await signInWith(cognate, always, 'kit', fay.device.deviceKey), 'SOFTWARE_TOKEN_MFA');

    const fourth = await signInWith(cognate, always, 'fay', fay.device.deviceKey);
    const ok = await proveDevice(cognate, always, 'fay', fay.device, assertChallenge(fourth, 'DEVICE_SRP_AUTH'));
    assert.ok(ok.AuthenticationResult?.AccessToken);
    // A device proof cannot stand in for another challenge, nor be answered twice.
    await assert.rejects(respond(cognate, always, 'SOFTWARE_TOKEN_MFA', fourth.Session, { USERNAME: 'fay', SOFTWARE_TOKEN_MFA_CODE: '123456' }), errorName('NotAuthorizedException'));
  });

  it('works through AdminInitiateAuth and AdminRespondToAuthChallenge', async () => {
    const jon = await enrolled(always, 'jon');
    const started = await cognate.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: always.poolId, ClientId: always.clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'jon', PASSWORD, DEVICE_KEY: jon.device.deviceKey },
      }),
    );
    const adminRespond = (name: 'DEVICE_SRP_AUTH' | 'DEVICE_PASSWORD_VERIFIER', session: string | undefined, responses: Record<string, string>) =>
      cognate.admin.send(new AdminRespondToAuthChallengeCommand({ UserPoolId: always.poolId, ClientId: always.clientId, ChallengeName: name, Session: session, ChallengeResponses: responses }));
    const srp = await adminRespond('DEVICE_SRP_AUTH', assertChallenge(started, 'DEVICE_SRP_AUTH'), { USERNAME: 'jon', DEVICE_KEY: jon.device.deviceKey, SRP_A: jon.device.srpA() });
    const done = await adminRespond('DEVICE_PASSWORD_VERIFIER', srp.Session, jon.device.answer(srp.ChallengeParameters!, 'jon', cognitoTimestamp(new Date(cognate.clock.now()))));
    assert.ok(done.AuthenticationResult?.AccessToken);
  });

  it('keeps MFA on remembered devices unless ChallengeRequiredOnNewDevice is true', async () => {
    const strict = await mfaPool(cognate, { MfaConfiguration: 'OPTIONAL', ...TOTP_ON }, { DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false } });
    const hal = await enrolled(strict, 'hal');
    const { Device } = await cognate.app.send(new GetDeviceCommand({ AccessToken: hal.accessToken, DeviceKey: hal.device.deviceKey }));
    assert.equal(Device?.DeviceAttributes?.find((a) => a.Name === 'device_status')?.Value, 'remembered');
    const result = await signInWithTotp(cognate, strict, 'hal', hal.secret, hal.device.deviceKey);
    assert.ok(result.AccessToken, 'MFA, then tokens');
    assert.equal(result.NewDeviceMetadata, undefined, 'the device is known');

    // Without MFA owed, the remembered device still proves itself.
    await newUser(cognate, strict, 'ida');
    const first = await signInWith(cognate, strict, 'ida');
    const device = new DeviceSrpClient(first.AuthenticationResult!.NewDeviceMetadata!.DeviceKey!, first.AuthenticationResult!.NewDeviceMetadata!.DeviceGroupKey!);
    await cognate.app.send(new ConfirmDeviceCommand({ AccessToken: first.AuthenticationResult!.AccessToken, DeviceKey: device.deviceKey, DeviceSecretVerifierConfig: device.verifierConfig() }));
    const started = await signInWith(cognate, strict, 'ida', device.deviceKey);
    assert.ok((await proveDevice(cognate, strict, 'ida', device, assertChallenge(started, 'DEVICE_SRP_AUTH'))).AuthenticationResult?.AccessToken);
  });

  it('removes the devices of a deleted user', async () => {
    const gus = await enrolled(always, 'gus');
    await cognate.admin.send(new AdminDeleteUserCommand({ UserPoolId: always.poolId, Username: 'gus' }));
    await newUser(cognate, always, 'gus');
    // A new user of the same name has no MFA and none of the old devices: the old key is a stranger.
    const { AuthenticationResult } = await signInWith(cognate, always, 'gus', gus.device.deviceKey);
    assert.ok(AuthenticationResult?.NewDeviceMetadata?.DeviceKey);
    assert.notEqual(AuthenticationResult.NewDeviceMetadata.DeviceKey, gus.device.deviceKey);
    await assert.rejects(
      cognate.admin.send(new AdminGetDeviceCommand({ UserPoolId: always.poolId, Username: 'gus', DeviceKey: gus.device.deviceKey })),
      errorName('ResourceNotFoundException'),
    );
  });
});
