import { EnableSoftwareTokenMfaError, InvalidParameterError, NotAuthorizedError, SoftwareTokenMfaNotFoundError } from '../../errors.js';
import type { AuthSessionRecord, ClientRecord, PoolRecord, UserRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { sha256Base64url } from '../crypto.js';
import { setupSession, type MfaState } from '../mfa/challenge.js';
import { poolFactors, withFactor } from '../mfa/factors.js';
import { MAX_WRONG_CODES } from '../mfa/respond.js';
import { acceptTotp, newTotpSecret } from '../mfa/totp.js';
import { optionalString, requiredString, type Input } from './input.js';
import { selfService } from './users-public.js';

const INVALID_SESSION = 'Invalid session for the user.';
const SESSION_RULE = { min: 20, max: 2048 };

/** The caller is a signed-in user (AccessToken) or a sign-in at MFA_SETUP (Session); never both. */
interface Caller {
  pool: PoolRecord;
  user: UserRecord;
  /** Present for the Session form: the MFA_SETUP challenge being answered. */
  setup?: { record: AuthSessionRecord; client: ClientRecord; state: MfaState };
}

async function caller(core: Core, input: Input): Promise<Caller> {
  const accessToken = optionalString(input, 'AccessToken');
  const session = optionalString(input, 'Session', SESSION_RULE);
  if (accessToken !== undefined && session !== undefined) throw new InvalidParameterError('Provide either an AccessToken or a Session, not both.');
  if (accessToken !== undefined) {
    const { pool, user } = await selfService(core, input);
    return { pool, user };
  }
  if (session === undefined) throw new InvalidParameterError('An AccessToken or a Session is required.');
  // These operations name no client: the session record says which client and pool it belongs to.
  const record = await core.store.authSessions.take(await sha256Base64url(session));
  if (!record || record.challenge !== 'MFA_SETUP') throw new NotAuthorizedError(INVALID_SESSION);
  if (record.expiresAt <= core.clock.now()) throw new NotAuthorizedError('Invalid session for the user, session is expired.');
  const [pool, client, user] = await Promise.all([
    core.store.pools.get(record.poolId),
    core.store.clients.get(record.poolId, record.clientId),
    core.store.users.getBySub(record.poolId, record.sub),
  ]);
  if (!pool || !client || !user || !user.enabled) throw new NotAuthorizedError(INVALID_SESSION);
  const state = { attempts: 0, ...(record.state as Partial<MfaState> | null) };
  if (state.phase !== 'setup') throw new NotAuthorizedError(INVALID_SESSION);
  return { pool, user, setup: { record, client, state } };
}

/** AssociateSoftwareToken: a new TOTP secret, pending until VerifySoftwareToken proves the app has it. */
export async function associateSoftwareToken(core: Core, input: Input) {
  const { pool, user, setup } = await caller(core, input);
  if (setup && !poolFactors(pool.config).includes('SOFTWARE_TOKEN_MFA')) {
    throw new InvalidParameterError('Software token MFA is not enabled for this user pool.');
  }
  const { secretCode, sealed } = await newTotpSecret(core, user);
  await core.store.users.update({ ...user, totpPendingEnc: sealed, updatedAt: core.clock.now() });
  if (!setup) return { SecretCode: secretCode };
  return { SecretCode: secretCode, Session: await setupSession(core, setup.client, user, 'setup', setup.state.deviceKey) };
}

/**
 * VerifySoftwareToken: the pending secret becomes the user's authenticator. At MFA_SETUP it
 * is also turned on, and the new Session completes the challenge. A wrong code leaves a
 * Session open for another try, up to five.
 */
export async function verifySoftwareToken(core: Core, input: Input) {
  const code = requiredString(input, 'UserCode', { min: 6, max: 6, pattern: /^[0-9]+$/ });
  const deviceName = optionalString(input, 'FriendlyDeviceName', { max: 131072 });
  const { pool, user, setup } = await caller(core, input);
  const rejected = async (error: Error): Promise<never> => {
    if (setup) {
      const attempts = setup.state.attempts + 1;
      if (attempts < MAX_WRONG_CODES) await core.store.authSessions.put({ ...setup.record, state: { ...setup.state, attempts } });
    }
    throw error;
  };
  if (!user.totpPendingEnc) return rejected(new SoftwareTokenMfaNotFoundError('Software token MFA is not associated with the user: call AssociateSoftwareToken first.'));
  if (!(await acceptTotp(core, user, user.totpPendingEnc, code))) {
    return rejected(new EnableSoftwareTokenMfaError('Code mismatch and fail enable Software Token MFA'));
  }
  const mfa = setup ? withFactor(user.mfa, 'SOFTWARE_TOKEN_MFA', true) : { ...(user.mfa ?? { enabled: [] }) };
  if (deviceName) mfa.totpDeviceName = deviceName;
  const now = core.clock.now();
  const updated: UserRecord = { ...user, mfa, totpSecretEnc: user.totpPendingEnc, totpPendingEnc: null, updatedAt: now };
  await core.store.users.update(updated);
  await core.store.audit.record({ poolId: pool.id, type: 'software_token_verified', sub: user.sub, createdAt: now });
  if (!setup) return { Status: 'SUCCESS' };
  return { Status: 'SUCCESS', Session: await setupSession(core, setup.client, updated, 'verified', setup.state.deviceKey) };
}
