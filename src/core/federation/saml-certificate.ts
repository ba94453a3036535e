import { serviceProviderMetadata } from '../../../providers/saml/sp-metadata.js';
import type { SamlServiceProvider } from '../../../providers/types.js';
import type { PoolRecord, SamlCertificateRecord } from '../../ports.js';
import { issuerOf, type Core } from '../context.js';
import { selfSignedCertificate } from './self-signed-certificate.js';

/** Cognito's SP certificates are valid for ten years. */
const CERTIFICATE_VALID_MS = 10 * 365 * 86_400_000;

const sealContext = (poolId: string) => `saml:${poolId}`;

/** Cognito's SP entity id, the Audience an IdP must put in its assertions. */
export const samlEntityId = (poolId: string) => `urn:amazon:cognito:sp:${poolId}`;

/**
 * The pool's certificate, made on first use. Two first uses at once both make one; the
 * store keeps the first and both go on with it.
 */
async function certificateOf(core: Core, poolId: string): Promise<SamlCertificateRecord> {
  const existing = await core.store.federation.samlCertificate(poolId);
  if (existing) return existing;
  const now = core.clock.now();
  const made = await selfSignedCertificate(samlEntityId(poolId), now, CERTIFICATE_VALID_MS, (n) => core.random.bytes(n));
  return core.store.federation.putSamlCertificate({
    poolId,
    certificate: made.certificate,
    privateKeyEnc: await core.sealer.seal(made.privateKey, sealContext(poolId)),
    createdAt: now,
  });
}

/** The pool's certificate as Cognito shows it (ActiveEncryptionCertificate): base64 DER, no PEM armour. */
export async function samlCertificateBody(core: Core, poolId: string): Promise<string> {
  return (await certificateOf(core, poolId)).certificate.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
}

/** `/saml2/metadata`: the pool's SP metadata document. */
export async function samlMetadata(core: Core, pool: PoolRecord): Promise<string> {
  return serviceProviderMetadata(await samlServiceProvider(core, pool));
}

/** The pool's SAML service-provider side: SP entity id and endpoints as Cognito names them, and its key pair. */
export async function samlServiceProvider(core: Core, pool: PoolRecord): Promise<SamlServiceProvider> {
  const record = await certificateOf(core, pool.id);
  const issuer = issuerOf(core, pool.id);
  return {
    entityId: samlEntityId(pool.id),
    acsUrl: `${issuer}/saml2/idpresponse`,
    logoutUrl: `${issuer}/saml2/logout`,
    certificate: record.certificate,
    privateKey: await core.sealer.open(record.privateKeyEnc, sealContext(pool.id)),
  };
}
