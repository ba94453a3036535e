import { lt } from 'drizzle-orm';
import type { Driver } from '../driver.js';
import * as t from '../schema.js';
import type { Store } from '../../ports.js';

/** Deletes rows whose time is over: codes, challenge sessions, refresh tokens and revocation markers. */
export function sweepExpired({ db, atomic }: Driver): Store['sweepExpired'] {
  return async (now) => {
    await atomic([
      db.delete(t.codes).where(lt(t.codes.expiresAt, now)),
      db.delete(t.authSessions).where(lt(t.authSessions.expiresAt, now)),
      db.delete(t.refreshTokens).where(lt(t.refreshTokens.expiresAt, now)),
      db.delete(t.revokedFamilies).where(lt(t.revokedFamilies.expiresAt, now)),
    ]);
  };
}
