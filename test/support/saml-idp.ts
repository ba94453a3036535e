import { DOMParser } from '@xmldom/xmldom';
import { execFileSync } from 'node:child_process';
import { createSign, createVerify, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';
import xmlenc from 'xml-encryption';

/*
 * A SAML 2.0 identity provider for tests: its own throwaway key and certificate (openssl),
 * metadata served over HTTP on loopback, an SSO endpoint that signs the configured user in
 * at once and answers with a real signed (and, if asked, encrypted) response in an HTTP-POST
 * form, and single logout in both directions.
 */

const P = 'urn:oasis:names:tc:SAML:2.0:protocol';
const A = 'urn:oasis:names:tc:SAML:2.0:assertion';
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
export const EMAIL_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';

export interface KeyPair {
  key: string;
  cert: string;
}

/** A fresh RSA key and self-signed certificate from the openssl CLI. */
export function throwawayKeyPair(cn: string): KeyPair {
  const dir = mkdtempSync(join(tmpdir(), 'saml-idp-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '3', '-subj', `/CN=${cn}`], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const certBody = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const newId = () => `_${randomBytes(16).toString('hex')}`;

export interface ResponseOptions {
  destination: string;
  recipient: string;
  audience: string;
  inResponseTo?: string;
  nameId: string;
  attributes?: Record<string, string | string[]>;
  issuer?: string;
  /** Defaults to now (the wall clock); the other times follow from it. */
  issueInstant?: number;
  notBefore?: number;
  notOnOrAfter?: number;
  assertionId?: string;
  sessionIndex?: string;
  status?: string;
}

export function assertionXml(o: ResponseOptions & { issuer: string }): string {
  const now = o.issueInstant ?? Date.now();
  const until = o.notOnOrAfter ?? now + 5 * 60_000;
  const irt = o.inResponseTo ? ` InResponseTo="${o.inResponseTo}"` : '';
  const attributes = Object.entries(o.attributes ?? {}).map(([name, value]) =>
    `<saml:Attribute Name="${esc(name)}">${[value].flat().map((v) => `<saml:AttributeValue>${esc(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`).join('');
  return `<saml:Assertion xmlns:saml="${A}" ID="${o.assertionId ?? newId()}" Version="2.0" IssueInstant="${iso(now)}">`
    + `<saml:Issuer>${esc(o.issuer)}</saml:Issuer>`
    + `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${esc(o.nameId)}</saml:NameID>`
    + `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData${irt} NotOnOrAfter="${iso(until)}" Recipient="${esc(o.recipient)}"/></saml:SubjectConfirmation></saml:Subject>`
    + `<saml:Conditions NotBefore="${iso(o.notBefore ?? now - 30_000)}" NotOnOrAfter="${iso(until)}"><saml:AudienceRestriction><saml:Audience>${esc(o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>`
    + `<saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="${o.sessionIndex ?? newId()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`
    + (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '')
    + '</saml:Assertion>';
}

export function responseXml(o: ResponseOptions & { issuer: string }, assertion: string): string {
  const irt = o.inResponseTo ? ` InResponseTo="${o.inResponseTo}"` : '';
  return `<samlp:Response xmlns:samlp="${P}" xmlns:saml="${A}" ID="${newId()}" Version="2.0" IssueInstant="${iso(o.issueInstant ?? Date.now())}" Destination="${esc(o.destination)}"${irt}>`
    + `<saml:Issuer>${esc(o.issuer)}</saml:Issuer>`
    + `<samlp:Status><samlp:StatusCode Value="${o.status ?? 'urn:oasis:names:tc:SAML:2.0:status:Success'}"/></samlp:Status>`
    + assertion
    + '</samlp:Response>';
}

/** An enveloped signature over the element `localName` (the first one), placed after its Issuer. */
export function signElement(xml: string, localName: string, keys: KeyPair): string {
  const sig = new SignedXml({ privateKey: keys.key, publicCert: keys.cert, signatureAlgorithm: RSA_SHA256, canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#' });
  sig.addReference({
    xpath: `(//*[local-name(.)='${localName}'])[1]`,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: `(//*[local-name(.)='${localName}'])[1]/*[local-name(.)='Issuer']`, action: 'after' } });
  return sig.getSignedXml();
}

/** The assertion encrypted to `certificate` (AES-256-GCM content key, RSA-OAEP key transport). */
export async function encryptAssertion(assertion: string, certificate: string): Promise<string> {
  const encrypt = promisify(xmlenc.encrypt) as (content: string, options: object) => Promise<string>;
  const data = await encrypt(assertion, {
    rsa_pub: certificate, pem: certificate, encryptionAlgorithm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
    keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p', disallowEncryptionWithInsecureAlgorithm: true,
  });
  return `<saml:EncryptedAssertion xmlns:saml="${A}">${data}</saml:EncryptedAssertion>`;
}

export interface SigningOptions {
  signAssertion?: boolean;
  signResponse?: boolean;
  /** Encrypts the (signed) assertion to this PEM certificate; '' for a plaintext assertion to an SP that wants encryption. */
  encryptTo?: string;
  keys?: KeyPair;
}

export const encode = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');
export const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

/** An HTTP-Redirect binding message with its query signature (SAML bindings §3.4.4.1). */
export function redirectBinding(target: string, name: 'SAMLRequest' | 'SAMLResponse', xml: string, relayState: string | undefined, keys: KeyPair): string {
  const parts = [`${name}=${encodeURIComponent(deflateRawSync(xml).toString('base64'))}`];
  if (relayState) parts.push(`RelayState=${encodeURIComponent(relayState)}`);
  parts.push(`SigAlg=${encodeURIComponent(RSA_SHA256)}`);
  const signature = createSign('RSA-SHA256').update(parts.join('&')).sign(keys.key, 'base64');
  return `${target}?${parts.join('&')}&Signature=${encodeURIComponent(signature)}`;
}

/** Verifies a received HTTP-Redirect message's query signature and returns its XML and parameters. */
export function readRedirect(url: URL, cert: string | undefined): { xml: Document; text: string; relayState: string | null; signed: boolean } {
  const raw = url.search.slice(1).split('&');
  const pick = (name: string) => raw.find((p) => p.startsWith(`${name}=`));
  const message = pick('SAMLRequest') ?? pick('SAMLResponse')!;
  const signatureParam = url.searchParams.get('Signature');
  if (signatureParam) {
    if (!cert) throw new Error('a signed message but no certificate to check it');
    const signed = [message, pick('RelayState'), pick('SigAlg')].filter(Boolean).join('&');
    if (!createVerify('RSA-SHA256').update(signed).verify(cert, signatureParam, 'base64')) throw new Error('bad redirect signature');
  }
  const text = inflateRawSync(Buffer.from(decodeURIComponent(message.split('=')[1]!), 'base64')).toString('utf8');
  return { xml: new DOMParser().parseFromString(text, 'text/xml'), text, relayState: url.searchParams.get('RelayState'), signed: Boolean(signatureParam) };
}

/** The page a real IdP answers with: a form the browser posts to the SP. */
const postForm = (action: string, fields: Record<string, string>) =>
  `<!DOCTYPE html><html><body><form method="post" action="${esc(action)}">${Object.entries(fields).map(([n, v]) => `<input type="hidden" name="${n}" value="${esc(v)}">`).join('')}<button>Continue</button></form></body></html>`;

export interface ReceivedRequest {
  id: string;
  issuer: string;
  acsUrl: string | null;
  destination: string | null;
  relayState: string | null;
  signed: boolean;
}

interface ServiceProvider {
  entityId: string;
  acsUrl: string;
  sloUrl: string;
  cert: string;
  encrypt: boolean;
}

export class TestSamlIdp {
  readonly keys = throwawayKeyPair('test-idp');
  entityId = '';
  url = '';
  /** Who is signed in at the IdP; the SSO endpoint answers for them. */
  user: { nameId: string; attributes: Record<string, string | string[]> } = { nameId: 'someone@example.com', attributes: {} };
  /** Changes to the next response the SSO endpoint makes (then reset). */
  next: Partial<ResponseOptions> & SigningOptions = {};
  readonly authnRequests: ReceivedRequest[] = [];
  readonly logoutRequests: ReceivedRequest[] = [];
  readonly logoutResponses: { inResponseTo: string | null; status: string | null; relayState: string | null }[] = [];
  private sp?: ServiceProvider;
  private server!: Server;

  static async start(): Promise<TestSamlIdp> {
    const idp = new TestSamlIdp();
    idp.server = createServer((req, res) => {
      idp.handle(new URL(req.url ?? '/', idp.url)).then(
        ({ status, type, body, location }) => res.writeHead(status, { 'content-type': type, ...(location ? { location } : {}) }).end(body),
        (error: Error) => res.writeHead(400, { 'content-type': 'text/plain' }).end(error.message),
      );
    });
    await new Promise<void>((ready) => idp.server.listen(0, '127.0.0.1', ready));
    idp.url = `http://127.0.0.1:${(idp.server.address() as AddressInfo).port}`;
    idp.entityId = `${idp.url}/entity`;
    return idp;
  }

  get metadataUrl() {
    return `${this.url}/metadata`;
  }

  metadata(options: { slo?: boolean; certs?: string[] } = {}): string {
    const keys = (options.certs ?? [this.keys.cert]).map((c) => `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${certBody(c)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`).join('');
    return `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="${MD}" entityID="${this.entityId}"><md:IDPSSODescriptor protocolSupportEnumeration="${P}">${keys}`
      + (options.slo === false ? '' : `<md:SingleLogoutService Binding="${REDIRECT}" Location="${this.url}/slo"/>`)
      + `<md:SingleSignOnService Binding="${REDIRECT}" Location="${this.url}/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>`;
  }

  /** Registers the SP from its published metadata, as an IdP administrator would; `encrypt`: assertions encrypted to its certificate. */
  async trust(spMetadataUrl: string, encrypt = false): Promise<void> {
    const doc = new DOMParser().parseFromString(await (await fetch(spMetadataUrl)).text(), 'text/xml');
    const first = (name: string) => doc.getElementsByTagNameNS(MD, name)[0]!;
    const cert = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'X509Certificate')[0]!.textContent!;
    this.sp = {
      entityId: first('EntityDescriptor').getAttribute('entityID')!,
      acsUrl: first('AssertionConsumerService').getAttribute('Location')!,
      sloUrl: first('SingleLogoutService').getAttribute('Location')!,
      cert: `-----BEGIN CERTIFICATE-----\n${cert.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`,
      encrypt,
    };
  }

  get serviceProvider(): ServiceProvider {
    if (!this.sp) throw new Error('call trust() first');
    return this.sp;
  }

  /** A SAMLResponse (base64) for the signed-in user, addressed to the trusted SP, signed as asked. */
  async response(options: Partial<ResponseOptions> & SigningOptions = {}): Promise<string> {
    return encode(await this.responseXmlFor(options));
  }

  async responseXmlFor(options: Partial<ResponseOptions> & SigningOptions = {}): Promise<string> {
    const sp = this.serviceProvider;
    const { signAssertion = true, signResponse = true, encryptTo = sp.encrypt ? sp.cert : undefined, keys = this.keys, ...fields } = options;
    const o = { destination: sp.acsUrl, recipient: sp.acsUrl, audience: sp.entityId, issuer: this.entityId, nameId: this.user.nameId, attributes: this.user.attributes, ...fields };
    let assertion = assertionXml(o);
    if (signAssertion) assertion = signElement(assertion, 'Assertion', keys);
    if (encryptTo) assertion = await encryptAssertion(assertion, encryptTo);
    const response = responseXml(o, assertion);
    return signResponse ? signElement(response, 'Response', keys) : response;
  }

  /** An IdP-initiated LogoutRequest to the SP's SLO endpoint (HTTP-Redirect, signed). */
  logoutRequestUrl(nameId: string, options: { keys?: KeyPair; signed?: boolean; sessionIndex?: string } = {}): string {
    const sp = this.serviceProvider;
    const xml = `<samlp:LogoutRequest xmlns:samlp="${P}" xmlns:saml="${A}" ID="${newId()}" Version="2.0" IssueInstant="${iso(Date.now())}" Destination="${sp.sloUrl}">`
      + `<saml:Issuer>${this.entityId}</saml:Issuer><saml:NameID>${esc(nameId)}</saml:NameID>`
      + (options.sessionIndex ? `<samlp:SessionIndex>${options.sessionIndex}</samlp:SessionIndex>` : '')
      + '</samlp:LogoutRequest>';
    if (options.signed === false) return `${sp.sloUrl}?SAMLRequest=${encodeURIComponent(deflateRawSync(xml).toString('base64'))}`;
    return redirectBinding(sp.sloUrl, 'SAMLRequest', xml, 'idp-logout', options.keys ?? this.keys);
  }

  private async handle(url: URL): Promise<{ status: number; type: string; body: string; location?: string }> {
    if (url.pathname === '/metadata') return { status: 200, type: 'application/samlmetadata+xml', body: this.metadata() };
    if (url.pathname === '/sso') return this.singleSignOn(url);
    if (url.pathname === '/slo') return this.singleLogout(url);
    return { status: 404, type: 'text/plain', body: 'not found' };
  }

  private received(url: URL): ReceivedRequest & { root: Element } {
    const { xml, relayState, signed } = readRedirect(url, this.sp?.cert);
    const root = xml.documentElement;
    const issuer = root.getElementsByTagNameNS(A, 'Issuer')[0]?.textContent ?? '';
    return { root, id: root.getAttribute('ID')!, issuer, acsUrl: root.getAttribute('AssertionConsumerServiceURL'), destination: root.getAttribute('Destination'), relayState, signed };
  }

  private async singleSignOn(url: URL) {
    const { root: _root, ...request } = this.received(url);
    this.authnRequests.push(request);
    const sp = this.serviceProvider;
    if (request.issuer !== sp.entityId || request.acsUrl !== sp.acsUrl) throw new Error('AuthnRequest from an unknown SP');
    const options = { inResponseTo: request.id, ...this.next };
    this.next = {};
    const fields: Record<string, string> = { SAMLResponse: await this.response(options) };
    if (request.relayState) fields.RelayState = request.relayState;
    return { status: 200, type: 'text/html', body: postForm(sp.acsUrl, fields) };
  }

  private async singleLogout(url: URL) {
    const { root, ...message } = this.received(url);
    const sp = this.serviceProvider;
    if (root.localName === 'LogoutResponse') {
      const code = root.getElementsByTagNameNS(P, 'StatusCode')[0]?.getAttribute('Value') ?? null;
      this.logoutResponses.push({ inResponseTo: root.getAttribute('InResponseTo'), status: code, relayState: message.relayState });
      return { status: 200, type: 'text/plain', body: 'logged out' };
    }
    this.logoutRequests.push(message);
    if (!message.signed) throw new Error('unsigned LogoutRequest');
    const answer = `<samlp:LogoutResponse xmlns:samlp="${P}" xmlns:saml="${A}" ID="${newId()}" Version="2.0" IssueInstant="${iso(Date.now())}" Destination="${sp.sloUrl}" InResponseTo="${message.id}">`
      + `<saml:Issuer>${this.entityId}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>`;
    const fields: Record<string, string> = { SAMLResponse: encode(signElement(answer, 'LogoutResponse', this.keys)) };
    if (message.relayState) fields.RelayState = message.relayState;
    return { status: 200, type: 'text/html', body: postForm(sp.sloUrl, fields) };
  }

  close(): Promise<void> {
    return new Promise((done) => this.server.close(() => done()));
  }
}
