import type { PoolRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { verifyAccessToken } from '../tokens/verify-access.js';

/** OIDC Core §5.4: which claims each scope releases. */
const SCOPE_CLAIMS: Record<string, string[]> = {
  profile: [
    'name', 'family_name', 'given_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture',
    'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at',
  ],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  address: ['address'],
};

const ALL_ATTRIBUTES = 'aws.cognito.signin.user.admin';

/**
 * The user's claims for a bearer access token: `sub` and `username` always, the rest by
 * scope (all readable attributes with Cognito's admin scope), filtered by the client's
 * ReadAttributes. Throws NotAuthorizedError for any unusable token.
 */
export async function userInfo(core: Core, pool: PoolRecord, token: string): Promise<Record<string, unknown>> {
  const { user, claims } = await verifyAccessToken(core, token, pool.id);
  const scopes = String(claims.scope ?? '').split(' ');
  const client = claims.client_id ? await core.store.clients.get(pool.id, claims.client_id) : undefined;
  const readable = client?.config.ReadAttributes as string[] | undefined;
  const released = new Set(scopes.flatMap((s) => SCOPE_CLAIMS[s] ?? []));
  const out: Record<string, unknown> = { sub: user.sub };
  for (const [name, value] of Object.entries(user.attributes)) {
    if (!scopes.includes(ALL_ATTRIBUTES) && !released.has(name)) continue;
    if (readable && readable.length > 0 && !readable.includes(name)) continue;
    out[name] = name.endsWith('_verified') ? value === 'true' : value;
  }
  out.username = user.username;
  return out;
}
