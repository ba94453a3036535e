import { InvalidParameterError, ResourceNotFoundError } from '../../errors.js';
import type { PoolRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { randomString } from '../crypto.js';
import { withoutUiCustomization } from '../directory/ui-customization.js';
import { creationOnlySettings, throwIfProblems, updatableSettings } from '../directory/pool-input.js';
import { mfaMode, poolFactors, withoutMfaFactorSettings } from '../mfa/factors.js';
import { generateSigningKey, SIGNING_ALGS, type SigningAlg } from '../tokens/keys.js';
import { decodePageToken, encodePageToken } from './paging.js';
import { optionalInt, poolIdOf, requiredString, type Input } from './input.js';

const POOL_NAME = /^[\w\s+=,.@-]+$/;
/** Beyond Cognito: a pool tag picks the signing algorithm, since the SDK only sends modelled fields. */
export const SIGNING_ALG_TAG = 'cognate:signing-alg';

export async function loadPool(core: Core, poolId: string): Promise<PoolRecord> {
  const pool = await core.store.pools.get(poolId);
  if (!pool) throw new ResourceNotFoundError(`User pool ${poolId} does not exist.`);
  return pool;
}

export async function describePoolShape(core: Core, pool: PoolRecord): Promise<Record<string, unknown>> {
  const { region } = core.settings;
  return {
    Id: pool.id,
    Name: pool.name,
    ...withoutMfaFactorSettings(withoutUiCustomization(pool.config)),
    LastModifiedDate: pool.updatedAt / 1000,
    CreationDate: pool.createdAt / 1000,
    EstimatedNumberOfUsers: await core.store.users.count(pool.id),
    Arn: `arn:aws:cognito-idp:${region}:000000000000:userpool/${pool.id}`,
  };
}

function signingAlgOf(tags: unknown): SigningAlg {
  const alg = (tags as Record<string, string> | undefined)?.[SIGNING_ALG_TAG] ?? 'RS256';
  if (!SIGNING_ALGS.includes(alg as SigningAlg)) {
    throw new InvalidParameterError(`UserPoolTags.${SIGNING_ALG_TAG} must be one of ${SIGNING_ALGS.join(', ')}`);
  }
  return alg as SigningAlg;
}

export async function createUserPool(core: Core, input: Input) {
  const name = requiredString(input, 'PoolName', { min: 1, max: 128, pattern: POOL_NAME });
  const problems: string[] = [];
  const config = { ...updatableSettings(input, problems), ...creationOnlySettings(input, problems) };
  throwIfProblems(problems);
  const now = core.clock.now();
  const id = `${core.settings.region}_${randomString((n) => core.random.bytes(n), 9)}`;
  const key = await generateSigningKey(id, signingAlgOf(config.UserPoolTags), core.sealer, (n) => core.random.bytes(n), now);
  const pool: PoolRecord = { id, name, config, createdAt: now, updatedAt: now };
  await core.store.pools.insert(pool, key);
  return { UserPool: await describePoolShape(core, pool) };
}

export async function describeUserPool(core: Core, input: Input) {
  return { UserPool: await describePoolShape(core, await loadPool(core, poolIdOf(input))) };
}

export async function updateUserPool(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  const problems: string[] = [];
  const settings = updatableSettings(input, problems);
  throwIfProblems(problems);
  const currentAlg = signingAlgOf(pool.config.UserPoolTags);
  const tags = settings.UserPoolTags as Record<string, string>;
  if (tags[SIGNING_ALG_TAG] === undefined) {
    // An update that leaves the tag out keeps the pool's algorithm (and says so in its tags).
    if (currentAlg !== 'RS256') settings.UserPoolTags = { ...tags, [SIGNING_ALG_TAG]: currentAlg };
  } else if (signingAlgOf(tags) !== currentAlg) {
    throw new InvalidParameterError(`${SIGNING_ALG_TAG} can only be chosen when the pool is created`);
  }
  const config = { ...pool.config, ...settings };
  // UpdateUserPool can configure SMS only; turning MFA on needs a factor it or SetUserPoolMfaConfig enabled.
  if (mfaMode(config) !== 'OFF' && poolFactors(config).length === 0) {
    throw new InvalidParameterError('SMS configuration and Auto verification for phone_number are required when MFA is required/optional');
  }
  await core.store.pools.update({ ...pool, config, updatedAt: core.clock.now() });
  return {};
}

export async function listUserPools(core: Core, input: Input) {
  const max = optionalInt(input, 'MaxResults', 1, 60);
  if (max === undefined) throw new InvalidParameterError("1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must not be null");
  const after = decodePageToken(input.NextToken);
  const page = await core.store.pools.list(max, after);
  return {
    UserPools: page.items.map((p) => ({
      Id: p.id,
      Name: p.name,
      LambdaConfig: p.config.LambdaConfig ?? {},
      LastModifiedDate: p.updatedAt / 1000,
      CreationDate: p.createdAt / 1000,
    })),
    NextToken: encodePageToken(page.next),
  };
}

export async function deleteUserPool(core: Core, input: Input) {
  const pool = await loadPool(core, poolIdOf(input));
  if (pool.config.DeletionProtection === 'ACTIVE') {
    throw new InvalidParameterError(
      `The user pool ${pool.id} cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.`,
    );
  }
  await core.store.pools.delete(pool.id);
  core.keys.invalidate(pool.id);
  return {};
}
