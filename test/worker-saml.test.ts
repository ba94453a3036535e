import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { idpForm, postToAcs, PROVIDER, redeem, refusal, samlPool, startSignIn, usernames } from './support/saml-flow.js';
import { decode, EMAIL_CLAIM, TestSamlIdp } from './support/saml-idp.js';
import { startTestWorker, type TestWorker } from './support/worker.js';

describe('SAML on the real Worker entry in workerd (node-saml under nodejs_compat, D1)', { timeout: 180_000 }, () => {
  let worker: TestWorker;
  let idp: TestSamlIdp;
  before(async () => {
    worker = await startTestWorker();
    idp = await TestSamlIdp.start();
    idp.user = { nameId: 'wren@corp.example', attributes: { [EMAIL_CLAIM]: 'wren@corp.example' } };
  });
  after(async () => {
    await worker?.close();
    await idp?.close();
  });

  it('SP-initiated with a signed AuthnRequest and an encrypted, signed response: the pool certificate is made with Web Crypto in the Worker', async () => {
    const pool = await samlPool(worker, idp, { RequestSigningAlgorithm: 'rsa-sha256', EncryptedResponses: 'true' });
    const started = await startSignIn(pool);
    const fields = await idpForm(started);
    assert.equal(idp.authnRequests.at(-1)!.signed, true, 'the IdP verified the signature with the certificate from the SP metadata');
    assert.match(decode(fields.SAMLResponse!), /<saml:EncryptedAssertion/);
    const answer = await postToAcs(pool, started.browser, fields);
    assert.equal(answer.status, 302, await answer.clone().text());
    const { idToken } = await redeem(pool, new URL(answer.headers.get('location')!).searchParams.get('code')!, started);
    assert.equal(idToken['cognito:username'], `${PROVIDER}_wren@corp.example`);
    assert.equal(idToken.email, 'wren@corp.example');

    const tampered = await startSignIn(pool);
    const genuine = await idpForm(tampered);
    const forged = Buffer.from(decode(genuine.SAMLResponse!).replace(/IssueInstant="(\d{4})/, (_m, year: string) => `IssueInstant="${Number(year) - 1}`), 'utf8').toString('base64');
    assert.match(refusal(await postToAcs(pool, tampered.browser, { ...genuine, SAMLResponse: forged })), /did not verify: Invalid document signature/);
    assert.deepEqual(await usernames(pool), [`${PROVIDER}_wren@corp.example`]);
  });
});
