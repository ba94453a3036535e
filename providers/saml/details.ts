import type { DetailsCheck, ProviderContext } from '../types.js';
import { upstreamUrlProblem } from '../upstream-url.js';
import { fetchMetadata, parseIdpMetadata } from './idp-metadata.js';

/** Cognito's SAML ProviderDetails keys an admin sets. */
const OWN_KEYS = ['MetadataURL', 'MetadataFile', 'IDPInit', 'IDPSignout', 'EncryptedResponses', 'RequestSigningAlgorithm'];
const FLAGS = ['IDPInit', 'IDPSignout', 'EncryptedResponses'];

/**
 * Keys Cognate fills in from the metadata and reports back. Cognito names the first three;
 * the `idp_*` ones keep what a sign-in needs, so the metadata is read once per
 * Create/UpdateIdentityProvider instead of at every sign-in.
 */
export const DERIVED = {
  sso: 'SSORedirectBindingURI',
  slo: 'SLORedirectBindingURI',
  encryptionCertificate: 'ActiveEncryptionCertificate',
  entityId: 'idp_entity_id',
  certificates: 'idp_signing_certificates',
} as const;
const DERIVED_KEYS: string[] = Object.values(DERIVED);

/** SAML ProviderDetails: exactly one metadata source, flags "true"/"false", and metadata that names an IdP that can be used. */
export async function checkSamlDetails(input: Record<string, string>, ctx: ProviderContext): Promise<DetailsCheck> {
  const details = Object.fromEntries(Object.entries(input).filter(([key]) => !DERIVED_KEYS.includes(key)));
  const problems = Object.keys(details).filter((key) => !OWN_KEYS.includes(key)).map((key) => `${key} is not a SAML provider detail`);
  if ((details.MetadataURL === undefined) === (details.MetadataFile === undefined)) problems.push('Exactly one of MetadataURL and MetadataFile is required');
  for (const flag of FLAGS) if (details[flag] !== undefined && !['true', 'false'].includes(details[flag]!)) problems.push(`${flag} must be "true" or "false"`);
  if (details.RequestSigningAlgorithm !== undefined && details.RequestSigningAlgorithm !== 'rsa-sha256') problems.push('RequestSigningAlgorithm must be rsa-sha256');
  if (problems.length > 0) return { problems, details };

  let xml = details.MetadataFile;
  if (xml === undefined) {
    const fetched = await fetchMetadata(details.MetadataURL!, ctx);
    if (fetched.problem) return { problems: [fetched.problem], details };
    xml = fetched.xml!;
  }
  const { metadata, problems: metadataProblems } = parseIdpMetadata(xml);
  if (!metadata) return { problems: metadataProblems, details };
  if (details.IDPSignout === 'true' && !metadata.sloRedirectUrl) problems.push('IDPSignout is true but the metadata has no SingleLogoutService with the HTTP-Redirect binding');
  for (const [key, url] of [['SingleSignOnService', metadata.ssoRedirectUrl], ['SingleLogoutService', metadata.sloRedirectUrl]] as const) {
    const problem = url === undefined ? undefined : upstreamUrlProblem(`The metadata's ${key}`, url, ctx.allowInsecureUpstreams);
    if (problem) problems.push(problem);
  }
  return {
    problems,
    details: {
      ...details,
      [DERIVED.sso]: metadata.ssoRedirectUrl!,
      ...(metadata.sloRedirectUrl ? { [DERIVED.slo]: metadata.sloRedirectUrl } : {}),
      [DERIVED.entityId]: metadata.entityId,
      [DERIVED.certificates]: metadata.signingCertificates.join(','),
    },
  };
}
