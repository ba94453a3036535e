import { providerKinds } from '../../../providers/index.js';
import type { FederatedProvider } from '../../../providers/types.js';
import { UpstreamError } from '../../errors.js';
import type { IdentityProviderRecord, PoolRecord } from '../../ports.js';
import { issuerOf, type Core } from '../context.js';
import { providerContext } from './provider-details.js';
import { openProviderDetails } from './provider-secrets.js';
import { samlServiceProvider } from './saml-certificate.js';

/** `{issuer}/oauth2/idpresponse`: the one redirect URI every OAuth/OIDC upstream is registered with. */
export function idpResponseUrl(core: Core, poolId: string): string {
  return `${issuerOf(core, poolId)}/oauth2/idpresponse`;
}

/** The protocol adapter for a configured provider, secrets unsealed for this call only. */
export async function adapterOf(core: Core, pool: PoolRecord, provider: IdentityProviderRecord): Promise<FederatedProvider> {
  const kind = providerKinds[provider.type];
  if (!kind) throw new UpstreamError(`Provider type ${provider.type} is not available`);
  const { link_policy: _policy, ...details } = await openProviderDetails(core, provider);
  return kind.create(
    {
      poolId: pool.id,
      name: provider.name,
      type: provider.type,
      details,
      redirectUri: idpResponseUrl(core, pool.id),
      saml: provider.type === 'SAML' ? await samlServiceProvider(core, pool) : undefined,
    },
    providerContext(core),
  );
}
