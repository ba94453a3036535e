import { DOMParser } from '@xmldom/xmldom';
import { UpstreamError } from '../../src/errors.js';

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
  xmlenc: 'http://www.w3.org/2001/04/xmlenc#',
} as const;

export const BINDING = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;

/** A parsed document, or UpstreamError. A DOCTYPE is refused: SAML never needs one, and entities are an attack surface. */
export function parseXml(text: string, what: string): Document {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new UpstreamError(`The ${what} has a DOCTYPE, which SAML does not allow`);
  const fail = (message: string) => {
    throw new UpstreamError(`The ${what} is not well-formed XML`, { cause: message });
  };
  const doc = new DOMParser({ locator: {}, errorHandler: { error: fail, fatalError: fail } }).parseFromString(text, 'text/xml');
  if (!doc?.documentElement) fail('no root element');
  return doc;
}

/**
 * A signed value with a comment inside reads two ways: canonicalization drops the comment
 * before the digest, while a naive reader stops at it (`user@evil.com<!---->.example.com`).
 * No IdP needs comments in a protocol message, so they are refused outright.
 */
export function refuseComments(text: string, what: string): void {
  if (text.includes('<!--')) throw new UpstreamError(`The ${what} contains an XML comment, which is not accepted`);
}

export function isElement(node: Node, ns: string, localName: string): node is Element {
  return node.nodeType === 1 && (node as Element).namespaceURI === ns && (node as Element).localName === localName;
}

/** Direct children only: the structure is checked, never searched for, so nothing wrapped elsewhere is picked up. */
export function children(parent: Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) if (isElement(node, ns, localName)) out.push(node);
  return out;
}

export function child(parent: Element, ns: string, localName: string): Element | undefined {
  return children(parent, ns, localName)[0];
}

export function textOf(element: Element | undefined): string | undefined {
  const text = element?.textContent?.trim();
  return text ? text : undefined;
}

export function attribute(element: Element | undefined, name: string): string | undefined {
  return element?.hasAttribute(name) ? element.getAttribute(name)! : undefined;
}

export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Base64 body of a certificate in PEM or bare base64 form. */
export function certificateBody(certificate: string): string {
  return certificate.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

export function certificatePem(body: string): string {
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
}
