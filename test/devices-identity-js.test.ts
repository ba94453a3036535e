import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  type CognitoUserSession,
  type ICognitoStorage,
} from 'amazon-cognito-identity-js';
import { AdminListDevicesCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { advance, startCognate, type TestCognate } from './support/cognate.js';
import { codeNow, mfaPool, TOTP_ON } from './support/mfa.js';
import type { TestPool } from './support/pools.js';

const PASSWORD = 'Device-Pangolin-Passw0rd';

/** The browser's localStorage, in memory: what the library keeps device keys and tokens in between sign-ins. */
class MemoryStorage implements ICognitoStorage {
  readonly items = new Map<string, string>();
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  clear(): void {
    this.items.clear();
  }
}

type Outcome = { session: CognitoUserSession; confirmationNecessary?: boolean } | { totp: string };

function authenticate(user: CognitoUser, password: string): Promise<Outcome> {
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), {
      onSuccess: (session, confirmationNecessary) => resolve({ session, ...(confirmationNecessary ? { confirmationNecessary } : {}) }),
      onFailure: reject,
      totpRequired: (challengeName) => resolve({ totp: challengeName }),
      mfaRequired: (challengeName) => reject(new Error(`unexpected ${challengeName}`)),
      mfaSetup: (challengeName) => reject(new Error(`unexpected ${challengeName}`)),
      selectMFAType: (challengeName) => reject(new Error(`unexpected ${challengeName}`)),
    }),
  );
}

function sendTotp(user: CognitoUser, code: string): Promise<{ session: CognitoUserSession; confirmationNecessary?: boolean }> {
  return new Promise((resolve, reject) =>
    user.sendMFACode(code, { onSuccess: (session, confirmationNecessary) => resolve({ session, confirmationNecessary }), onFailure: reject }, 'SOFTWARE_TOKEN_MFA'),
  );
}

describe('remembered devices with amazon-cognito-identity-js', () => {
  let cognate: TestCognate;
  let pool: TestPool;

  before(async () => {
    cognate = await startCognate();
    pool = await mfaPool(
      cognate,
      { MfaConfiguration: 'OPTIONAL', ...TOTP_ON },
      { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true } },
      { ExplicitAuthFlows: undefined },
    );
  });
  after(() => cognate.close());

  it('signs in with SRP and TOTP, confirms and remembers its device, then signs in through DEVICE_SRP_AUTH without MFA', async () => {
    // Enrolment happens on another browser: its own storage, its own device.
    const elsewhere = new CognitoUserPool({ UserPoolId: pool.poolId, ClientId: pool.clientId, endpoint: cognate.url, Storage: new MemoryStorage() });
    await new Promise<void>((resolve, reject) =>
      elsewhere.signUp('dora', PASSWORD, [new CognitoUserAttribute({ Name: 'email', Value: 'dora@example.com' })], [], (error) => (error ? reject(error) : resolve())),
    );
    const enrolling = new CognitoUser({ Username: 'dora', Pool: elsewhere });
    const code = cognate.inbox.last('dora@example.com').code;
    await new Promise<void>((resolve, reject) => enrolling.confirmRegistration(code, false, (error) => (error ? reject(error) : resolve())));
    const first = await authenticate(enrolling, PASSWORD);
    assert.ok('session' in first && first.confirmationNecessary === true, 'a new device is confirmed, and the pool asks the user before remembering it');
    const secret = await new Promise<string>((resolve, reject) => enrolling.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
    await new Promise((resolve, reject) => enrolling.verifySoftwareToken(codeNow(cognate, secret), 'dora phone', { onSuccess: resolve, onFailure: reject }));
    await new Promise((resolve, reject) =>
      enrolling.setUserMfaPreference(null, { PreferredMfa: true, Enabled: true }, (error, result) => (error ? reject(error) : resolve(result))),
    );
    advance(cognate, 30_000);

    // The browser under test: one storage across every sign-in, as localStorage would be.
    const storage = new MemoryStorage();
    const userPool = new CognitoUserPool({ UserPoolId: pool.poolId, ClientId: pool.clientId, endpoint: cognate.url, Storage: storage });
    const user = new CognitoUser({ Username: 'dora', Pool: userPool, Storage: storage });
    assert.deepEqual(await authenticate(user, PASSWORD), { totp: 'SOFTWARE_TOKEN_MFA' }, 'a new device gets MFA');
    const mfaDone = await sendTotp(user, codeNow(cognate, secret));
    assert.ok(mfaDone.session.isValid());
    assert.equal(mfaDone.confirmationNecessary, true, 'the library confirmed the new device by itself');
    const deviceKey = [...storage.items].find(([k]) => k.endsWith('.deviceKey'))?.[1];
    assert.match(deviceKey ?? '', /^[\w-]+_[0-9a-f-]{36}$/);
    await new Promise((resolve, reject) => user.setDeviceStatusRemembered({ onSuccess: resolve, onFailure: reject }));

    const { Devices } = await cognate.admin.send(new AdminListDevicesCommand({ UserPoolId: pool.poolId, Username: 'dora' }));
    assert.equal(Devices?.length, 2, 'both browsers are known devices');
    const remembered = Devices!.find((d) => d.DeviceKey === deviceKey)!;
    assert.equal(remembered.DeviceAttributes?.find((a) => a.Name === 'device_status')?.Value, 'remembered');
    assert.ok(remembered.DeviceAttributes?.find((a) => a.Name === 'device_name')?.Value, 'the library names the device after its user agent');

    // Signed out, a new sign-in on this device: the library answers DEVICE_SRP_AUTH itself, and no MFA is asked.
    user.signOut();
    advance(cognate, 30_000);
    const again = new CognitoUser({ Username: 'dora', Pool: userPool, Storage: storage });
    const trusted = await authenticate(again, PASSWORD);
    assert.ok('session' in trusted, 'a remembered device skips MFA');
    assert.ok(trusted.session.isValid());
    assert.equal(trusted.session.getIdToken().decodePayload()['cognito:username'], 'dora');
    const devices = await new Promise<{ Devices: { DeviceKey: string; DeviceLastAuthenticatedDate: number }[] }>((resolve, reject) =>
      again.listDevices(10, null, { onSuccess: resolve as never, onFailure: reject }),
    );
    assert.equal(devices.Devices.length, 2);

    // globalSignOut clears the library's tokens but keeps its device keys; the device stays trusted, as in Cognito.
    await new Promise((resolve, reject) => again.globalSignOut({ onSuccess: resolve, onFailure: reject }));
    const third = new CognitoUser({ Username: 'dora', Pool: userPool, Storage: storage });
    const afterGlobal = await authenticate(third, PASSWORD);
    assert.ok('session' in afterGlobal && afterGlobal.session.isValid(), 'still no MFA after a global sign-out');

    // The enrolment browser's device was never remembered: it still gets MFA.
    const other = new CognitoUser({ Username: 'dora', Pool: elsewhere });
    assert.deepEqual(await authenticate(other, PASSWORD), { totp: 'SOFTWARE_TOKEN_MFA' });

    // Forgotten, the device is a stranger again: MFA, and a new device to confirm.
    await new Promise((resolve, reject) => third.forgetDevice({ onSuccess: resolve, onFailure: reject }));
    advance(cognate, 30_000);
    const afterForget = new CognitoUser({ Username: 'dora', Pool: userPool, Storage: storage });
    assert.deepEqual(await authenticate(afterForget, PASSWORD), { totp: 'SOFTWARE_TOKEN_MFA' }, 'MFA again once the device is forgotten');
    const renewed = await sendTotp(afterForget, codeNow(cognate, secret));
    assert.equal(renewed.confirmationNecessary, true, 'a new device was issued and confirmed');
    const newKey = [...storage.items].find(([k]) => k.endsWith('.deviceKey'))?.[1];
    assert.notEqual(newKey, deviceKey);
  });
});
