import { NotAuthorizedError } from '../../errors.js';
import type { AuthSessionRecord, ClientRecord, UserRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { base64url, sha256Base64url } from '../crypto.js';

/**
 * A challenge `Session`: random, stored by hash, valid AuthSessionValidity minutes, usable once.
 * `handle` is its random bytes when the caller needs them too (SRP's SECRET_BLOCK).
 */
export async function openSession(
  core: Core,
  client: ClientRecord,
  user: Pick<UserRecord, 'sub'>,
  challenge: string,
  state: Record<string, unknown> = {},
  handle: Uint8Array = core.random.bytes(48),
): Promise<string> {
  const session = base64url(handle);
  const minutes = Number(client.config.AuthSessionValidity ?? 3);
  await core.store.authSessions.put({
    sessionHash: await sha256Base64url(session),
    poolId: client.poolId,
    clientId: client.id,
    sub: user.sub,
    challenge,
    state,
    expiresAt: core.clock.now() + minutes * 60_000,
  });
  return session;
}

export async function takeSession(core: Core, client: ClientRecord, session: string | undefined, challenge: string): Promise<AuthSessionRecord> {
  if (!session) throw new NotAuthorizedError('Invalid session for the user.');
  return checkTaken(core, client, await core.store.authSessions.take(await sha256Base64url(session)), challenge);
}

/** Ends a session nobody will answer any more, such as one whose code was replaced. */
export async function discardSession(core: Core, session: string): Promise<void> {
  await core.store.authSessions.take(await sha256Base64url(session));
}

/** A session already taken from the store must belong to this client, be unexpired and be for this challenge. */
export function checkTaken(core: Core, client: ClientRecord, record: AuthSessionRecord | undefined, challenge: string): AuthSessionRecord {
  if (!record || record.clientId !== client.id || record.poolId !== client.poolId) {
    throw new NotAuthorizedError('Invalid session for the user.');
  }
  if (record.expiresAt <= core.clock.now()) throw new NotAuthorizedError('Invalid session for the user, session is expired.');
  if (record.challenge !== challenge) throw new NotAuthorizedError('Invalid session for the user.');
  return record;
}
