import { UpstreamError } from '../../src/errors.js';
import type { FederatedProvider, ProviderContext, ProviderKind, ProviderSetup } from '../types.js';
import { checkSamlDetails, DERIVED } from './details.js';
import { samlLogout } from './logout.js';
import { messageId, samlFor, samlPeer } from './options.js';
import { verifyResponse } from './response.js';

/**
 * SAML 2.0 as the service provider (through node-saml): SP-initiated sign-in with an
 * HTTP-Redirect AuthnRequest (signed when RequestSigningAlgorithm is rsa-sha256),
 * IdP-initiated sign-in when IDPInit is true, encrypted assertions when EncryptedResponses
 * is true, single logout when IDPSignout is true.
 *
 * @example
 * { ProviderType: 'SAML', ProviderDetails: { MetadataURL: 'https://idp.example.com/metadata', IDPSignout: 'true' } }
 */
function createSaml(setup: ProviderSetup, ctx: ProviderContext): FederatedProvider {
  const peer = samlPeer(setup);
  // Assertion IDs are unique per IdP; one scope per configured provider.
  const scope = `saml:${setup.poolId}:${setup.name}`;
  return {
    async authorize({ state }) {
      const requestId = messageId(ctx.randomBytes);
      const saml = samlFor(peer, { sign: peer.signRequests, generateUniqueId: () => requestId });
      // RelayState is the broker's state: it comes back with the response and finds the sign-in.
      return { url: await saml.getAuthorizeUrlAsync(state, undefined, {}), kept: { requestId } };
    },

    async callback(kept, params) {
      if (!kept && !peer.idpInitiated) throw new UpstreamError('This provider does not accept IdP-initiated sign-in (IDPInit is not true)');
      const requestId = kept ? kept.requestId : undefined;
      if (kept && !requestId) throw new UpstreamError('The sign-in state holds no SAML request');
      const facts = await verifyResponse(params.get('SAMLResponse'), peer, requestId, ctx.now());
      // Last, so a response that fails any check does not use up its ID.
      if (!(await ctx.useOnce(scope, facts.id, facts.usableUntil))) throw new UpstreamError('This SAML assertion was already used');
      return {
        issuer: peer.idpEntityId,
        subject: facts.nameId,
        claims: facts.attributes,
        session: {
          nameId: facts.nameId,
          ...(facts.nameIdFormat ? { nameIdFormat: facts.nameIdFormat } : {}),
          ...(facts.sessionIndex ? { sessionIndex: facts.sessionIndex } : {}),
        },
      };
    },

    ...(peer.singleLogout ? { logout: samlLogout(peer, ctx, scope) } : {}),
  };
}

export const samlKind: ProviderKind = {
  type: 'SAML',
  secretKeys: [],
  check: checkSamlDetails,
  issuer: (details) => details[DERIVED.entityId] ?? '',
  create: createSaml,
};
