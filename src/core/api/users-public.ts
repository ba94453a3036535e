import { CodeMismatchError, InvalidParameterError, NotAuthorizedError, UsernameExistsError } from '../../errors.js';
import type { ClientRecord, PoolRecord, UserRecord } from '../../ports.js';
import { passwordCredentials, replacePassword } from '../auth/credentials.js';
import { findUserForSignIn } from '../auth/lookup.js';
import { checkSecretHash } from '../auth/secret-hash.js';
import { unknownUser } from '../auth/sign-in.js';
import type { Core } from '../context.js';
import { hmac } from '../crypto.js';
import { attributeList as userAttributes, checkRequired, validateWrite } from '../directory/attributes.js';
import { preventsUserExistenceErrors } from '../directory/client-config.js';
import { consumeCode, issueCode, RESET_CODE_TTL_MS, SIGNUP_CODE_TTL_MS } from '../directory/codes.js';
import { checkPassword } from '../directory/password-policy.js';
import { allowAdminCreateUserOnly, autoVerifiedAttributes, passwordPolicy, usernameAttributes } from '../directory/pool-config.js';
import { claimAliases, prepareUser } from '../directory/users.js';
import { mfaSummary } from '../mfa/factors.js';
import { deliverCode, maskDestination, verificationDestination, type CodeDeliveryDetails, type Destination } from '../messages/deliver.js';
import { verifyAccessToken } from '../tokens/verify-access.js';
import { attributeList, clientIdOf, optionalBool, optionalString, requiredString, USERNAME, type Input } from './input.js';
import { poolOfClient } from './resolve.js';

const USERNAME_RULE = { min: 1, max: 128, pattern: USERNAME };

/** Verification goes to the phone when the pool verifies phones, as Cognito prefers SMS. */
function signUpDestination(pool: PoolRecord, user: UserRecord): Destination | undefined {
  const auto = autoVerifiedAttributes(pool.config);
  return verificationDestination(['phone_number', 'email'].filter((a) => auto.includes(a)), user);
}

/**
 * What an unknown user is told when the client hides whether users exist: a delivery
 * that looks real and is stable for the same name, so repeating the call reveals nothing.
 */
async function decoyDelivery(core: Core, name: string): Promise<CodeDeliveryDetails> {
  if (/@/.test(name)) return maskDestination({ channel: 'email', to: name });
  const letter = String.fromCharCode(97 + ((await hmac(core.codeKey, `decoy:${name}`))[0]! % 26));
  return maskDestination({ channel: 'email', to: `${name}@${letter}` });
}

/**
 * The delivery a taken name's sign-up reports: masked from the address the caller just
 * typed, where a fresh sign-up would have sent its code, so the answer matches one.
 */
function decoySignUpDelivery(pool: PoolRecord, name: string, attributes: Record<string, string>): { CodeDeliveryDetails?: CodeDeliveryDetails } {
  const asName = usernameAttributes(pool.config);
  const typed = { ...attributes };
  if (asName.includes('email') && /@/.test(name)) typed.email = name;
  else if (asName.includes('phone_number') && name.startsWith('+')) typed.phone_number = name;
  const destination = signUpDestination(pool, { attributes: typed } as UserRecord);
  return destination ? { CodeDeliveryDetails: maskDestination(destination) } : {};
}

async function publicUser(core: Core, pool: PoolRecord, client: ClientRecord, input: Input) {
  const name = requiredString(input, 'Username', USERNAME_RULE);
  await checkSecretHash(core, client, [name], optionalString(input, 'SecretHash'));
  return { name, user: await findUserForSignIn(core, pool, name) };
}

export async function signUp(core: Core, input: Input) {
  const { pool, client } = await poolOfClient(core, clientIdOf(input));
  if (allowAdminCreateUserOnly(pool.config)) throw new NotAuthorizedError('SignUp is not permitted for this user pool');
  const name = requiredString(input, 'Username', USERNAME_RULE);
  await checkSecretHash(core, client, [name], optionalString(input, 'SecretHash'));
  const password = requiredString(input, 'Password', { min: 1, max: 256 });
  checkPassword(passwordPolicy(pool.config), password);
  const attributes = validateWrite(pool, attributeList(input, 'UserAttributes') ?? [], { client });
  let user: UserRecord;
  try {
    user = await prepareUser(core, pool, name, attributes, 'UNCONFIRMED');
    checkRequired(pool, user.attributes);
    Object.assign(user, await passwordCredentials(core, pool, user.username, password));
    await core.store.users.insert(user);
  } catch (error) {
    // Beyond Cognito: with PreventUserExistenceErrors a taken username looks like a fresh sign-up.
    if (error instanceof UsernameExistsError && preventsUserExistenceErrors(client.config)) {
      return { UserConfirmed: false, UserSub: core.random.uuid(), ...decoySignUpDelivery(pool, name, attributes) };
    }
    throw error;
  }
  await core.store.audit.record({ poolId: pool.id, type: 'sign_up', sub: user.sub, clientId: client.id, createdAt: core.clock.now() });
  const destination = signUpDestination(pool, user);
  if (!destination) return { UserConfirmed: false, UserSub: user.sub };
  const code = await issueCode(core, user, 'signup', SIGNUP_CODE_TTL_MS);
  const details = await deliverCode(core, pool, user, destination, 'CustomMessage_SignUp', code);
  return { UserConfirmed: false, UserSub: user.sub, CodeDeliveryDetails: details };
}

export async function confirmSignUp(core: Core, input: Input) {
  const { pool, client } = await poolOfClient(core, clientIdOf(input));
  const code = requiredString(input, 'ConfirmationCode', { min: 1, max: 2048 });
  const { user } = await publicUser(core, pool, client, input);
  if (!user) {
    if (preventsUserExistenceErrors(client.config)) throw new CodeMismatchError('Invalid verification code provided, please try again.');
    throw unknownUser(client);
  }
  if (user.status !== 'UNCONFIRMED') throw new NotAuthorizedError(`User cannot be confirmed. Current status is ${user.status}`);
  await consumeCode(core, user, 'signup', code);
  const destination = signUpDestination(pool, user);
  const attributes = { ...user.attributes };
  if (destination) attributes[destination.channel === 'email' ? 'email_verified' : 'phone_number_verified'] = 'true';
  const confirmed: UserRecord = { ...user, attributes, status: 'CONFIRMED', updatedAt: core.clock.now() };
  await claimAliases(core, pool, confirmed, optionalBool(input, 'ForceAliasCreation') === true);
  await core.store.users.update(confirmed);
  await core.store.audit.record({ poolId: pool.id, type: 'confirm_sign_up', sub: user.sub, clientId: client.id, createdAt: core.clock.now() });
  return {};
}

export async function resendConfirmationCode(core: Core, input: Input) {
  const { pool, client } = await poolOfClient(core, clientIdOf(input));
  const { name, user } = await publicUser(core, pool, client, input);
  if (!user) {
    if (preventsUserExistenceErrors(client.config)) return { CodeDeliveryDetails: await decoyDelivery(core, name) };
    throw unknownUser(client);
  }
  if (user.status !== 'UNCONFIRMED') throw new InvalidParameterError('User is already confirmed.');
  const destination = signUpDestination(pool, user);
  if (!destination) throw new InvalidParameterError('Auto verification not turned on.');
  const code = await issueCode(core, user, 'signup', SIGNUP_CODE_TTL_MS);
  return { CodeDeliveryDetails: await deliverCode(core, pool, user, destination, 'CustomMessage_ResendCode', code) };
}

/** Recovery follows AccountRecoverySetting's priorities, and only to a verified address. */
export function recoveryDestination(pool: PoolRecord, user: UserRecord): Destination | undefined {
  const setting = pool.config.AccountRecoverySetting as { RecoveryMechanisms?: { Priority: number; Name: string }[] } | undefined;
  const mechanisms = [...(setting?.RecoveryMechanisms ?? [])].sort((a, b) => a.Priority - b.Priority);
  for (const { Name } of mechanisms) {
    if (Name === 'verified_email' && user.attributes.email && user.attributes.email_verified === 'true') {
      return { channel: 'email', to: user.attributes.email };
    }
    if (Name === 'verified_phone_number' && user.attributes.phone_number && user.attributes.phone_number_verified === 'true') {
      return { channel: 'sms', to: user.attributes.phone_number };
    }
  }
  return undefined;
}

export async function forgotPassword(core: Core, input: Input) {
  const { pool, client } = await poolOfClient(core, clientIdOf(input));
  const { name, user } = await publicUser(core, pool, client, input);
  const hide = preventsUserExistenceErrors(client.config);
  if (!user) {
    if (hide) return { CodeDeliveryDetails: await decoyDelivery(core, name) };
    throw unknownUser(client);
  }
  if (!user.enabled) throw new NotAuthorizedError('User is disabled.');
  // A federated user has no password here to reset: its provider is where it signs in.
  const destination = user.status === 'EXTERNAL_PROVIDER' ? undefined : recoveryDestination(pool, user);
  if (!destination) {
    if (hide) return { CodeDeliveryDetails: await decoyDelivery(core, name) };
    throw new InvalidParameterError('Cannot reset password for the user as there is no registered/verified email or phone_number');
  }
  const code = await issueCode(core, user, 'reset', RESET_CODE_TTL_MS);
  await core.store.audit.record({ poolId: pool.id, type: 'forgot_password', sub: user.sub, clientId: client.id, createdAt: core.clock.now() });
  return { CodeDeliveryDetails: await deliverCode(core, pool, user, destination, 'CustomMessage_ForgotPassword', code) };
}

export async function confirmForgotPassword(core: Core, input: Input) {
  const { pool, client } = await poolOfClient(core, clientIdOf(input));
  const code = requiredString(input, 'ConfirmationCode', { min: 1, max: 2048 });
  const password = requiredString(input, 'Password', { min: 1, max: 256 });
  const { user } = await publicUser(core, pool, client, input);
  if (!user) {
    if (preventsUserExistenceErrors(client.config)) throw new CodeMismatchError('Invalid verification code provided, please try again.');
    throw unknownUser(client);
  }
  checkPassword(passwordPolicy(pool.config), password);
  await consumeCode(core, user, 'reset', code);
  const now = core.clock.now();
  await core.store.users.update({ ...user, ...(await replacePassword(core, pool, user, password)), status: 'CONFIRMED', updatedAt: now });
  await core.store.audit.record({ poolId: pool.id, type: 'password_reset', sub: user.sub, clientId: client.id, createdAt: now });
  return {};
}

const ADMIN_SCOPE = 'aws.cognito.signin.user.admin';

/** Self-service calls need the admin scope, which OAuth clients may not have been granted. */
export async function selfService(core: Core, input: Input) {
  const verified = await verifyAccessToken(core, requiredString(input, 'AccessToken'));
  const scopes = String(verified.claims.scope ?? '').split(' ');
  if (!scopes.includes(ADMIN_SCOPE)) throw new NotAuthorizedError('Access Token does not have required scopes');
  return verified;
}

export async function changePassword(core: Core, input: Input) {
  const { pool, user } = await selfService(core, input);
  const previous = requiredString(input, 'PreviousPassword', { min: 1, max: 256 });
  const proposed = requiredString(input, 'ProposedPassword', { min: 1, max: 256 });
  if (!user.passwordHash || !(await core.hasher.verify(user.passwordHash, previous))) {
    throw new NotAuthorizedError('Incorrect username or password.');
  }
  checkPassword(passwordPolicy(pool.config), proposed);
  const now = core.clock.now();
  await core.store.users.update({ ...user, ...(await replacePassword(core, pool, user, proposed)), updatedAt: now });
  await core.store.audit.record({ poolId: pool.id, type: 'change_password', sub: user.sub, createdAt: now });
  return {};
}

export async function getUser(core: Core, input: Input) {
  const { user, claims } = await selfService(core, input);
  const client = claims.client_id ? await core.store.clients.get(user.poolId, claims.client_id) : undefined;
  return {
    Username: user.username,
    UserAttributes: userAttributes(user, client?.config.ReadAttributes as string[] | undefined),
    ...mfaSummary(user),
  };
}
