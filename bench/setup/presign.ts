import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RequestParts } from '../load/closed-loop.js';
import type { AdminKeys } from '../servers/cognate.js';

/**
 * Signed admin requests made before a timed run, so the load generator spends nothing on
 * signing. Cognate accepts a signature for five minutes either side of its clock and, like
 * AWS, does not refuse a repeated one, so a prepared set can be sent round after round.
 */
export async function presign(serverUrl: string, credentials: AdminKeys, operation: string, inputs: object[]): Promise<RequestParts[]> {
  const url = new URL(serverUrl);
  const signer = new SignatureV4({ service: 'cognito-idp', region: 'local', credentials, sha256: Sha256 });
  const signed: RequestParts[] = [];
  for (const input of inputs) {
    const body = JSON.stringify(input);
    const request = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      query: {},
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body,
    });
    signed.push({ headers: request.headers, body });
  }
  return signed;
}

/** Cycles through prepared requests. */
export function cycle(parts: RequestParts[]): () => RequestParts {
  let i = 0;
  return () => parts[i++ % parts.length]!;
}
