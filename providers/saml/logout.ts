import { UpstreamError } from '../../src/errors.js';
import type { ProviderContext, UpstreamLogout, UpstreamLogoutRequest } from '../types.js';
import { messageId, samlFor, type SamlPeer } from './options.js';
import { decodeMessage, statusOf } from './response.js';
import { attribute, child, NS, parseXml, refuseComments, textOf } from './xml.js';

const UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
/** node-saml does not report a LogoutRequest's IssueInstant, so a request ID is remembered for a day. */
const REMEMBER_REQUEST_MS = 86_400_000;

/** The LogoutResponse the IdP posts back (HTTP-POST binding, signed), checked against the LogoutRequest we sent. */
async function verifyLogoutResponse(peer: SamlPeer, requestId: string | undefined, encoded: string | null): Promise<void> {
  const xml = decodeMessage(encoded, 'SAMLResponse');
  refuseComments(xml, 'SAML logout response');
  const root = parseXml(xml, 'SAML logout response').documentElement;
  if (root.namespaceURI !== NS.protocol || root.localName !== 'LogoutResponse') throw new UpstreamError('The SAML message is not a LogoutResponse');
  try {
    await samlFor(peer, { wantAuthnResponseSigned: true }).validatePostResponseAsync({ SAMLResponse: encoded! });
  } catch (error) {
    throw new UpstreamError(`The SAML logout response did not verify: ${String((error as Error).message).slice(0, 160)}`);
  }
  if (textOf(child(root, NS.assertion, 'Issuer')) !== peer.idpEntityId) throw new UpstreamError('The SAML logout response was issued by another entity than this provider');
  if (!requestId || attribute(root, 'InResponseTo') !== requestId) throw new UpstreamError('The SAML logout response does not answer the request Cognate sent');
  const destination = attribute(root, 'Destination');
  if (destination !== undefined && destination !== peer.sp.logoutUrl) throw new UpstreamError(`The SAML logout response's Destination is not ${peer.sp.logoutUrl}`);
  const status = statusOf(root);
  if (!status.success) throw new UpstreamError(`The identity provider did not sign the user out (${status.detail})`);
}

/**
 * A LogoutRequest from the IdP (HTTP-Redirect binding). Only signed ones are accepted:
 * an unsigned request would let any page sign users out.
 */
async function acceptLogoutRequest(peer: SamlPeer, ctx: ProviderContext, scope: string, params: URLSearchParams, rawQuery: string): Promise<UpstreamLogoutRequest> {
  if (!params.get('Signature') || params.get('SigAlg') !== RSA_SHA256) throw new UpstreamError('A logout request must be signed with rsa-sha256 (HTTP-Redirect binding)');
  const container = Object.fromEntries(['SAMLRequest', 'RelayState', 'SigAlg', 'Signature'].flatMap((k) => (params.has(k) ? [[k, params.get(k)!]] : [])));
  let request: { ID?: string; nameID?: string; sessionIndex?: string };
  try {
    const { profile } = await samlFor(peer).validateRedirectAsync(container, rawQuery);
    request = profile ?? {};
  } catch (error) {
    throw new UpstreamError(`The SAML logout request did not verify: ${String((error as Error).message).slice(0, 160)}`);
  }
  if (!request.ID || !request.nameID) throw new UpstreamError('The SAML logout request names no session');
  if (!(await ctx.useOnce(scope, request.ID, ctx.now() + REMEMBER_REQUEST_MS))) throw new UpstreamError('This SAML logout request was already used');
  const { ID: id, nameID, sessionIndex } = request;
  // node-saml reads only the ID of the request it answers.
  const answered = { ID: id, issuer: peer.idpEntityId, nameID, nameIDFormat: UNSPECIFIED };
  return {
    names: (session) => session.nameId === nameID && (!sessionIndex || !session.sessionIndex || session.sessionIndex === sessionIndex),
    answer: (success) => samlFor(peer, { sign: true }).getLogoutResponseUrlAsync(answered, params.get('RelayState') ?? '', {}, success),
  };
}

/** SAML single logout (SLO) for one provider: present only when IDPSignout is true and the IdP has an SLO endpoint. */
export function samlLogout(peer: SamlPeer, ctx: ProviderContext, scope: string): UpstreamLogout {
  return {
    async start(session, state) {
      const requestId = messageId(ctx.randomBytes);
      // Cognito always signs logout requests with the pool's certificate.
      const saml = samlFor(peer, { sign: true, generateUniqueId: () => requestId });
      const url = await saml.getLogoutUrlAsync(
        { issuer: peer.idpEntityId, nameID: session.nameId!, nameIDFormat: session.nameIdFormat ?? UNSPECIFIED, sessionIndex: session.sessionIndex },
        state,
        {},
      );
      return { url, kept: { requestId } };
    },
    finish: (kept, params) => verifyLogoutResponse(peer, kept.requestId, params.get('SAMLResponse')),
    accept: (params, rawQuery) => acceptLogoutRequest(peer, ctx, scope, params, rawQuery),
  };
}
