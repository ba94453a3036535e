import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser, hiddenFields } from './support/browser.js';
import { startCognate, type TestCognate } from './support/cognate.js';
import { CALLBACK, LOGGED_OUT, samlPool, signInThroughIdp, type SamlPool } from './support/saml-flow.js';
import { decode, EMAIL_CLAIM, encode, signElement, TestSamlIdp, throwawayKeyPair } from './support/saml-idp.js';

describe('SAML single logout (IDPSignout)', () => {
  let cognate: TestCognate;
  let idp: TestSamlIdp;
  before(async () => {
    cognate = await startCognate();
    idp = await TestSamlIdp.start();
    idp.user = { nameId: 'ann@corp.example', attributes: { [EMAIL_CLAIM]: 'ann@corp.example' } };
  });
  after(async () => {
    await cognate.close();
    await idp.close();
  });

  /** Whether the browser still has an SSO session: an authorization request without identity_provider answers at once. */
  async function hasSession(pool: SamlPool, browser: Browser): Promise<boolean> {
    const query = new URLSearchParams({ client_id: pool.portal.id, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid' });
    const answer = await browser.get(`${pool.issuer}/oauth2/authorize?${query}`);
    return answer.status === 302 && new URL(answer.headers.get('location')!).searchParams.has('code');
  }

  const logoutUrl = (pool: SamlPool) => `${pool.issuer}/logout?${new URLSearchParams({ client_id: pool.spa, logout_uri: LOGGED_OUT })}`;

  it('SP-initiated: /logout ends the session, sends a signed LogoutRequest to the IdP and, on its LogoutResponse, goes to logout_uri', async () => {
    const pool = await samlPool(cognate, idp, { IDPSignout: 'true' });
    const browser = new Browser();
    await signInThroughIdp(pool, browser);
    assert.equal(await hasSession(pool, browser), true);

    const leaving = await browser.get(logoutUrl(pool));
    assert.equal(leaving.status, 302);
    const toIdp = new URL(leaving.headers.get('location')!);
    assert.equal(toIdp.origin + toIdp.pathname, `${idp.url}/slo`);
    assert.equal(toIdp.searchParams.get('SigAlg'), 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    // The IdP verifies the signature with the SP metadata's certificate and answers with a signed LogoutResponse form.
    const page = await browser.get(toIdp.href);
    assert.equal(page.status, 200, await page.clone().text());
    const request = idp.logoutRequests.at(-1)!;
    assert.equal(request.issuer, `urn:amazon:cognito:sp:${pool.poolId}`);
    assert.equal(request.destination, `${idp.url}/slo`);
    assert.equal(request.signed, true);
    assert.equal(await hasSession(pool, browser), false, 'our session ended before the trip to the IdP');

    const fields = hiddenFields(await page.text());
    assert.match(decode(fields.SAMLResponse!), new RegExp(`InResponseTo="${request.id}"`));
    const back = await browser.post(`${pool.issuer}/saml2/logout`, fields);
    assert.equal(back.status, 302);
    assert.equal(back.headers.get('location'), LOGGED_OUT);
    const twice = await browser.post(`${pool.issuer}/saml2/logout`, fields);
    assert.equal(twice.status, 400, 'a LogoutResponse completes one sign-out');
  });

  it('SP-initiated: a LogoutResponse signed by another key, or answering another request, is refused', async () => {
    const pool = await samlPool(cognate, idp, { IDPSignout: 'true' });
    for (const forge of [
      (xml: string) => signElement(xml.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, ''), 'LogoutResponse', throwawayKeyPair('attacker')),
      (xml: string) => signElement(xml.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '').replace(/InResponseTo="[^"]+"/, 'InResponseTo="_other"'), 'LogoutResponse', idp.keys),
    ]) {
      const browser = new Browser();
      await signInThroughIdp(pool, browser);
      const toIdp = (await browser.get(logoutUrl(pool))).headers.get('location')!;
      const fields = hiddenFields(await (await browser.get(toIdp)).text());
      const refused = await browser.post(`${pool.issuer}/saml2/logout`, { ...fields, SAMLResponse: encode(forge(decode(fields.SAMLResponse!))) });
      assert.equal(refused.status, 400);
      assert.match(await refused.text(), /signed out here, but not at Corp: The SAML logout response (did not verify|does not answer the request)/);
    }
  });

  it('IdP-initiated: a signed LogoutRequest for the signed-in NameID ends the session and gets a Success LogoutResponse', async () => {
    const pool = await samlPool(cognate, idp, { IDPSignout: 'true' });
    const browser = new Browser();
    await signInThroughIdp(pool, browser);

    const other = await browser.get(idp.logoutRequestUrl('someone-else@corp.example'));
    assert.equal(other.status, 302);
    await browser.get(other.headers.get('location')!);
    assert.equal(idp.logoutResponses.at(-1)!.status, 'urn:oasis:names:tc:SAML:2.0:status:Requester', 'another principal: not signed out here');
    assert.equal(await hasSession(pool, browser), true);

    const unsigned = await browser.get(idp.logoutRequestUrl('ann@corp.example', { signed: false }));
    assert.equal(unsigned.status, 400);
    const forged = await browser.get(idp.logoutRequestUrl('ann@corp.example', { keys: throwawayKeyPair('attacker') }));
    assert.equal(forged.status, 400);
    assert.equal(await hasSession(pool, browser), true, 'unsigned or forged requests end nothing');

    const genuine = idp.logoutRequestUrl('ann@corp.example');
    const answer = await browser.get(genuine);
    assert.equal(answer.status, 302);
    const toIdp = new URL(answer.headers.get('location')!);
    assert.equal(toIdp.origin + toIdp.pathname, `${idp.url}/slo`);
    assert.equal((await browser.get(toIdp.href)).status, 200, 'the IdP verified the LogoutResponse signature');
    const response = idp.logoutResponses.at(-1)!;
    assert.equal(response.status, 'urn:oasis:names:tc:SAML:2.0:status:Success');
    assert.equal(response.relayState, 'idp-logout');
    assert.equal(await hasSession(pool, browser), false);
    assert.equal((await browser.get(genuine)).status, 400, 'a LogoutRequest is accepted once');
  });

  it('without IDPSignout, /logout does not involve the IdP', async () => {
    const pool = await samlPool(cognate, idp);
    const browser = new Browser();
    await signInThroughIdp(pool, browser);
    const leaving = await browser.get(logoutUrl(pool));
    assert.equal(leaving.headers.get('location'), LOGGED_OUT);
    assert.equal(await hasSession(pool, browser), false);
    assert.equal((await browser.get(idp.logoutRequestUrl('ann@corp.example'))).status, 400, 'no provider of the pool accepts logout requests');
  });
});
