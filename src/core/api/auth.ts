import { InvalidParameterError, NotAuthorizedError, UnsupportedOperationError } from '../../errors.js';
import type { ClientRecord, PoolRecord } from '../../ports.js';
import { checkSecretHash } from '../auth/secret-hash.js';
import { passwordSignIn, type AuthResponse } from '../auth/sign-in.js';
import { startSrpSignIn } from '../auth/srp-sign-in.js';
import { startUserAuth } from '../auth/user-auth.js';
import type { Core } from '../context.js';
import { constantTimeEqual, sha256Base64url } from '../crypto.js';
import { allowsFlow, tokenRevocationEnabled } from '../directory/client-config.js';
import { issueTokens } from '../tokens/issue.js';
import { familyEnd, redeemRefreshToken } from '../tokens/refresh.js';
import { verifyAccessToken } from '../tokens/verify-access.js';
import { clientSecret, loadClient } from './clients.js';
import { clientIdOf, optionalObject, optionalString, poolIdOf, requiredString, type Input } from './input.js';
import { loadPool } from './pools.js';
import { poolOfClient } from './resolve.js';
import { loadUser } from './users-admin.js';

const FLOWS = [
  'USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN', 'CUSTOM_AUTH', 'ADMIN_NO_SRP_AUTH',
  'USER_PASSWORD_AUTH', 'ADMIN_USER_PASSWORD_AUTH', 'USER_AUTH',
] as const;

function requireFlow(client: ClientRecord, allow: string, name: string): void {
  if (!allowsFlow(client.config, allow)) throw new InvalidParameterError(`${name} flow not enabled for this client`);
}

type Params = Record<string, string>;

function parameters(input: Input): Params {
  const params = optionalObject(input, 'AuthParameters') ?? {};
  for (const [k, v] of Object.entries(params)) {
    if (typeof v !== 'string') throw new InvalidParameterError(`AuthParameters.${k} must be a string`);
  }
  return params as Params;
}

function required(params: Params, name: string): string {
  const value = params[name];
  if (!value) throw new InvalidParameterError(`Missing required parameter ${name}`);
  return value;
}

async function passwordFlow(core: Core, pool: PoolRecord, client: ClientRecord, params: Params): Promise<AuthResponse> {
  const username = required(params, 'USERNAME');
  const password = required(params, 'PASSWORD');
  await checkSecretHash(core, client, [username], params.SECRET_HASH);
  return passwordSignIn(core, pool, client, username, password, params.DEVICE_KEY);
}

async function srpFlow(core: Core, pool: PoolRecord, client: ClientRecord, params: Params): Promise<AuthResponse> {
  const username = required(params, 'USERNAME');
  const srpA = required(params, 'SRP_A');
  await checkSecretHash(core, client, [username], params.SECRET_HASH);
  return startSrpSignIn(core, pool, client, username, srpA, params.DEVICE_KEY);
}

async function refreshFlow(core: Core, pool: PoolRecord, client: ClientRecord, token: string | undefined, authorize: (u: { username: string; sub: string }) => Promise<void>) {
  if (!token) throw new InvalidParameterError('Missing required parameter REFRESH_TOKEN');
  const outcome = await redeemRefreshToken(core, client, token, (sub) => core.store.users.getBySub(pool.id, sub), authorize);
  const tokens = await issueTokens(core, {
    pool, client, user: outcome.user, authTime: outcome.record.authTime, familyId: outcome.record.familyId, scope: outcome.record.scope ?? undefined,
  });
  return { AuthenticationResult: { ...tokens, ...(outcome.nextToken ? { RefreshToken: outcome.nextToken } : {}) }, ChallengeParameters: {} };
}

type Caller = 'public' | 'admin';

/** Password flows: which callers may start each, which ExplicitAuthFlows value enables it, and how it starts. */
const PASSWORD_FLOWS: Record<string, { callers: Caller[]; allow: string; name: string; start: typeof passwordFlow }> = {
  USER_PASSWORD_AUTH: { callers: ['public'], allow: 'ALLOW_USER_PASSWORD_AUTH', name: 'USER_PASSWORD_AUTH', start: passwordFlow },
  ADMIN_USER_PASSWORD_AUTH: { callers: ['admin'], allow: 'ALLOW_ADMIN_USER_PASSWORD_AUTH', name: 'ADMIN_USER_PASSWORD_AUTH', start: passwordFlow },
  ADMIN_NO_SRP_AUTH: { callers: ['admin'], allow: 'ALLOW_ADMIN_USER_PASSWORD_AUTH', name: 'ADMIN_USER_PASSWORD_AUTH', start: passwordFlow },
  USER_SRP_AUTH: { callers: ['public', 'admin'], allow: 'ALLOW_USER_SRP_AUTH', name: 'USER_SRP_AUTH', start: srpFlow },
  USER_AUTH: { callers: ['public', 'admin'], allow: 'ALLOW_USER_AUTH', name: 'USER_AUTH', start: startUserAuth },
};

function authFlowOf(input: Input): string {
  const flow = requiredString(input, 'AuthFlow');
  if (!FLOWS.includes(flow as (typeof FLOWS)[number])) throw new InvalidParameterError(`Unknown AuthFlow ${flow}`);
  return flow;
}

/** One dispatcher for InitiateAuth and AdminInitiateAuth; they differ only in who may start which flow. */
async function startAuth(core: Core, pool: PoolRecord, client: ClientRecord, flow: string, input: Input, caller: Caller) {
  const params = parameters(input);
  const password = PASSWORD_FLOWS[flow];
  if (password) {
    if (!password.callers.includes(caller)) throw new InvalidParameterError('Initiate Auth method not supported.');
    requireFlow(client, password.allow, password.name);
    return password.start(core, pool, client, params);
  }
  if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') {
    requireFlow(client, 'ALLOW_REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN_AUTH');
    return refreshFlow(core, pool, client, params.REFRESH_TOKEN, (u) =>
      checkSecretHash(core, client, [u.username, u.sub, params.USERNAME ?? ''], params.SECRET_HASH),
    );
  }
  throw new InvalidParameterError(`AuthFlow ${flow} is not supported by this Cognate version`);
}

export async function initiateAuth(core: Core, input: Input) {
  const flow = authFlowOf(input);
  const { pool, client } = await poolOfClient(core, clientIdOf(input));
  return startAuth(core, pool, client, flow, input, 'public');
}

export async function adminInitiateAuth(core: Core, input: Input) {
  const flow = authFlowOf(input);
  const pool = await loadPool(core, poolIdOf(input));
  const client = await loadClient(core, pool.id, clientIdOf(input));
  return startAuth(core, pool, client, flow, input, 'admin');
}

async function checkClientSecret(core: Core, client: ClientRecord, provided: string | undefined): Promise<void> {
  const secret = await clientSecret(core, client);
  if (secret === undefined) return;
  if (!provided || !constantTimeEqual(secret, provided)) throw new NotAuthorizedError(`Client ${client.id} is configured with secret but the secret provided is not valid`);
}

export async function getTokensFromRefreshToken(core: Core, input: Input) {
  const { pool, client } = await poolOfClient(core, clientIdOf(input));
  requireFlow(client, 'ALLOW_REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN_AUTH');
  const token = requiredString(input, 'RefreshToken', { min: 1 });
  const secret = optionalString(input, 'ClientSecret');
  const { AuthenticationResult } = await refreshFlow(core, pool, client, token, () => checkClientSecret(core, client, secret));
  return { AuthenticationResult };
}

export async function revokeToken(core: Core, input: Input) {
  const token = requiredString(input, 'Token', { min: 1 });
  const { client } = await poolOfClient(core, clientIdOf(input));
  await checkClientSecret(core, client, optionalString(input, 'ClientSecret'));
  if (!tokenRevocationEnabled(client.config)) throw new UnsupportedOperationError('Token revocation is not enabled for this client.');
  if (token.split('.').length === 3) throw new NotAuthorizedError('Only refresh tokens can be revoked.');
  const record = await core.store.refreshTokens.get(await sha256Base64url(token));
  // RFC 7009: an unknown or foreign token is not an error, and nothing happens.
  if (record && record.clientId === client.id) {
    await core.store.refreshTokens.revokeFamily(record.poolId, record.familyId, familyEnd(core, client, record), core.clock.now());
  }
  return {};
}

async function signOutEverywhere(core: Core, pool: PoolRecord, sub: string): Promise<void> {
  const now = core.clock.now();
  const user = await core.store.users.getBySub(pool.id, sub);
  if (!user) return;
  await core.store.refreshTokens.revokeUser(pool.id, sub, now);
  await core.store.users.update({ ...user, tokensValidAfter: now, updatedAt: user.updatedAt });
  await core.store.audit.record({ poolId: pool.id, type: 'global_sign_out', sub, createdAt: now });
}

export async function globalSignOut(core: Core, input: Input) {
  const { pool, user } = await verifyAccessToken(core, requiredString(input, 'AccessToken'));
  await signOutEverywhere(core, pool, user.sub);
  return {};
}

export async function adminUserGlobalSignOut(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const user = await loadUser(core, pool, requiredString(input, 'Username', { min: 1, max: 128 }));
  await signOutEverywhere(core, pool, user.sub);
  return {};
}
