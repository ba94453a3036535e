import { UpstreamError } from '../../src/errors.js';
import { checkAssertion, type AssertionFacts } from './assertion.js';
import { samlFor, type SamlPeer } from './options.js';
import { attribute, child, children, NS, parseXml, refuseComments, textOf } from './xml.js';

/** Cognito's limit on what /saml2/idpresponse accepts. */
const MAX_RESPONSE_CHARS = 100_000;
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const RSA_1_5 = 'http://www.w3.org/2001/04/xmlenc#rsa-1_5';

export function decodeMessage(encoded: string | null, what: string): string {
  if (!encoded) throw new UpstreamError(`The ${what} is missing`);
  if (encoded.length > MAX_RESPONSE_CHARS) throw new UpstreamError(`The ${what} is larger than ${MAX_RESPONSE_CHARS} characters`);
  try {
    const binary = atob(encoded.replace(/\s+/g, ''));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
  } catch {
    throw new UpstreamError(`The ${what} is not base64-encoded UTF-8`);
  }
}

/** The status code, and the second-level code that says why when it is not Success. */
export function statusOf(root: Element): { success: boolean; detail: string } {
  const code = child(child(root, NS.protocol, 'Status') ?? root, NS.protocol, 'StatusCode');
  const value = attribute(code, 'Value') ?? 'none';
  const nested = attribute(code && child(code, NS.protocol, 'StatusCode'), 'Value');
  return { success: value === SUCCESS, detail: (nested ?? value).replace(/^.*:/, '') };
}

/** Checks on the Response element itself: the protocol envelope node-saml does not look at. */
function checkEnvelope(root: Element, peer: SamlPeer, requestId: string | undefined): { signed: boolean } {
  if (root.namespaceURI !== NS.protocol || root.localName !== 'Response') throw new UpstreamError('The SAML message is not a Response');
  const status = statusOf(root);
  if (!status.success) throw new UpstreamError(`The identity provider did not sign the user in (${status.detail})`);
  const issuer = child(root, NS.assertion, 'Issuer');
  if (issuer && textOf(issuer) !== peer.idpEntityId) throw new UpstreamError('The SAML response was issued by another entity than this provider');
  const signed = children(root, NS.dsig, 'Signature').length > 0;
  const destination = attribute(root, 'Destination');
  // SAML bindings §3.5.5.2: a signed message names its destination.
  if ((signed || destination !== undefined) && destination !== peer.sp.acsUrl) throw new UpstreamError(`The SAML response's Destination is not ${peer.sp.acsUrl}`);
  const inResponseTo = attribute(root, 'InResponseTo');
  if (requestId === undefined && inResponseTo !== undefined) throw new UpstreamError('The SAML response answers a request (InResponseTo) although no sign-in is in progress');
  if (requestId !== undefined && inResponseTo !== requestId) throw new UpstreamError('The SAML response does not answer the request Cognate sent (InResponseTo)');

  const encrypted = children(root, NS.assertion, 'EncryptedAssertion');
  if (peer.encryptedResponses && children(root, NS.assertion, 'Assertion').length > 0) throw new UpstreamError('This provider must encrypt its assertions (EncryptedResponses is true)');
  if (!peer.encryptedResponses && encrypted.length > 0) throw new UpstreamError('The assertion is encrypted but EncryptedResponses is not true for this provider');
  // PKCS#1 v1.5 key transport is open to Bleichenbacher-style oracles.
  const methods = encrypted.flatMap((e) => Array.from(e.getElementsByTagNameNS(NS.xmlenc, 'EncryptionMethod')));
  if (methods.some((m) => attribute(m, 'Algorithm') === RSA_1_5)) throw new UpstreamError('The assertion is encrypted with RSA PKCS#1 v1.5, which is not accepted');
  return { signed };
}

/**
 * Verifies an HTTP-POST `SAMLResponse`: signatures by node-saml (the assertion always
 * signed, the Response too when it carries a signature), then this sign-in's checks on
 * what the signatures covered. `requestId` undefined: an unsolicited response.
 */
export async function verifyResponse(encoded: string | null, peer: SamlPeer, requestId: string | undefined, now: number): Promise<AssertionFacts> {
  const xml = decodeMessage(encoded, 'SAMLResponse');
  refuseComments(xml, 'SAML response');
  const { signed } = checkEnvelope(parseXml(xml, 'SAML response').documentElement, peer, requestId);
  const saml = samlFor(peer, { wantAuthnResponseSigned: signed, decryptionPvk: peer.encryptedResponses ? peer.sp.privateKey : undefined });
  let assertionXml: string;
  try {
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: encoded! });
    if (!profile?.getAssertionXml) throw new Error('no assertion');
    assertionXml = profile.getAssertionXml();
  } catch (error) {
    throw new UpstreamError(`The SAML response did not verify: ${String((error as Error).message).slice(0, 160)}`);
  }
  return checkAssertion(parseXml(assertionXml, 'SAML assertion').documentElement, { idpEntityId: peer.idpEntityId, acsUrl: peer.sp.acsUrl, requestId, now });
}
