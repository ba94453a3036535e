import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from './support/browser.js';
import { advance, startCognate, type TestCognate } from './support/cognate.js';
import { idpForm, postToAcs, refusal, samlPool, startSignIn, unsolicitedRelayState, usernames, type SamlPool } from './support/saml-flow.js';
import { decode, EMAIL_CLAIM, encode, TestSamlIdp, throwawayKeyPair, type ResponseOptions, type SigningOptions } from './support/saml-idp.js';

const A = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const MALLORY = 'mallory@corp.example';
const VICTIM = 'victim@corp.example';

const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml');
const serialize = (node: Node) => new XMLSerializer().serializeToString(node);
const first = (root: Element | Document, ns: string, name: string) => root.getElementsByTagNameNS(ns, name)[0]!;

/** A copy of the assertion that names the victim (without its signature unless `keepSignature`). */
function forged(assertion: Element, keepSignature = false): Element {
  const copy = assertion.cloneNode(true) as Element;
  if (!keepSignature) copy.removeChild(first(copy, DS, 'Signature'));
  first(copy, A, 'NameID').textContent = VICTIM;
  for (const value of Array.from(copy.getElementsByTagNameNS(A, 'AttributeValue'))) if (value.textContent === MALLORY) value.textContent = VICTIM;
  return copy;
}

/**
 * XML signature wrapping (Somorovsky et al., "On Breaking SAML", 2012): the signed element
 * stays intact somewhere the verifier finds it, while a forged assertion sits where the
 * application reads. Each takes the IdP's genuine response for Mallory.
 */
const WRAPPINGS: Record<string, (doc: Document) => void> = {
  'XSW1: forged Response at the root, the signed one inside its Signature': (doc) => {
    const original = doc.documentElement;
    const root = original.cloneNode(true) as Element;
    root.setAttribute('ID', '_forged');
    root.replaceChild(forged(first(root, A, 'Assertion')), first(root, A, 'Assertion'));
    first(root, DS, 'Signature').appendChild(original);
    doc.appendChild(root);
  },
  'XSW2: forged Response at the root, the signed one beside its Signature': (doc) => {
    const original = doc.documentElement;
    const root = original.cloneNode(true) as Element;
    root.setAttribute('ID', '_forged');
    root.replaceChild(forged(first(root, A, 'Assertion')), first(root, A, 'Assertion'));
    root.insertBefore(original, first(root, DS, 'Signature'));
    doc.appendChild(root);
  },
  'XSW3: forged assertion before the signed one': (doc) => {
    const original = first(doc, A, 'Assertion');
    original.parentNode!.insertBefore(forged(original), original);
  },
  'XSW4: forged assertion wrapping the signed one': (doc) => {
    const original = first(doc, A, 'Assertion');
    const evil = forged(original);
    original.parentNode!.replaceChild(evil, original);
    evil.appendChild(original);
  },
  'XSW5: forged assertion with the copied signature, the signed one appended': (doc) => {
    const original = first(doc, A, 'Assertion');
    original.parentNode!.replaceChild(forged(original, true), original);
    doc.documentElement.appendChild(original);
  },
  'XSW6: forged assertion with the copied signature holding the signed one': (doc) => {
    const original = first(doc, A, 'Assertion');
    const evil = forged(original, true);
    original.parentNode!.replaceChild(evil, original);
    first(evil, DS, 'Signature').appendChild(original);
  },
  'XSW7: signed assertion hidden in Extensions': (doc) => {
    const original = first(doc, A, 'Assertion');
    const extensions = doc.createElementNS('urn:oasis:names:tc:SAML:2.0:protocol', 'samlp:Extensions');
    original.parentNode!.replaceChild(forged(original), original);
    extensions.appendChild(original);
    doc.documentElement.insertBefore(extensions, doc.documentElement.firstChild!.nextSibling);
  },
  'XSW8: signed assertion inside a ds:Object of the forged one’s signature': (doc) => {
    const original = first(doc, A, 'Assertion');
    const evil = forged(original, true);
    original.parentNode!.replaceChild(evil, original);
    const object = doc.createElementNS(DS, 'ds:Object');
    object.appendChild(original);
    first(evil, DS, 'Signature').appendChild(object);
  },
};

describe('SAML attacks are refused, and nobody is signed in, created or linked', () => {
  let cognate: TestCognate;
  let idp: TestSamlIdp;
  let pool: SamlPool;
  before(async () => {
    cognate = await startCognate();
    idp = await TestSamlIdp.start();
    idp.user = { nameId: MALLORY, attributes: { [EMAIL_CLAIM]: MALLORY } };
    pool = await samlPool(cognate, idp);
  });
  after(async () => {
    await cognate.close();
    await idp.close();
  });

  /** An SP-initiated sign-in whose response the IdP makes with `next` and the attacker then edits; the ACS's answer. */
  async function attempt(edit: (xml: string) => string, next: Partial<ResponseOptions> & SigningOptions = {}): Promise<string> {
    const started = await startSignIn(pool);
    idp.next = next;
    const fields = await idpForm(started);
    const answer = await postToAcs(pool, started.browser, { ...fields, SAMLResponse: encode(edit(decode(fields.SAMLResponse!))) });
    const message = refusal(answer);
    assert.deepEqual(await usernames(pool), [], 'no user was created');
    return message;
  }
  const unchanged = (xml: string) => xml;
  const wrap = (how: (doc: Document) => void) => (xml: string) => {
    const doc = parse(xml);
    how(doc);
    return serialize(doc);
  };

  for (const [name, how] of Object.entries(WRAPPINGS)) {
    it(`signature wrapping, response and assertion signed — ${name}`, async () => {
      assert.match(await attempt(wrap(how)), /did not verify/);
    });
    // XSW1 and XSW2 move the Response signature; the others also work where only the assertion is signed.
    if (name.startsWith('XSW1') || name.startsWith('XSW2')) continue;
    it(`signature wrapping, assertion signed only — ${name}`, async () => {
      assert.match(await attempt(wrap(how), { signResponse: false }), /did not verify/);
    });
  }

  it('an unsigned assertion inside a signed response', async () => {
    assert.match(await attempt(unchanged, { signAssertion: false }), /did not verify: Invalid signature/);
  });

  it('a forged unsigned assertion in place of the signed one, the response signature kept', async () => {
    assert.match(await attempt(wrap((doc) => {
      const original = first(doc, A, 'Assertion');
      original.parentNode!.replaceChild(forged(original), original);
    })), /did not verify/);
  });

  it('the NameID changed after signing', async () => {
    assert.match(await attempt((xml) => xml.replace(`>${MALLORY}</saml:NameID>`, `>${VICTIM}</saml:NameID>`), { signResponse: false }), /did not verify/);
  });

  it('an attribute changed after signing', async () => {
    assert.match(await attempt((xml) => xml.replace(`<saml:AttributeValue>${MALLORY}<`, `<saml:AttributeValue>${VICTIM}<`)), /did not verify/);
  });

  it('a comment in the NameID (the signature still verifies over the text without it)', async () => {
    const owned = `${VICTIM}.mallory.test`;
    const message = await attempt((xml) => xml.replace(`>${owned}<`, `>${VICTIM}<!---->.mallory.test<`), { nameId: owned });
    assert.match(message, /XML comment/);
  });

  it('a response signed by another key, its certificate in KeyInfo', async () => {
    assert.match(await attempt(unchanged, { keys: throwawayKeyPair('attacker') }), /did not verify/);
  });

  it('an assertion for another audience', async () => {
    assert.match(await attempt(unchanged, { audience: 'urn:amazon:cognito:sp:local_Other0001' }), /audience mismatch/);
  });

  it('an assertion for another recipient', async () => {
    assert.match(await attempt(unchanged, { recipient: 'https://sp.evil.example/saml2/idpresponse' }), /Recipient is not/);
  });

  it('a response for another destination', async () => {
    assert.match(await attempt(unchanged, { destination: 'https://sp.evil.example/saml2/idpresponse' }), /Destination is not/);
  });

  it('a response from another issuer', async () => {
    assert.match(await attempt(unchanged, { issuer: 'https://idp.evil.example' }), /another entity/);
  });

  it('a response whose status is not Success, even with an assertion in it', async () => {
    assert.match(await attempt(unchanged, { status: 'urn:oasis:names:tc:SAML:2.0:status:Responder' }), /did not sign the user in \(Responder\)/);
  });

  it('an expired assertion (on the injected clock)', async () => {
    const started = await startSignIn(pool);
    idp.next = { notOnOrAfter: Date.now() + 60_000 };
    const fields = await idpForm(started);
    advance(cognate, 3 * 60_000);
    try {
      assert.match(refusal(await postToAcs(pool, started.browser, fields)), /expired/);
    } finally {
      advance(cognate, -3 * 60_000);
    }
    assert.deepEqual(await usernames(pool), []);
  });

  it('an assertion not yet valid', async () => {
    assert.match(await attempt(unchanged, { issueInstant: Date.now() + 10 * 60_000 }), /not yet valid/);
  });

  it('a response to another AuthnRequest (InResponseTo of an earlier sign-in)', async () => {
    const earlier = await startSignIn(pool);
    const stale = await idpForm(earlier);
    const started = await startSignIn(pool);
    await idpForm(started);
    assert.match(refusal(await postToAcs(pool, started.browser, { ...stale, RelayState: started.idpUrl.searchParams.get('RelayState')! })), /InResponseTo/);
    assert.deepEqual(await usernames(pool), []);
  });

  it('an unsolicited response when IDPInit is off', async () => {
    const answer = await postToAcs(pool, new Browser(), { SAMLResponse: await idp.response(), RelayState: unsolicitedRelayState(pool) });
    assert.match(refusal(answer), /does not accept IdP-initiated sign-in/);
    assert.deepEqual(await usernames(pool), []);
  });

  it('a response posted twice (SP-initiated): the sign-in state works once', async () => {
    const replayPool = await samlPool(cognate, idp);
    const started = await startSignIn(replayPool);
    const fields = await idpForm(started);
    assert.equal((await postToAcs(replayPool, started.browser, fields)).status, 302);
    const again = await postToAcs(replayPool, started.browser, fields);
    assert.equal(again.status, 400);
    assert.match(await again.text(), /expired or was already used/);
  });

  it('a replayed unsolicited assertion (same assertion ID), and a solicited one posted as unsolicited', async () => {
    const open = await samlPool(cognate, idp, { IDPInit: 'true' });
    const body = { SAMLResponse: await idp.response(), RelayState: unsolicitedRelayState(open) };
    assert.ok(new URL((await postToAcs(open, new Browser(), body)).headers.get('location')!).searchParams.get('code'));
    const users = await usernames(open);
    assert.match(refusal(await postToAcs(open, new Browser(), body)), /already used/);

    const started = await startSignIn({ ...open, spa: open.spa });
    const solicited = await idpForm(started);
    assert.match(refusal(await postToAcs(open, new Browser(), { ...solicited, RelayState: unsolicitedRelayState(open) })), /InResponseTo/);
    assert.deepEqual(await usernames(open), users, 'nobody new');
  });
});
