import { PasswordHistoryPolicyViolationError } from '../../errors.js';
import type { PoolRecord, UserRecord } from '../../ports.js';
import { passwordPolicy } from '../directory/pool-config.js';
import type { Core } from '../context.js';
import { hex } from '../crypto.js';
import { computeVerifier, srpPoolName } from './srp.js';

/** What a user record keeps of a password: an argon2id hash for password flows, an SRP verifier for USER_SRP_AUTH. */
export interface PasswordCredentials {
  passwordHash: string;
  passwordSetAt: number;
  srpSalt: string;
  srpVerifier: string;
}

/**
 * Every place that sets a password goes through here. `username` is the user's actual
 * username (the sub in pools with UsernameAttributes): clients hash the USER_ID_FOR_SRP
 * they are given, never what the user typed.
 */
export async function passwordCredentials(core: Core, pool: PoolRecord, username: string, password: string): Promise<PasswordCredentials> {
  return {
    passwordHash: await core.hasher.hash(password),
    passwordSetAt: core.clock.now(),
    ...(await srpCredentials(core, pool, username, password)),
  };
}

/** Only the SRP part: a fresh salt and its verifier. */
export async function srpCredentials(core: Core, pool: PoolRecord, username: string, password: string): Promise<Pick<PasswordCredentials, 'srpSalt' | 'srpVerifier'>> {
  const srpSalt = hex(core.random.bytes(16));
  return { srpSalt, srpVerifier: await computeVerifier(srpPoolName(pool.id), username, password, srpSalt) };
}

/**
 * A user replaces their password: with PasswordHistorySize n, none of the last n
 * passwords (the current one included, a temporary one not) may come back. The replaced
 * hash joins the history.
 */
export async function replacePassword(core: Core, pool: PoolRecord, user: UserRecord, password: string): Promise<PasswordCredentials> {
  const size = passwordPolicy(pool.config).PasswordHistorySize ?? 0;
  const current = user.status === 'FORCE_CHANGE_PASSWORD' ? null : user.passwordHash;
  if (size > 0) {
    const previous = [current, ...(await core.store.passwordHistory.recent(pool.id, user.sub, size - 1))];
    for (const hash of previous) {
      if (hash && (await core.hasher.verify(hash, password))) {
        throw new PasswordHistoryPolicyViolationError('The password provided was used previously. Choose a password you have not used before.');
      }
    }
  }
  const credentials = await passwordCredentials(core, pool, user.username, password);
  if (size > 1 && current) await core.store.passwordHistory.add(pool.id, user.sub, current, credentials.passwordSetAt, size - 1);
  return credentials;
}
