import { InvalidOAuthFlowError, InvalidParameterError, ResourceNotFoundError, ScopeDoesNotExistError } from '../../errors.js';
import { customScopes } from './resource-servers.js';
import type { ClientRecord, PoolRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { randomString } from '../crypto.js';
import { unitMs, type TokenUnit } from '../directory/client-config.js';
import { schemaOf } from '../directory/pool-config.js';
import { throwIfProblems } from '../directory/pool-input.js';
import { UI_CUSTOMIZATION_KEY, withoutUiCustomization } from '../directory/ui-customization.js';
import { loadPool } from './pools.js';
import { decodePageToken, encodePageToken } from './paging.js';
import {
  clientIdOf, optionalBool, optionalEnum, optionalInt, optionalObject, optionalString, optionalStringList, poolIdOf, requiredString, type Input,
} from './input.js';

const CLIENT_NAME = /^[\w\s+=,.@-]+$/;
const FLOWS = [
  'ADMIN_NO_SRP_AUTH', 'CUSTOM_AUTH_FLOW_ONLY', 'USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_CUSTOM_AUTH',
  'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH',
] as const;
const UNITS: readonly TokenUnit[] = ['seconds', 'minutes', 'hours', 'days'];

export async function loadClient(core: Core, poolId: string, clientId: string): Promise<ClientRecord> {
  const client = await core.store.clients.get(poolId, clientId);
  if (!client) throw new ResourceNotFoundError(`User pool client ${clientId} does not exist.`);
  return client;
}

async function clientShape(core: Core, client: ClientRecord): Promise<Record<string, unknown>> {
  return {
    UserPoolId: client.poolId,
    ClientName: client.name,
    ClientId: client.id,
    ...(client.secretEnc ? { ClientSecret: await core.sealer.open(client.secretEnc, `client:${client.id}`) } : {}),
    ...withoutUiCustomization(client.config),
    LastModifiedDate: client.updatedAt / 1000,
    CreationDate: client.createdAt / 1000,
  };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Cognito's redirect URI rules: absolute, no fragment, HTTPS unless http://localhost (loopback here). */
function redirectUrlProblems(list: string, value: string): string[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [`${list} has an invalid URL: ${value}`];
  }
  if (value.includes('#')) return [`${list} must not contain a fragment: ${value}`];
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) return [`${list} must use HTTPS except for http://localhost: ${value}`];
  return [];
}

/** Validates the settings shared by Create and Update; unspecified ones take Cognito's defaults. */
function clientSettings(input: Input, pool: PoolRecord): Record<string, unknown> {
  const problems: string[] = [];
  const units = { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days', ...(optionalObject(input, 'TokenValidityUnits') ?? {}) } as Record<string, TokenUnit>;
  for (const [k, u] of Object.entries(units)) if (!UNITS.includes(u)) problems.push(`TokenValidityUnits.${k} must be one of ${UNITS.join(', ')}`);
  const access = optionalInt(input, 'AccessTokenValidity', 1, 86400) ?? 60;
  const id = optionalInt(input, 'IdTokenValidity', 1, 86400) ?? 60;
  const refresh = optionalInt(input, 'RefreshTokenValidity', 0, 315360000) ?? 30;
  const within = (name: string, value: number, unit: TokenUnit | undefined, minMs: number, maxMs: number) => {
    const ms = value * unitMs(unit ?? 'minutes');
    if (UNITS.includes(unit!) && (ms < minMs || ms > maxMs)) problems.push(`${name} must be between ${minMs / 60000} minutes and ${maxMs / 60000} minutes`);
  };
  within('AccessTokenValidity', access, units.AccessToken, 5 * 60_000, 86_400_000);
  within('IdTokenValidity', id, units.IdToken, 5 * 60_000, 86_400_000);
  within('RefreshTokenValidity', refresh, units.RefreshToken, 60 * 60_000, 3650 * 86_400_000);
  const flows = optionalStringList(input, 'ExplicitAuthFlows', FLOWS);
  if (flows && flows.some((f) => f.startsWith('ALLOW_')) && flows.some((f) => !f.startsWith('ALLOW_'))) {
    problems.push('ExplicitAuthFlows cannot mix legacy values with ALLOW_ values');
  }
  const known = new Set(schemaOf(pool.config).map((a) => a.Name));
  for (const list of ['ReadAttributes', 'WriteAttributes'] as const) {
    for (const name of optionalStringList(input, list) ?? []) {
      if (!known.has(name) && !(list === 'ReadAttributes' && name.endsWith('_verified'))) problems.push(`${list} has an unknown attribute: ${name}`);
    }
  }
  const rotation = optionalObject(input, 'RefreshTokenRotation');
  if (rotation) {
    if (!['ENABLED', 'DISABLED'].includes(String(rotation.Feature))) problems.push('RefreshTokenRotation.Feature must be ENABLED or DISABLED');
    const grace = rotation.RetryGracePeriodSeconds;
    if (grace !== undefined && (typeof grace !== 'number' || grace < 0 || grace > 60)) problems.push('RefreshTokenRotation.RetryGracePeriodSeconds must be from 0 to 60');
  }
  for (const list of ['CallbackURLs', 'LogoutURLs'] as const) {
    for (const url of optionalStringList(input, list) ?? []) problems.push(...redirectUrlProblems(list, url));
  }
  const defaultRedirect = optionalString(input, 'DefaultRedirectURI');
  if (defaultRedirect !== undefined && !(optionalStringList(input, 'CallbackURLs') ?? []).includes(defaultRedirect)) {
    problems.push('DefaultRedirectURI must be one of the CallbackURLs');
  }
  const authSession = optionalInt(input, 'AuthSessionValidity', 3, 15) ?? 3;
  throwIfProblems(problems);
  return {
    RefreshTokenValidity: refresh,
    AccessTokenValidity: access,
    IdTokenValidity: id,
    TokenValidityUnits: units,
    ReadAttributes: optionalStringList(input, 'ReadAttributes'),
    WriteAttributes: optionalStringList(input, 'WriteAttributes'),
    ExplicitAuthFlows: flows,
    SupportedIdentityProviders: optionalStringList(input, 'SupportedIdentityProviders'),
    CallbackURLs: optionalStringList(input, 'CallbackURLs'),
    LogoutURLs: optionalStringList(input, 'LogoutURLs'),
    DefaultRedirectURI: defaultRedirect,
    AllowedOAuthFlows: optionalStringList(input, 'AllowedOAuthFlows', ['code', 'implicit', 'client_credentials']),
    AllowedOAuthScopes: optionalStringList(input, 'AllowedOAuthScopes'),
    AllowedOAuthFlowsUserPoolClient: optionalBool(input, 'AllowedOAuthFlowsUserPoolClient') ?? false,
    AnalyticsConfiguration: optionalObject(input, 'AnalyticsConfiguration'),
    PreventUserExistenceErrors: optionalEnum(input, 'PreventUserExistenceErrors', ['LEGACY', 'ENABLED']) ?? 'LEGACY',
    EnableTokenRevocation: optionalBool(input, 'EnableTokenRevocation') ?? true,
    EnablePropagateAdditionalUserContextData: optionalBool(input, 'EnablePropagateAdditionalUserContextData') ?? false,
    AuthSessionValidity: authSession,
    RefreshTokenRotation: rotation ?? { Feature: 'DISABLED', RetryGracePeriodSeconds: 0 },
  };
}

const STANDARD_SCOPES = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'];

/** Cognito's rules for the OAuth settings of a client, checked once the secret is known. */
async function checkOAuthSettings(core: Core, pool: PoolRecord, config: Record<string, unknown>, hasSecret: boolean): Promise<void> {
  const flows = (config.AllowedOAuthFlows as string[] | undefined) ?? [];
  if (flows.includes('client_credentials') && (flows.includes('code') || flows.includes('implicit'))) {
    throw new InvalidOAuthFlowError('client_credentials flow can not be selected along with code flow or implicit flow.');
  }
  if (flows.includes('client_credentials') && !hasSecret) {
    throw new InvalidOAuthFlowError('client_credentials flow can not be selected if client does not have a client secret.');
  }
  const scopes = (config.AllowedOAuthScopes as string[] | undefined) ?? [];
  const custom = scopes.filter((s) => !STANDARD_SCOPES.includes(s));
  if (custom.length > 0) {
    const defined = await customScopes(core, pool.id);
    const missing = custom.find((s) => !defined.has(s));
    if (missing) throw new ScopeDoesNotExistError(`Invalid scope requested: ${missing}`);
  }
  if (config.AllowedOAuthFlowsUserPoolClient === true && (flows.includes('code') || flows.includes('implicit'))) {
    if (((config.CallbackURLs as string[] | undefined) ?? []).length === 0) throw new InvalidParameterError('CallbackURLs are required for the code and implicit flows.');
  }
  for (const provider of (config.SupportedIdentityProviders as string[] | undefined) ?? []) {
    if (provider !== 'COGNITO' && !(await core.store.identityProviders.get(pool.id, provider))) {
      throw new InvalidParameterError(`The provider ${provider} does not exist for User Pool ${pool.id}`);
    }
  }
}

export async function createUserPoolClient(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const name = requiredString(input, 'ClientName', { min: 1, max: 128, pattern: CLIENT_NAME });
  const config = clientSettings(input, pool);
  await checkOAuthSettings(core, pool, config, optionalBool(input, 'GenerateSecret') === true);
  const id = randomString((n) => core.random.bytes(n), 26, '0123456789abcdefghijklmnopqrstuvwxyz');
  const secret = optionalBool(input, 'GenerateSecret')
    ? await core.sealer.seal(randomString((n) => core.random.bytes(n), 51, '0123456789abcdefghijklmnopqrstuvwxyz'), `client:${id}`)
    : null;
  const now = core.clock.now();
  const client: ClientRecord = { id, poolId: pool.id, name, secretEnc: secret, config, createdAt: now, updatedAt: now };
  await core.store.clients.insert(client);
  return { UserPoolClient: await clientShape(core, client) };
}

export async function describeUserPoolClient(core: Core, input: Input) {
  const client = await loadClient(core, poolIdOf(input), clientIdOf(input));
  return { UserPoolClient: await clientShape(core, client) };
}

export async function updateUserPoolClient(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const client = await loadClient(core, pool.id, clientIdOf(input));
  const name = input.ClientName === undefined ? client.name : requiredString(input, 'ClientName', { min: 1, max: 128, pattern: CLIENT_NAME });
  // Branding is set by SetUICustomization, so an update of the settings keeps it.
  const branding = client.config[UI_CUSTOMIZATION_KEY];
  const config = { ...clientSettings(input, pool), ...(branding ? { [UI_CUSTOMIZATION_KEY]: branding } : {}) };
  const updated: ClientRecord = { ...client, name, config, updatedAt: core.clock.now() };
  await checkOAuthSettings(core, pool, updated.config, client.secretEnc !== null);
  await core.store.clients.update(updated);
  return { UserPoolClient: await clientShape(core, updated) };
}

export async function listUserPoolClients(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const max = optionalInt(input, 'MaxResults', 1, 60) ?? 60;
  const page = await core.store.clients.list(pool.id, max, decodePageToken(input.NextToken));
  return {
    UserPoolClients: page.items.map((c) => ({ ClientId: c.id, UserPoolId: c.poolId, ClientName: c.name })),
    NextToken: encodePageToken(page.next),
  };
}

export async function deleteUserPoolClient(core: Core, input: Input) {
  const poolId = poolIdOf(input);
  const client = await loadClient(core, poolId, clientIdOf(input));
  await core.store.clients.delete(poolId, client.id);
  return {};
}

export async function clientSecret(core: Core, client: ClientRecord): Promise<string | undefined> {
  if (!client.secretEnc) return undefined;
  return core.sealer.open(client.secretEnc, `client:${client.id}`);
}
