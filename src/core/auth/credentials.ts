import type { PoolRecord } from '../../ports.js';
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
