import { SignJWT } from 'jose';
import type { ClientRecord, GroupRecord, PoolRecord, UserRecord } from '../../ports.js';
import { issuerOf, type Core } from '../context.js';
import { base64url, sha256 } from '../crypto.js';
import { validities } from '../directory/client-config.js';

export interface SignIn {
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord;
  /** Epoch ms of the interactive sign-in this session started with. */
  authTime: number;
  /** The sign-in family: `origin_jti` of every token it yields. */
  familyId: string;
  scope?: string;
  nonce?: string;
}

export interface IssuedTokens {
  IdToken: string;
  AccessToken: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
}

/** ID token claims Cognito copies from the profile; `*_verified` flags become booleans. */
function profileClaims(user: UserRecord, readable: string[] | undefined): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(user.attributes)) {
    if (readable && readable.length > 0 && !readable.includes(name)) continue;
    if (name === 'identities') {
      claims.identities = JSON.parse(value);
      continue;
    }
    claims[name] = name.endsWith('_verified') ? value === 'true' : value;
  }
  return claims;
}

/**
 * Cognito's group claims. `groups` arrive ordered by precedence (unset last), then name.
 * The preferred role is the role of the best-ranked groups that have one; when groups of
 * equal precedence disagree on it, no role is preferred.
 */
export function groupClaims(groups: GroupRecord[]): { names: string[]; roles: string[]; preferredRole?: string } {
  const withRole = groups.filter((g) => g.roleArn);
  const best = withRole[0]?.precedence;
  const tied = new Set(withRole.filter((g) => g.precedence === best).map((g) => g.roleArn!));
  return {
    names: groups.map((g) => g.name),
    roles: [...new Set(withRole.map((g) => g.roleArn!))],
    preferredRole: tied.size === 1 ? [...tied][0] : undefined,
  };
}

export async function issueTokens(core: Core, signIn: SignIn): Promise<IssuedTokens> {
  const { pool, client, user } = signIn;
  const { kid, alg, key } = await core.keys.signer(pool.id);
  const now = core.clock.now();
  const iat = Math.floor(now / 1000);
  const life = validities(client.config);
  const { names: groups, roles, preferredRole } = groupClaims(await core.store.groups.forUser(pool.id, user.sub));
  const issuer = issuerOf(core, pool.id);
  const authTime = Math.floor(signIn.authTime / 1000);
  const jti = () => core.random.uuid();

  const accessClaims: Record<string, unknown> = {
    sub: user.sub,
    ...(groups.length > 0 ? { 'cognito:groups': groups } : {}),
    iss: issuer,
    client_id: client.id,
    origin_jti: signIn.familyId,
    token_use: 'access',
    scope: signIn.scope ?? 'aws.cognito.signin.user.admin',
    auth_time: authTime,
    exp: iat + Math.floor(life.accessMs / 1000),
    iat,
    jti: jti(),
    username: user.username,
  };
  const accessToken = await new SignJWT(accessClaims).setProtectedHeader({ alg, kid }).sign(key);

  const idClaims: Record<string, unknown> = {
    ...profileClaims(user, client.config.ReadAttributes as string[] | undefined),
    sub: user.sub,
    ...(groups.length > 0 ? { 'cognito:groups': groups } : {}),
    ...(preferredRole ? { 'cognito:preferred_role': preferredRole } : {}),
    iss: issuer,
    'cognito:username': user.username,
    ...(roles.length > 0 ? { 'cognito:roles': roles } : {}),
    ...(signIn.nonce ? { nonce: signIn.nonce } : {}),
    origin_jti: signIn.familyId,
    aud: client.id,
    token_use: 'id',
    auth_time: authTime,
    exp: iat + Math.floor(life.idMs / 1000),
    iat,
    jti: jti(),
    at_hash: await atHash(accessToken),
  };
  const idToken = await new SignJWT(idClaims).setProtectedHeader({ alg, kid }).sign(key);
  return { IdToken: idToken, AccessToken: accessToken, ExpiresIn: Math.floor(life.accessMs / 1000), TokenType: 'Bearer' };
}

/** OIDC Core 3.1.3.6: left half of the SHA-256 of the access token (both our algs use SHA-256). */
async function atHash(accessToken: string): Promise<string> {
  return base64url((await sha256(accessToken)).slice(0, 16));
}

