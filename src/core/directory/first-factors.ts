import type { PoolConfig, PoolRecord, UserRecord } from '../../ports.js';

/** Values `Policies.SignInPolicy.AllowedFirstAuthFactors` accepts. WEB_AUTHN is stored but never offered yet. */
export const FIRST_FACTORS = ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'] as const;

/** Challenges a USER_AUTH sign-in can go straight to, or list in AVAILABLE_CHALLENGES. */
export const USER_AUTH_CHALLENGES = ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP'] as const;
export type UserAuthChallenge = (typeof USER_AUTH_CHALLENGES)[number];

export function allowedFirstFactors(config: PoolConfig): string[] {
  const policy = (config.Policies as { SignInPolicy?: { AllowedFirstAuthFactors?: string[] } } | undefined)?.SignInPolicy;
  return policy?.AllowedFirstAuthFactors ?? ['PASSWORD'];
}

/** Problems with a SignInPolicy given to CreateUserPool or UpdateUserPool. */
export function signInPolicyProblems(policy: unknown): string[] {
  if (policy === undefined) return [];
  const factors = (policy as { AllowedFirstAuthFactors?: unknown } | null)?.AllowedFirstAuthFactors;
  if (factors === undefined) return [];
  const path = 'Policies.SignInPolicy.AllowedFirstAuthFactors';
  if (!Array.isArray(factors) || factors.length < 1 || factors.length > FIRST_FACTORS.length) {
    return [`${path} must be a list of 1 to ${FIRST_FACTORS.length} values`];
  }
  const problems = factors
    .filter((f) => !(FIRST_FACTORS as readonly unknown[]).includes(f))
    .map((f) => `${path} member ${JSON.stringify(f)} must be one of ${FIRST_FACTORS.join(', ')}`);
  if (new Set(factors).size !== factors.length) problems.push(`${path} must not repeat a value`);
  return problems;
}

/** First factors a USER_AUTH sign-in could offer this user, as the pool's sign-in policy allows them. */
export function configuredAuthFactors(pool: PoolRecord, user: UserRecord): string[] {
  const allowed = allowedFirstFactors(pool.config);
  const factors: string[] = [];
  if (allowed.includes('PASSWORD') && user.passwordHash) factors.push('PASSWORD');
  if (allowed.includes('EMAIL_OTP') && user.attributes.email && user.attributes.email_verified === 'true') factors.push('EMAIL_OTP');
  if (allowed.includes('SMS_OTP') && user.attributes.phone_number && user.attributes.phone_number_verified === 'true') factors.push('SMS_OTP');
  return factors;
}

/** The challenges this user may pick: a password offers both PASSWORD and PASSWORD_SRP. */
export function availableChallenges(pool: PoolRecord, user: UserRecord): UserAuthChallenge[] {
  return configuredAuthFactors(pool, user).flatMap((f) => (f === 'PASSWORD' ? ['PASSWORD', 'PASSWORD_SRP'] : [f])) as UserAuthChallenge[];
}

/** What an unknown name is offered when existence must not show: what a user with every allowed factor would see. */
export function decoyChallenges(pool: PoolRecord): UserAuthChallenge[] {
  const allowed = allowedFirstFactors(pool.config);
  return USER_AUTH_CHALLENGES.filter((c) => allowed.includes(c === 'PASSWORD_SRP' ? 'PASSWORD' : c));
}
