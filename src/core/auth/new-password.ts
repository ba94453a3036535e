import { InvalidParameterError, NotAuthorizedError } from '../../errors.js';
import type { ClientRecord, PoolRecord, UserRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { checkRequired, validateWrite } from '../directory/attributes.js';
import { checkPassword } from '../directory/password-policy.js';
import { passwordPolicy } from '../directory/pool-config.js';
import { replacePassword } from './credentials.js';
import { checkAnswerer } from './secret-hash.js';
import { takeSession } from './sessions.js';
import type { Answerer } from './steps.js';

/**
 * NEW_PASSWORD_REQUIRED, for the API and the hosted UI alike: the user replaces a temporary
 * password, optionally filling attributes (`userAttributes.<name>` answers). Returns the
 * user with the new password; MFA, when it applies, still stands between it and a sign-in.
 */
export async function answerNewPassword(
  core: Core, pool: PoolRecord, client: ClientRecord, session: string | undefined, answers: Record<string, string>, answerer: Answerer,
): Promise<UserRecord> {
  const record = await takeSession(core, client, session, 'NEW_PASSWORD_REQUIRED');
  const user = await core.store.users.getBySub(pool.id, record.sub);
  if (!user || !user.enabled) throw new NotAuthorizedError('Invalid session for the user.');
  try {
    if (answers.USERNAME === undefined) throw new InvalidParameterError('Missing required parameter USERNAME');
    await checkAnswerer(core, client, answerer, [answers.USERNAME, user.username], answers.SECRET_HASH);
    const password = answers.NEW_PASSWORD;
    if (!password) throw new InvalidParameterError('Missing required parameter NEW_PASSWORD');
    checkPassword(passwordPolicy(pool.config), password);
    const given = Object.entries(answers)
      .filter(([k]) => k.startsWith('userAttributes.'))
      .map(([k, Value]) => ({ Name: k.slice('userAttributes.'.length), Value }));
    const attributes = { ...user.attributes, ...validateWrite(pool, given, { client, existing: user }) };
    checkRequired(pool, attributes);
    const now = core.clock.now();
    const updated: UserRecord = { ...user, attributes, ...(await replacePassword(core, pool, user, password)), status: 'CONFIRMED' as const, updatedAt: now };
    await core.store.users.update(updated);
    return updated;
  } catch (error) {
    // A rejected answer leaves the challenge open, as Cognito does, so the user can try another password.
    await core.store.authSessions.put(record);
    throw error;
  }
}
