import type { SamlServiceProvider } from '../types.js';
import { BINDING, certificateBody, escapeXml, NS } from './xml.js';

const keyDescriptor = (use: 'signing' | 'encryption', certificate: string, extra = '') =>
  `<md:KeyDescriptor use="${use}"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certificateBody(certificate)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>${extra}</md:KeyDescriptor>`;

/** What xml-encryption (behind node-saml) decrypts; PKCS#1 v1.5 key transport is refused. */
const ENCRYPTION_METHODS = [
  'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
  'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
  'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
].map((algorithm) => `<md:EncryptionMethod Algorithm="${algorithm}"/>`).join('');

/**
 * The pool's SP metadata for IdP administrators: entity id, the ACS (HTTP-POST), single
 * logout (HTTP-Redirect for requests, HTTP-POST for responses) and the pool's certificate,
 * which signs requests and decrypts assertions. Assertions must be signed.
 */
export function serviceProviderMetadata(sp: SamlServiceProvider): string {
  const slo = escapeXml(sp.logoutUrl);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<md:EntityDescriptor xmlns:md="${NS.metadata}" xmlns:ds="${NS.dsig}" entityID="${escapeXml(sp.entityId)}">`,
    `<md:SPSSODescriptor protocolSupportEnumeration="${NS.protocol}" WantAssertionsSigned="true">`,
    keyDescriptor('signing', sp.certificate),
    keyDescriptor('encryption', sp.certificate, ENCRYPTION_METHODS),
    `<md:SingleLogoutService Binding="${BINDING.redirect}" Location="${slo}"/>`,
    `<md:SingleLogoutService Binding="${BINDING.post}" Location="${slo}"/>`,
    '<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>',
    `<md:AssertionConsumerService index="1" isDefault="true" Binding="${BINDING.post}" Location="${escapeXml(sp.acsUrl)}"/>`,
    '</md:SPSSODescriptor>',
    '</md:EntityDescriptor>',
  ].join('\n');
}
