import { providerKinds } from '../../../providers/index.js';
import type { ProviderType } from '../../../providers/types.js';
import type { IdentityProviderRecord } from '../../ports.js';
import type { Core } from '../context.js';

const contextOf = (poolId: string, name: string) => `idp:${poolId}:${name}`;

/** Splits ProviderDetails into what is stored in the clear and the secrets, sealed together. */
export async function sealProviderDetails(
  core: Core, poolId: string, name: string, type: ProviderType, details: Record<string, string>,
): Promise<{ details: Record<string, string>; secretsEnc: string | null }> {
  const secretKeys = providerKinds[type]?.secretKeys ?? [];
  const open: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const [key, value] of Object.entries(details)) (secretKeys.includes(key) ? secrets : open)[key] = value;
  const secretsEnc = Object.keys(secrets).length === 0 ? null : await core.sealer.seal(JSON.stringify(secrets), contextOf(poolId, name));
  return { details: open, secretsEnc };
}

/** The full ProviderDetails, secrets unsealed. */
export async function openProviderDetails(core: Core, provider: IdentityProviderRecord): Promise<Record<string, string>> {
  if (!provider.secretsEnc) return { ...provider.details };
  const secrets = JSON.parse(await core.sealer.open(provider.secretsEnc, contextOf(provider.poolId, provider.name))) as Record<string, string>;
  return { ...provider.details, ...secrets };
}
