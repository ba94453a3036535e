import { InvalidClientError, OAuthError } from '../../errors.js';
import type { ClientRecord, PoolRecord } from '../../ports.js';
import { clientSecret } from '../api/clients.js';
import type { Core } from '../context.js';
import { constantTimeEqual } from '../crypto.js';

export interface ClientCredentials {
  clientId?: string;
  clientSecret?: string;
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
}

/** RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64. */
export function credentialsFrom(authorization: string | undefined, form: URLSearchParams): ClientCredentials {
  if (authorization?.startsWith('Basic ')) {
    if (form.has('client_secret')) throw new OAuthError('invalid_request', 'Use one client authentication method, not two');
    let decoded: string;
    try {
      decoded = atob(authorization.slice(6).trim());
    } catch {
      throw new InvalidClientError('Malformed Basic credentials');
    }
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new InvalidClientError('Malformed Basic credentials');
    const id = safeDecode(decoded.slice(0, colon));
    const secret = safeDecode(decoded.slice(colon + 1));
    const formId = form.get('client_id');
    if (formId !== null && formId !== id) throw new OAuthError('invalid_request', 'client_id does not match the authenticated client');
    return { clientId: id, clientSecret: secret, method: 'client_secret_basic' };
  }
  const clientId = form.get('client_id') ?? undefined;
  const secret = form.get('client_secret') ?? undefined;
  return { clientId, clientSecret: secret, method: secret === undefined ? 'none' : 'client_secret_post' };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new InvalidClientError('Malformed Basic credentials');
  }
}

/**
 * Finds the client in this pool and checks its secret in constant time. The secret is
 * high-entropy and random, so a plain comparison after AES-GCM opening is enough: no slow
 * hash on the token path. A client with a secret must present it.
 */
export async function authenticateClient(core: Core, pool: PoolRecord, credentials: ClientCredentials): Promise<ClientRecord> {
  if (!credentials.clientId) throw new InvalidClientError('client_id is required');
  const client = await core.store.clients.get(pool.id, credentials.clientId);
  if (!client) throw new InvalidClientError();
  const secret = await clientSecret(core, client);
  if (secret === undefined) {
    if (credentials.clientSecret !== undefined && credentials.clientSecret !== '') throw new InvalidClientError('This client has no secret');
    return client;
  }
  if (credentials.clientSecret === undefined || !constantTimeEqual(secret, credentials.clientSecret)) throw new InvalidClientError();
  return client;
}
