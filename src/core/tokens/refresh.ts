import { NotAuthorizedError } from '../../errors.js';
import type { ClientRecord, RefreshTokenRecord, UserRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { base64url, sha256Base64url } from '../crypto.js';
import { rotationOf, validities } from '../directory/client-config.js';

/** Opaque and random: only its SHA-256 is stored, so a database leak yields no usable tokens. */
export async function newRefreshToken(
  core: Core,
  client: ClientRecord,
  user: UserRecord,
  family: { familyId: string; authTime: number; scope?: string | null; expiresAt?: number },
): Promise<{ token: string; record: RefreshTokenRecord }> {
  const token = base64url(core.random.bytes(48));
  const now = core.clock.now();
  const record: RefreshTokenRecord = {
    tokenHash: await sha256Base64url(token),
    familyId: family.familyId,
    poolId: client.poolId,
    clientId: client.id,
    sub: user.sub,
    authTime: family.authTime,
    scope: family.scope ?? null,
    createdAt: now,
    // A rotated token keeps its family's end: rotation never extends a session.
    expiresAt: family.expiresAt ?? now + validities(client.config).refreshMs,
    replacedAt: null,
  };
  return { token, record };
}

const INVALID = 'Invalid Refresh Token';

export interface RefreshOutcome {
  record: RefreshTokenRecord;
  /** Present when the client rotates refresh tokens. */
  nextToken?: string;
}

/**
 * Checks a presented refresh token. A token already rotated away, presented after the
 * grace period, is a reuse: the whole family is revoked.
 */
export async function redeemRefreshToken(
  core: Core,
  client: ClientRecord,
  token: string,
  user: (sub: string) => Promise<UserRecord | undefined>,
  /** Client authentication (SECRET_HASH or secret), checked before anything changes. */
  authorize: (owner: UserRecord) => Promise<void>,
): Promise<RefreshOutcome & { user: UserRecord }> {
  const record = await core.store.refreshTokens.get(await sha256Base64url(token));
  const now = core.clock.now();
  if (!record || record.clientId !== client.id || record.poolId !== client.poolId) throw new NotAuthorizedError(INVALID);
  if (record.expiresAt <= now) throw new NotAuthorizedError('Refresh Token has expired');
  const rotation = rotationOf(client.config);
  const owner = await user(record.sub);
  if (!owner) throw new NotAuthorizedError(INVALID);
  await authorize(owner);
  if (record.replacedAt !== null && now - record.replacedAt > rotation.graceMs) {
    await core.store.refreshTokens.revokeFamily(record.poolId, record.familyId, familyEnd(core, client, record), now);
    await core.store.audit.record({ poolId: record.poolId, type: 'refresh_token_reuse', sub: record.sub, clientId: client.id, createdAt: now });
    throw new NotAuthorizedError(INVALID);
  }
  if (!owner.enabled) throw new NotAuthorizedError('User is disabled.');
  if (!rotation.enabled) return { record, user: owner };
  const next = await newRefreshToken(core, client, owner, { familyId: record.familyId, authTime: record.authTime, scope: record.scope, expiresAt: record.expiresAt });
  if (record.replacedAt === null) {
    if (!(await core.store.refreshTokens.rotate(record.tokenHash, next.record))) {
      // Lost a race with a concurrent rotation of the same token: treat as reuse unless within grace.
      if (rotation.graceMs === 0) {
        await core.store.refreshTokens.revokeFamily(record.poolId, record.familyId, familyEnd(core, client, record), now);
        throw new NotAuthorizedError(INVALID);
      }
      await core.store.refreshTokens.insert(next.record);
    }
  } else {
    await core.store.refreshTokens.insert(next.record);
  }
  return { record, user: owner, nextToken: next.token };
}

/** Revoked-family markers must outlive every access or ID token the family could still have. */
export function familyEnd(core: Core, client: ClientRecord, record?: RefreshTokenRecord): number {
  const life = validities(client.config);
  return Math.max(record?.expiresAt ?? 0, core.clock.now() + Math.max(life.accessMs, life.idMs));
}
