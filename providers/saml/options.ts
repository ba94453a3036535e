import { SAML, ValidateInResponseTo, type SamlConfig } from '@node-saml/node-saml';
import type { ProviderSetup, SamlServiceProvider } from '../types.js';
import { DERIVED } from './details.js';
import { certificatePem } from './xml.js';

/** A configured SAML provider as the adapter reads it from the stored details. */
export interface SamlPeer {
  sp: SamlServiceProvider;
  idpEntityId: string;
  idpCertificates: string[];
  ssoUrl: string;
  sloUrl?: string;
  signRequests: boolean;
  encryptedResponses: boolean;
  idpInitiated: boolean;
  singleLogout: boolean;
}

export function samlPeer(setup: ProviderSetup): SamlPeer {
  if (!setup.saml) throw new Error('A SAML provider needs the pool’s service-provider setup');
  const d = setup.details;
  return {
    sp: setup.saml,
    idpEntityId: d[DERIVED.entityId]!,
    idpCertificates: (d[DERIVED.certificates] ?? '').split(',').filter(Boolean).map(certificatePem),
    ssoUrl: d[DERIVED.sso]!,
    sloUrl: d[DERIVED.slo],
    signRequests: d.RequestSigningAlgorithm === 'rsa-sha256',
    encryptedResponses: d.EncryptedResponses === 'true',
    idpInitiated: d.IDPInit === 'true',
    singleLogout: d.IDPSignout === 'true' && d[DERIVED.slo] !== undefined,
  };
}

/**
 * node-saml set up for one message. Time checks are off in node-saml (it reads the wall
 * clock) and done in checkAssertion against the injected clock; InResponseTo is checked
 * there too, against the request ID the broker kept, so node-saml needs no cache.
 */
export function samlFor(peer: SamlPeer, options: Partial<SamlConfig> & { sign?: boolean } = {}): SAML {
  const { sign, ...rest } = options;
  return new SAML({
    entryPoint: peer.ssoUrl,
    logoutUrl: peer.sloUrl,
    issuer: peer.sp.entityId,
    audience: peer.sp.entityId,
    callbackUrl: peer.sp.acsUrl,
    idpCert: peer.idpCertificates,
    idpIssuer: peer.idpEntityId,
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    wantAssertionsSigned: true,
    acceptedClockSkewMs: -1,
    validateInResponseTo: ValidateInResponseTo.never,
    ...(sign ? { privateKey: peer.sp.privateKey, signatureAlgorithm: 'sha256' as const } : {}),
    ...rest,
  });
}

/** A SAML message ID: starts with a letter or underscore (xs:ID), 160 random bits. */
export function messageId(randomBytes: (n: number) => Uint8Array): string {
  return '_' + Array.from(randomBytes(20), (b) => b.toString(16).padStart(2, '0')).join('');
}
