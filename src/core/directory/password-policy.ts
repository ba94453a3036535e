import { InvalidPasswordError } from '../../errors.js';
import { randomString } from '../crypto.js';
import type { PasswordPolicy } from './pool-config.js';

/** The symbols Cognito counts as special characters (and the space). */
const SYMBOLS = `^$*.[]{}()?"!@#%&/\\,><':;|_~\`=+- `;

export function checkPassword(policy: PasswordPolicy, password: string): void {
  const problems: string[] = [];
  if (password.length < policy.MinimumLength) problems.push('Password not long enough');
  if (password.length > 256) problems.push('Password is too long');
  if (policy.RequireUppercase && !/\p{Lu}/u.test(password)) problems.push('Password must have uppercase characters');
  if (policy.RequireLowercase && !/\p{Ll}/u.test(password)) problems.push('Password must have lowercase characters');
  if (policy.RequireNumbers && !/[0-9]/.test(password)) problems.push('Password must have numeric characters');
  if (policy.RequireSymbols && ![...password].some((c) => SYMBOLS.includes(c))) problems.push('Password must have symbol characters');
  if (/^\s|\s$/.test(password)) problems.push('Password must not begin or end with whitespace');
  if (problems.length > 0) throw new InvalidPasswordError(`Password did not conform with policy: ${problems.join('; ')}`);
}

/** A temporary password that satisfies the pool's own policy. */
export function generateTemporaryPassword(policy: PasswordPolicy, bytes: (n: number) => Uint8Array): string {
  const length = Math.max(policy.MinimumLength, 12);
  const core = randomString(bytes, length - 4, 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789');
  return core + randomString(bytes, 1, 'ABCDEFGHJKLMNPQRSTUVWXYZ') + randomString(bytes, 1, 'abcdefghijkmnopqrstuvwxyz') +
    randomString(bytes, 1, '23456789') + randomString(bytes, 1, '!#%+=-_');
}
