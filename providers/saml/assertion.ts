import { UpstreamError } from '../../src/errors.js';
import { attribute, child, children, isElement, NS, textOf } from './xml.js';

/** Clocks of IdPs and Cognate may differ this much. */
export const CLOCK_SKEW_MS = 60_000;
/** Cognito accepts an unsolicited assertion only within 6 minutes of its IssueInstant. */
const UNSOLICITED_MAX_AGE_MS = 6 * 60_000;
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

export interface AssertionExpectations {
  idpEntityId: string;
  acsUrl: string;
  /** The AuthnRequest's ID; undefined for an unsolicited (IdP-initiated) response. */
  requestId: string | undefined;
  now: number;
}

export interface AssertionFacts {
  id: string;
  nameId: string;
  nameIdFormat?: string;
  sessionIndex?: string;
  /** Multi-valued attributes as arrays. */
  attributes: Record<string, string | string[]>;
  /** After this the assertion is refused anyway, so its ID need not be remembered longer. */
  usableUntil: number;
}

function instant(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!/^\d{4}-\d\d-\d\dT/.test(value) || Number.isNaN(ms)) throw new UpstreamError(`The SAML assertion's ${what} is not a valid time`);
  return ms;
}

/** Why a bearer SubjectConfirmationData does not fit this response, or undefined when it does (SAML profiles §4.1.4.2). */
function confirmationProblem(data: Element | undefined, expect: AssertionExpectations): string | undefined {
  if (!data) return 'it has no SubjectConfirmationData';
  if (attribute(data, 'Recipient') !== expect.acsUrl) return `its Recipient is not ${expect.acsUrl}`;
  const notOnOrAfter = instant(attribute(data, 'NotOnOrAfter'), 'SubjectConfirmationData NotOnOrAfter');
  if (notOnOrAfter === undefined) return 'it has no NotOnOrAfter';
  if (expect.now >= notOnOrAfter + CLOCK_SKEW_MS) return 'it has expired';
  const notBefore = instant(attribute(data, 'NotBefore'), 'SubjectConfirmationData NotBefore');
  if (notBefore !== undefined && expect.now < notBefore - CLOCK_SKEW_MS) return 'it is not yet valid';
  if (attribute(data, 'InResponseTo') !== expect.requestId) return expect.requestId ? 'its InResponseTo is not the request Cognate sent' : 'it answers a request (InResponseTo) although the response is unsolicited';
  return undefined;
}

function attributesOf(assertion: Element): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const statement of children(assertion, NS.assertion, 'AttributeStatement')) {
    for (const element of children(statement, NS.assertion, 'Attribute')) {
      const name = attribute(element, 'Name');
      if (!name) continue;
      const values = children(element, NS.assertion, 'AttributeValue').map((v) => v.textContent ?? '');
      if (values.length > 0) out[name] = values.length === 1 ? values[0]! : values;
    }
  }
  return out;
}

/**
 * The checks on a signature-verified assertion that depend on this sign-in: issuer, bearer
 * subject confirmation (recipient, time window, InResponseTo), conditions' time window,
 * and for an unsolicited response its age. Audience and signature are node-saml's.
 */
export function checkAssertion(assertion: Element, expect: AssertionExpectations): AssertionFacts {
  if (!isElement(assertion, NS.assertion, 'Assertion')) throw new UpstreamError('The SAML response holds no assertion');
  const id = attribute(assertion, 'ID');
  if (!id) throw new UpstreamError('The SAML assertion has no ID');
  if (textOf(child(assertion, NS.assertion, 'Issuer')) !== expect.idpEntityId) throw new UpstreamError('The SAML assertion was issued by another entity than this provider');

  const subject = child(assertion, NS.assertion, 'Subject');
  const nameIdElement = subject && child(subject, NS.assertion, 'NameID');
  const nameId = textOf(nameIdElement);
  if (!subject || !nameId) throw new UpstreamError('The SAML assertion has no NameID');
  const bearers = children(subject, NS.assertion, 'SubjectConfirmation').filter((c) => attribute(c, 'Method') === BEARER);
  const problems = bearers.map((c) => confirmationProblem(child(c, NS.assertion, 'SubjectConfirmationData'), expect));
  const usable = problems.findIndex((p) => p === undefined);
  if (usable < 0) throw new UpstreamError(`The SAML assertion's subject confirmation does not fit: ${problems[0] ?? 'there is no bearer confirmation'}`);
  const confirmation = child(bearers[usable]!, NS.assertion, 'SubjectConfirmationData')!;

  const conditions = children(assertion, NS.assertion, 'Conditions');
  if (conditions.length !== 1) throw new UpstreamError('The SAML assertion must have one Conditions element');
  const notBefore = instant(attribute(conditions[0], 'NotBefore'), 'Conditions NotBefore');
  const notOnOrAfter = instant(attribute(conditions[0], 'NotOnOrAfter'), 'Conditions NotOnOrAfter');
  if (notBefore !== undefined && expect.now < notBefore - CLOCK_SKEW_MS) throw new UpstreamError('The SAML assertion is not yet valid');
  if (notOnOrAfter !== undefined && expect.now >= notOnOrAfter + CLOCK_SKEW_MS) throw new UpstreamError('The SAML assertion has expired');

  if (expect.requestId === undefined) {
    const issued = instant(attribute(assertion, 'IssueInstant'), 'IssueInstant');
    if (issued === undefined || expect.now - issued > UNSOLICITED_MAX_AGE_MS + CLOCK_SKEW_MS || issued - expect.now > CLOCK_SKEW_MS) {
      throw new UpstreamError('An unsolicited SAML assertion must have been issued within the last 6 minutes');
    }
  }
  return {
    id,
    nameId,
    nameIdFormat: attribute(nameIdElement, 'Format'),
    sessionIndex: attribute(child(assertion, NS.assertion, 'AuthnStatement'), 'SessionIndex'),
    attributes: attributesOf(assertion),
    usableUntil: instant(attribute(confirmation, 'NotOnOrAfter'), 'NotOnOrAfter')! + CLOCK_SKEW_MS,
  };
}
