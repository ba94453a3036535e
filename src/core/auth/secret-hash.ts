import { NotAuthorizedError } from '../../errors.js';
import type { ClientRecord } from '../../ports.js';
import { clientSecret } from '../api/clients.js';
import type { Core } from '../context.js';
import { constantTimeEqual, hmac, importHmacKey, toBase64 } from '../crypto.js';
import type { Answerer } from './steps.js';

/**
 * SECRET_HASH = Base64(HMAC-SHA256(client secret, username + client id)). Required for
 * clients with a secret; `usernames` lists every name the caller may have used.
 */
export async function checkSecretHash(core: Core, client: ClientRecord, usernames: string[], provided: string | undefined): Promise<void> {
  const secret = await clientSecret(core, client);
  if (secret === undefined) return;
  if (!provided) throw new NotAuthorizedError(`Client ${client.id} is configured with secret but SECRET_HASH was not received`);
  let ok = false;
  for (const name of new Set(usernames)) ok = constantTimeEqual(await secretHash(secret, name, client.id), provided) || ok;
  if (!ok) throw new NotAuthorizedError(`Unable to verify secret hash for client ${client.id}`);
}

/** The value a client sends as SECRET_HASH for `username`. */
export async function secretHash(secret: string, username: string, clientId: string): Promise<string> {
  return toBase64(await hmac(await importHmacKey(secret), username + clientId));
}

/** SECRET_HASH for API answers; the hosted UI's answers carry none (see `Answerer`). */
export async function checkAnswerer(core: Core, client: ClientRecord, answerer: Answerer, usernames: string[], provided: string | undefined): Promise<void> {
  if (answerer === 'hosted') return;
  await checkSecretHash(core, client, usernames, provided);
}
