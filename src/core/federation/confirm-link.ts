import type { FederatedIdentity } from '../../../providers/types.js';
import { AuthorizePageError, parseAuthorizeRequest, type AuthorizeRequest } from '../oauth/authorize-request.js';
import { NotAuthorizedError } from '../../errors.js';
import type { FederationStateRecord, IdentityProviderRecord, PoolRecord, UserRecord } from '../../ports.js';
import { refuseLocked, wrongPassword } from '../auth/sign-in.js';
import type { Core } from '../context.js';
import { base64url, constantTimeEqual, sha256Base64url } from '../crypto.js';
import { consumeCode, issueCode } from '../directory/codes.js';
import { deliverCode, type CodeDeliveryDetails } from '../messages/deliver.js';
import { mfaApplies } from '../mfa/factors.js';
import { FEDERATION_STATE_MS } from './broker.js';
import { federatedUser, withIdentities } from './federated-user.js';
import { applyMapped, mapAttributes } from './mapping.js';

const LINK_CODE_TTL_MS = 10 * 60_000;

/** A federated sign-in held until the person proves they own the native account with the same email. */
export interface PendingLink {
  id: string;
  request: AuthorizeRequest;
  query: string;
  native: UserRecord;
  provider: IdentityProviderRecord;
  identity: FederatedIdentity;
  /** False when the native account has MFA: one factor must not open it, so only a separate account is offered. */
  canProve: boolean;
  /** Where the emailed code went, once sent. */
  codeSentTo?: CodeDeliveryDetails;
}

async function keep(core: Core, pool: PoolRecord, browserSecret: string, pending: Omit<PendingLink, 'id' | 'request' | 'canProve'>): Promise<string> {
  const id = base64url(core.random.bytes(32));
  await core.store.federation.putState({
    idHash: await sha256Base64url(id),
    poolId: pool.id,
    providerName: pending.provider.name,
    browserHash: await sha256Base64url(browserSecret),
    authorizeQuery: pending.query,
    kept: {
      purpose: 'confirm-link',
      native: pending.native.sub,
      identity: JSON.stringify(pending.identity),
      ...(pending.codeSentTo ? { codeSentTo: JSON.stringify(pending.codeSentTo) } : {}),
    },
    expiresAt: core.clock.now() + FEDERATION_STATE_MS,
  });
  return id;
}

export async function holdForConfirmation(
  core: Core, pool: PoolRecord, browserSecret: string, pending: Omit<PendingLink, 'id' | 'request' | 'canProve'> & { request: AuthorizeRequest },
): Promise<PendingLink> {
  const id = await keep(core, pool, browserSecret, pending);
  return { ...pending, id, canProve: !mfaApplies(pool.config, pending.native) };
}

/** Takes a pending link (each step uses it once and, unless finished, keeps a fresh one). */
async function take(core: Core, pool: PoolRecord, id: string, browserSecret: string | undefined): Promise<Omit<PendingLink, 'id'>> {
  const state: FederationStateRecord | undefined = id ? await core.store.federation.takeState(await sha256Base64url(id)) : undefined;
  const valid = state && state.poolId === pool.id && state.expiresAt > core.clock.now() && state.kept.purpose === 'confirm-link';
  if (!valid || !browserSecret || !constantTimeEqual(await sha256Base64url(browserSecret), state.browserHash)) {
    throw new AuthorizePageError('invalid_request', 'This sign-in has expired or was started in another browser. Please start again.');
  }
  const native = await core.store.users.getBySub(pool.id, state.kept.native!);
  const provider = await core.store.identityProviders.get(pool.id, state.providerName);
  if (!native || !provider) throw new AuthorizePageError('invalid_request', 'This sign-in can no longer be completed. Please start again.');
  return {
    request: await parseAuthorizeRequest(core, pool, new URLSearchParams(state.authorizeQuery)),
    query: state.authorizeQuery,
    native,
    provider,
    identity: JSON.parse(state.kept.identity!) as FederatedIdentity,
    canProve: !mfaApplies(pool.config, native),
    codeSentTo: state.kept.codeSentTo ? (JSON.parse(state.kept.codeSentTo) as CodeDeliveryDetails) : undefined,
  };
}

async function linkAndSignIn(core: Core, pool: PoolRecord, pending: Omit<PendingLink, 'id'>): Promise<UserRecord> {
  const { native, provider, identity } = pending;
  const fresh = { poolId: pool.id, providerName: provider.name, issuer: identity.issuer, subject: identity.subject, sub: native.sub, createdAt: core.clock.now() };
  const links = [...(await core.store.federation.forUser(pool.id, native.sub)), fresh];
  const mapped = mapAttributes(pool, provider, identity.claims);
  const updated = await withIdentities(core, { ...native, attributes: applyMapped(pool, native, mapped) }, links);
  if (!(await core.store.federation.link(fresh, updated))) throw new NotAuthorizedError('This identity is already linked to another user.');
  await core.store.audit.record({ poolId: pool.id, type: 'identity_linked', sub: native.sub, detail: { provider: provider.name, how: 'confirmed' }, createdAt: core.clock.now() });
  return updated;
}

export type ConfirmResult = { signedIn: UserRecord; request: AuthorizeRequest; query: string } | { retry: PendingLink; error: string };

type Proof = { password: string } | { code: string };

/** The person proves the native account is theirs by its password or an emailed code; then the identity is linked. */
export async function confirmLink(core: Core, pool: PoolRecord, id: string, browserSecret: string | undefined, proof: Proof): Promise<ConfirmResult> {
  const pending = await take(core, pool, id, browserSecret);
  const again = async (error: string): Promise<ConfirmResult> => ({ retry: { ...pending, id: await keep(core, pool, browserSecret!, pending) }, error });
  if (!pending.canProve) return again('This account uses multi-factor authentication: sign in to it first, then link from your account page.');
  try {
    if ('password' in proof) {
      refuseLocked(pending.native, core.clock.now());
      const valid = pending.native.passwordHash !== null && (await core.hasher.verify(pending.native.passwordHash, proof.password));
      if (!valid) throw await wrongPassword(core, pool, pending.request.client, pending.native);
      await core.store.users.resetFailedSignIns(pool.id, pending.native.sub);
    } else {
      await consumeCode(core, pending.native, 'link', proof.code);
    }
  } catch (error) {
    return again((error as Error).message);
  }
  return { signedIn: await linkAndSignIn(core, pool, pending), request: pending.request, query: pending.query };
}

/** Sends a code to the native account's verified email. */
export async function sendLinkCode(core: Core, pool: PoolRecord, id: string, browserSecret: string | undefined): Promise<PendingLink> {
  const pending = await take(core, pool, id, browserSecret);
  let codeSentTo = pending.codeSentTo;
  if (pending.canProve && pending.native.attributes.email) {
    const code = await issueCode(core, pending.native, 'link', LINK_CODE_TTL_MS);
    codeSentTo = await deliverCode(core, pool, pending.native, { channel: 'email', to: pending.native.attributes.email }, 'CustomMessage_Authentication', code);
  }
  const next = { ...pending, codeSentTo };
  return { ...next, id: await keep(core, pool, browserSecret!, next) };
}

/** The person chose not to link: they get a separate federated user, as with link_policy never. */
export async function declineLink(core: Core, pool: PoolRecord, id: string, browserSecret: string | undefined): Promise<{ signedIn: UserRecord; request: AuthorizeRequest; query: string }> {
  const pending = await take(core, pool, id, browserSecret);
  return { signedIn: await federatedUser(core, pool, pending.provider, pending.identity), request: pending.request, query: pending.query };
}

