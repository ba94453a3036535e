import type { ProviderContext } from '../types.js';
import { upstreamFetch } from '../upstream-url.js';
import { attribute, BINDING, certificateBody, children, isElement, NS, parseXml, textOf } from './xml.js';

/** What Cognate needs from an IdP's metadata. */
export interface IdpMetadata {
  entityId: string;
  /** Base64 DER of each signing certificate; a response signed by any of them verifies. */
  signingCertificates: string[];
  ssoRedirectUrl?: string;
  sloRedirectUrl?: string;
}

const MAX_METADATA_BYTES = 1_000_000;

/** The IdP's EntityDescriptor: the root, or the first in an EntitiesDescriptor with an IdP role. */
function idpEntity(root: Element): Element | undefined {
  const hasIdpRole = (e: Element) => children(e, NS.metadata, 'IDPSSODescriptor').length > 0;
  if (isElement(root, NS.metadata, 'EntityDescriptor')) return root;
  if (isElement(root, NS.metadata, 'EntitiesDescriptor')) return children(root, NS.metadata, 'EntityDescriptor').find(hasIdpRole);
  return undefined;
}

function endpoint(descriptor: Element, name: string): string | undefined {
  const match = children(descriptor, NS.metadata, name).find((e) => attribute(e, 'Binding') === BINDING.redirect);
  return attribute(match, 'Location');
}

/** Reads the metadata, listing every problem it has; the metadata is returned only when there are none. */
export function parseIdpMetadata(xml: string): { metadata?: IdpMetadata; problems: string[] } {
  let doc: Document;
  try {
    doc = parseXml(xml, 'SAML metadata');
  } catch (error) {
    return { problems: [(error as Error).message] };
  }
  const entity = idpEntity(doc.documentElement);
  const entityId = attribute(entity, 'entityID');
  const descriptor = entity && children(entity, NS.metadata, 'IDPSSODescriptor')[0];
  if (!entity || !entityId || !descriptor) return { problems: ['The metadata is not SAML 2.0 metadata of an identity provider (no EntityDescriptor with an entityID and an IDPSSODescriptor)'] };
  const problems: string[] = [];
  const signingCertificates = children(descriptor, NS.metadata, 'KeyDescriptor')
    .filter((k) => (attribute(k, 'use') ?? 'signing') === 'signing')
    .flatMap((k) => children(k, NS.dsig, 'KeyInfo'))
    .flatMap((info) => children(info, NS.dsig, 'X509Data'))
    .flatMap((data) => children(data, NS.dsig, 'X509Certificate'))
    .map((c) => certificateBody(textOf(c) ?? ''))
    .filter(Boolean);
  if (signingCertificates.length === 0) problems.push('The metadata has no signing certificate (KeyDescriptor use="signing" with an X509Certificate)');
  const ssoRedirectUrl = endpoint(descriptor, 'SingleSignOnService');
  if (!ssoRedirectUrl) problems.push('The metadata has no SingleSignOnService with the HTTP-Redirect binding');
  if (problems.length > 0) return { problems };
  return { metadata: { entityId, signingCertificates, ssoRedirectUrl, sloRedirectUrl: endpoint(descriptor, 'SingleLogoutService') }, problems };
}

/** The document at MetadataURL, or the problem fetching it. */
export async function fetchMetadata(url: string, ctx: ProviderContext): Promise<{ xml?: string; problem?: string }> {
  try {
    const response = await upstreamFetch(ctx)(url, { headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' }, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    // Not followed: a redirect could lead off the checked scheme and host (Workers do not support redirect: 'error').
    if (!response.ok) return { problem: `MetadataURL answered HTTP ${response.status}` };
    const xml = await response.text();
    if (xml.length > MAX_METADATA_BYTES) return { problem: 'The metadata at MetadataURL is larger than 1 MB' };
    return { xml };
  } catch (error) {
    return { problem: `MetadataURL could not be fetched (${(error as Error).name}: ${(error as Error).message.slice(0, 120)})` };
  }
}
