import type { PoolRecord, SsoSessionRecord, UserRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { base64url, sha256Base64url } from '../crypto.js';

/** Hosted UI sessions last an hour from sign-in, as Cognito's do. */
export const SSO_SESSION_MS = 3_600_000;

export interface ActiveSession {
  session: SsoSessionRecord;
  user: UserRecord;
}

/** Starts a session after an interactive sign-in; the returned id goes in the cookie only. */
export async function startSession(core: Core, pool: PoolRecord, user: UserRecord, authTime: number): Promise<string> {
  const id = base64url(core.random.bytes(32));
  const now = core.clock.now();
  await core.store.ssoSessions.insert({ idHash: await sha256Base64url(id), poolId: pool.id, sub: user.sub, authTime, createdAt: now, expiresAt: now + SSO_SESSION_MS });
  return id;
}

/** The session behind a cookie, if it is still good: not expired, user enabled and confirmed (or federated), not signed out everywhere since. */
export async function activeSession(core: Core, pool: PoolRecord, id: string | undefined): Promise<ActiveSession | undefined> {
  if (!id) return undefined;
  const session = await core.store.ssoSessions.get(await sha256Base64url(id));
  if (!session || session.poolId !== pool.id || session.expiresAt <= core.clock.now()) return undefined;
  const user = await core.store.users.getBySub(pool.id, session.sub);
  const canSignIn = user?.status === 'CONFIRMED' || user?.status === 'EXTERNAL_PROVIDER';
  if (!user || !user.enabled || !canSignIn || session.authTime < user.tokensValidAfter) return undefined;
  return { session, user };
}

export async function endSession(core: Core, id: string | undefined): Promise<void> {
  if (id) await core.store.ssoSessions.delete(await sha256Base64url(id));
}
