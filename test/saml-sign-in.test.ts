import { CreateIdentityProviderCommand, DescribeIdentityProviderCommand, UpdateIdentityProviderCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Browser } from './support/browser.js';
import { startCognate, type TestCognate } from './support/cognate.js';
import {
  CALLBACK, idpForm, postToAcs, PROVIDER, redeem, refusal, samlPool, signInThroughIdp, startSignIn, unsolicitedRelayState, usernames,
} from './support/saml-flow.js';
import { certBody, decode, EMAIL_CLAIM, TestSamlIdp, throwawayKeyPair } from './support/saml-idp.js';
import { errorName } from './support/users.js';

describe('SAML 2.0 sign-in through a real signing IdP (node-saml)', () => {
  let cognate: TestCognate;
  let idp: TestSamlIdp;
  before(async () => {
    cognate = await startCognate();
    idp = await TestSamlIdp.start();
    idp.user = { nameId: 'ann@corp.example', attributes: { [EMAIL_CLAIM]: 'ann@corp.example', groups: ['admins', 'staff'] } };
  });
  after(async () => {
    await cognate.close();
    await idp.close();
  });

  const describeProvider = async (poolId: string) =>
    (await cognate.admin.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: PROVIDER }))).IdentityProvider!;

  it('reads the IdP metadata from MetadataURL and reports the SSO and SLO endpoints, as Cognito does', async () => {
    const pool = await samlPool(cognate, idp);
    const { ProviderDetails } = await describeProvider(pool.poolId);
    assert.equal(ProviderDetails!.MetadataURL, idp.metadataUrl);
    assert.equal(ProviderDetails!.SSORedirectBindingURI, `${idp.url}/sso`);
    assert.equal(ProviderDetails!.SLORedirectBindingURI, `${idp.url}/slo`);
    assert.equal(ProviderDetails!.idp_entity_id, idp.entityId);
    assert.equal(ProviderDetails!.ActiveEncryptionCertificate, undefined, 'only with EncryptedResponses');
  });

  it('publishes SP metadata: entity id, ACS (HTTP-POST), SLO and a 10-year certificate that stays the same', async () => {
    const pool = await samlPool(cognate, idp);
    const response = await fetch(`${pool.issuer}/saml2/metadata`);
    assert.match(response.headers.get('content-type') ?? '', /application\/samlmetadata\+xml/);
    const xml = await response.text();
    assert.match(xml, new RegExp(`entityID="urn:amazon:cognito:sp:${pool.poolId}"`));
    assert.match(xml, new RegExp(`<md:AssertionConsumerService [^>]*Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${pool.issuer}/saml2/idpresponse"`));
    assert.match(xml, new RegExp(`<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${pool.issuer}/saml2/logout"`));
    assert.match(xml, /WantAssertionsSigned="true"/);
    const certs = [...xml.matchAll(/<md:KeyDescriptor use="(signing|encryption)">.*?<ds:X509Certificate>([^<]+)</g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(certs.map(([use]) => use), ['signing', 'encryption']);
    const cert = new X509Certificate(Buffer.from(certs[0]![1]!, 'base64'));
    assert.equal(cert.subject, `CN=urn:amazon:cognito:sp:${pool.poolId}`);
    assert.ok(cert.verify(cert.publicKey), 'self-signed');
    const years = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / (365 * 86_400_000);
    assert.ok(years > 9.9 && years < 10.1, `valid for ${years} years`);
    assert.equal(await (await fetch(`${pool.issuer}/saml2/metadata`)).text(), xml, 'made once per pool');
    assert.equal((await fetch(`${cognate.url}/local_000000000/saml2/metadata`)).status, 404);
  });

  it('SP-initiated: AuthnRequest to the IdP, signed response to the ACS, code, tokens with identities and attributes mapped by SAML name', async () => {
    const pool = await samlPool(cognate, idp);
    const { started, callback } = await signInThroughIdp(pool);
    const request = idp.authnRequests.at(-1)!;
    assert.equal(request.issuer, `urn:amazon:cognito:sp:${pool.poolId}`);
    assert.equal(request.acsUrl, `${pool.issuer}/saml2/idpresponse`);
    assert.equal(request.destination, `${idp.url}/sso`);
    assert.equal(request.signed, false, 'RequestSigningAlgorithm is not set');
    assert.equal(callback.origin + callback.pathname, CALLBACK);
    assert.equal(callback.searchParams.get('state'), started.state);

    const { idToken } = await redeem(pool, callback.searchParams.get('code')!, started);
    assert.equal(idToken['cognito:username'], `${PROVIDER}_ann@corp.example`);
    assert.equal(idToken.email, 'ann@corp.example');
    assert.equal(idToken.email_verified, false, 'a SAML IdP that does not assert it leaves the email unverified');
    assert.equal(idToken['custom:groups'], 'admins,staff', 'multi-valued attributes are comma-joined');
    const [identity] = idToken.identities as Record<string, string>[];
    assert.deepEqual(
      { userId: identity!.userId, providerName: identity!.providerName, providerType: identity!.providerType, issuer: identity!.issuer },
      { userId: 'ann@corp.example', providerName: PROVIDER, providerType: 'SAML', issuer: idp.entityId },
    );

    // The same NameID signs in as the same user, with attributes refreshed.
    idp.user = { ...idp.user, attributes: { ...idp.user.attributes, groups: 'staff' } };
    const again = await signInThroughIdp(pool);
    const second = await redeem(pool, again.callback.searchParams.get('code')!, again.started);
    assert.equal(second.idToken.sub, idToken.sub);
    assert.equal(second.idToken['custom:groups'], 'staff');
    assert.deepEqual(await usernames(pool), [`${PROVIDER}_ann@corp.example`]);
    idp.user.attributes.groups = ['admins', 'staff'];
  });

  it('a federated user keeps an SSO session: the next authorization request answers at once', async () => {
    const pool = await samlPool(cognate, idp);
    const browser = new Browser();
    await signInThroughIdp(pool, browser);
    const requests = idp.authnRequests.length;
    const query = new URLSearchParams({ client_id: pool.portal.id, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid' });
    const sso = await browser.get(`${pool.issuer}/oauth2/authorize?${query}`);
    assert.equal(sso.status, 302);
    assert.ok(new URL(sso.headers.get('location')!).searchParams.get('code'));
    assert.equal(idp.authnRequests.length, requests, 'no second trip to the IdP');
  });

  it('signs the AuthnRequest (HTTP-Redirect, rsa-sha256) with the pool certificate when RequestSigningAlgorithm is set', async () => {
    const pool = await samlPool(cognate, idp, { RequestSigningAlgorithm: 'rsa-sha256' });
    const started = await startSignIn(pool);
    assert.equal(started.idpUrl.searchParams.get('SigAlg'), 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    // The IdP checks the signature with the certificate from the SP metadata, and refuses a bad one.
    const tampered = new URL(started.idpUrl);
    tampered.searchParams.set('RelayState', 'x'.repeat(43));
    assert.equal((await started.browser.get(tampered.href)).status, 400);
    const answer = await postToAcs(pool, started.browser, await idpForm(started));
    assert.equal(answer.status, 302);
    assert.equal(idp.authnRequests.at(-1)!.signed, true);
    assert.ok(new URL(answer.headers.get('location')!).searchParams.get('code'));
  });

  it('EncryptedResponses: the IdP encrypts the signed assertion to ActiveEncryptionCertificate; a plaintext assertion is refused', async () => {
    const pool = await samlPool(cognate, idp, { EncryptedResponses: 'true' });
    const { ProviderDetails } = await describeProvider(pool.poolId);
    const metadata = await (await fetch(`${pool.issuer}/saml2/metadata`)).text();
    assert.equal(ProviderDetails!.ActiveEncryptionCertificate, metadata.match(/use="encryption">.*?<ds:X509Certificate>([^<]+)</)![1]);
    assert.equal(ProviderDetails!.ActiveEncryptionCertificate, certBody(idp.serviceProvider.cert));

    const started = await startSignIn(pool);
    const fields = await idpForm(started);
    const xml = decode(fields.SAMLResponse!);
    assert.match(xml, /<saml:EncryptedAssertion/);
    assert.doesNotMatch(xml, /ann@corp\.example/, 'the browser cannot read the attributes');
    const answer = await postToAcs(pool, started.browser, fields);
    const { idToken } = await redeem(pool, new URL(answer.headers.get('location')!).searchParams.get('code')!, started);
    assert.equal(idToken.email, 'ann@corp.example');

    const plain = await startSignIn(pool);
    idp.next = { encryptTo: '' };
    const refused = refusal(await postToAcs(pool, plain.browser, await idpForm(plain)));
    assert.match(refused, /must encrypt its assertions/);
  });

  it('IdP-initiated (IDPInit true): an unsolicited response with the authorization request in RelayState signs in a client with a secret', async () => {
    const pool = await samlPool(cognate, idp, { IDPInit: 'true' });
    const browser = new Browser();
    const answer = await postToAcs(pool, browser, { SAMLResponse: await idp.response(), RelayState: unsolicitedRelayState(pool, { state: 'from-portal' }) });
    assert.equal(answer.status, 302, await answer.clone().text());
    const callback = new URL(answer.headers.get('location')!);
    assert.equal(callback.searchParams.get('state'), 'from-portal');
    const { idToken } = await redeem(pool, callback.searchParams.get('code')!, { secret: pool.portal.secret });
    assert.equal(idToken['cognito:username'], `${PROVIDER}_ann@corp.example`);
    assert.equal(idToken.aud, pool.portal.id);
  });

  it('IdP-initiated rules: a public client, an unregistered redirect_uri or no RelayState are refused, and nobody is created', async () => {
    const pool = await samlPool(cognate, idp, { IDPInit: 'true' });
    const browser = new Browser();
    const publicClient = await postToAcs(pool, browser, { SAMLResponse: await idp.response(), RelayState: unsolicitedRelayState(pool, { client_id: pool.spa, code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' }) });
    assert.match(refusal(publicClient), /only for clients with a secret/);
    const elsewhere = await postToAcs(pool, browser, { SAMLResponse: await idp.response(), RelayState: unsolicitedRelayState(pool, { redirect_uri: 'https://evil.example/cb' }) });
    assert.equal(elsewhere.status, 400, 'an unregistered redirect_uri gets a page, never a redirect');
    assert.match(await elsewhere.text(), /redirect_uri is not registered/);
    const bare = await postToAcs(pool, browser, { SAMLResponse: await idp.response() });
    assert.equal(bare.status, 400);
    assert.match(await bare.text(), /needs a RelayState/);
    assert.deepEqual(await usernames(pool), []);
  });

  it('MetadataFile works like MetadataURL; every problem of ProviderDetails is reported', async () => {
    const pool = await samlPool(cognate, idp);
    const create = (name: string, ProviderDetails: Record<string, string>) =>
      cognate.admin.send(new CreateIdentityProviderCommand({ UserPoolId: pool.poolId, ProviderName: name, ProviderType: 'SAML', ProviderDetails }));
    const fromFile = await create('FromFile', { MetadataFile: idp.metadata(), IDPSignout: 'true' });
    assert.equal(fromFile.IdentityProvider!.ProviderDetails!.SSORedirectBindingURI, `${idp.url}/sso`);

    const refused = async (details: Record<string, string>, pattern: RegExp) => {
      const error = await create('Bad', details).then(() => undefined, (e: Error) => e);
      assert.ok(error, `expected ${pattern} to be refused`);
      errorName('InvalidParameterException')(error);
      assert.match(error.message, pattern);
    };
    const silent = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((ready) => silent.listen(0, '127.0.0.1', ready));
    const port = (silent.address() as AddressInfo).port;
    try {
      await refused({ MetadataURL: `http://127.0.0.1:${port}/metadata` }, /MetadataURL answered HTTP 404/);
    } finally {
      silent.close();
    }
    await refused({ MetadataURL: 'http://127.0.0.1:9/metadata' }, /MetadataURL could not be fetched/);
    await refused({ MetadataURL: 'http://idp.example.com/metadata' }, /MetadataURL must use https/);
    await refused({ MetadataFile: '<html><body>login</body></html>' }, /not SAML 2\.0 metadata/);
    await refused({ MetadataFile: 'not xml <' }, /not well-formed XML/);
    await refused({ MetadataFile: idp.metadata({ certs: [] }) }, /no signing certificate/);
    await refused({ MetadataFile: idp.metadata().replace(/<md:SingleSignOnService[^>]*>/, '') }, /no SingleSignOnService/);
    await refused({ MetadataFile: idp.metadata().replace(`${idp.url}/sso`, 'http://idp.example.com/sso') }, /The metadata's SingleSignOnService must use https/);
    await refused({ MetadataFile: idp.metadata({ slo: false }), IDPSignout: 'true' }, /IDPSignout is true but the metadata has no SingleLogoutService/);
    await refused({ MetadataFile: idp.metadata(), MetadataURL: idp.metadataUrl }, /Exactly one of MetadataURL and MetadataFile/);
    await refused({ MetadataURL: idp.metadataUrl, IDPInit: 'yes', RequestSigningAlgorithm: 'rsa-sha1', Color: 'blue' }, /Color is not a SAML provider detail; .*IDPInit must be "true" or "false"; RequestSigningAlgorithm must be rsa-sha256/);
  });

  it('UpdateIdentityProvider reads the metadata again: a rotated IdP certificate is trusted from then on', async () => {
    const pool = await samlPool(cognate, idp);
    const next = throwawayKeyPair('test-idp-next');
    const before = await startSignIn(pool);
    idp.next = { keys: next };
    assert.match(refusal(await postToAcs(pool, before.browser, await idpForm(before))), /did not verify/);

    const updated = await cognate.admin.send(new UpdateIdentityProviderCommand({
      UserPoolId: pool.poolId, ProviderName: PROVIDER, ProviderDetails: { MetadataFile: idp.metadata({ certs: [idp.keys.cert, next.cert] }) },
    }));
    assert.deepEqual(updated.IdentityProvider!.ProviderDetails!.idp_signing_certificates!.split(','), [certBody(idp.keys.cert), certBody(next.cert)]);
    assert.equal(updated.IdentityProvider!.ProviderDetails!.MetadataURL, undefined, 'the new source replaces the old');
    const after = await startSignIn(pool);
    idp.next = { keys: next };
    const answer = await postToAcs(pool, after.browser, await idpForm(after));
    assert.ok(new URL(answer.headers.get('location')!).searchParams.get('code'));
  });
});
