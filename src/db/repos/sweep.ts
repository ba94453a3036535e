import { and, eq, lt } from 'drizzle-orm';
import type { Driver } from '../driver.js';
import * as t from '../schema.js';
import type { Store } from '../../ports.js';

/** Deletes rows whose time is over: codes, challenge sessions, refresh tokens, revocation markers, retired keys and devices never confirmed. */
export function sweepExpired({ db, atomic }: Driver): Store['sweepExpired'] {
  return async (now) => {
    await atomic([
      db.delete(t.codes).where(lt(t.codes.expiresAt, now)),
      db.delete(t.authSessions).where(lt(t.authSessions.expiresAt, now)),
      db.delete(t.refreshTokens).where(lt(t.refreshTokens.expiresAt, now)),
      db.delete(t.revokedFamilies).where(lt(t.revokedFamilies.expiresAt, now)),
      // Used codes stay a day so a late replay still revokes what the first use issued.
      db.delete(t.authorizationCodes).where(lt(t.authorizationCodes.expiresAt, now - 86_400_000)),
      db.delete(t.ssoSessions).where(lt(t.ssoSessions.expiresAt, now)),
      // A key's expiry is set past the life of every token it signed.
      db.delete(t.signingKeys).where(lt(t.signingKeys.expiresAt, now)),
      // A device issued at sign-in and never confirmed (ConfirmDevice follows at once) goes after a day.
      db.delete(t.devices).where(and(eq(t.devices.confirmed, false), lt(t.devices.createdAt, now - 86_400_000))),
      db.delete(t.federationStates).where(lt(t.federationStates.expiresAt, now)),
      db.delete(t.usedOnceIds).where(lt(t.usedOnceIds.expiresAt, now)),
    ]);
  };
}
