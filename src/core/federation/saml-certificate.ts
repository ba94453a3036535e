import type { SamlServiceProvider } from '../../../providers/types.js';
import { UpstreamError } from '../../errors.js';
import type { PoolRecord } from '../../ports.js';
import { issuerOf, type Core } from '../context.js';

/** The pool's SAML service-provider side: SP entity id and endpoints as Cognito names them. */
export async function samlServiceProvider(core: Core, pool: PoolRecord): Promise<SamlServiceProvider> {
  void issuerOf(core, pool.id);
  throw new UpstreamError('SAML sign-in is not available yet');
}
