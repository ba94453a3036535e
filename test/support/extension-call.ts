import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { TestCognate } from './cognate.js';

/**
 * A SigV4-signed call to a `CognateAdmin.*` operation, which the AWS SDK cannot name (or, with
 * `prefix`, to any operation when a test needs the raw JSON the SDK would filter).
 */
export async function extensionCall<T = Record<string, unknown>>(
  cognate: TestCognate, operation: string, body: object, prefix = 'CognateAdmin.',
): Promise<{ status: number; json: T }> {
  const url = new URL(cognate.url);
  const signer = new SignatureV4({
    service: 'cognito-idp',
    region: 'local',
    sha256: Sha256,
    credentials: { accessKeyId: cognate.server.admin.accessKeyId, secretAccessKey: cognate.server.admin.secretAccessKey },
  });
  const payload = JSON.stringify(body);
  const signed = await signer.sign(
    {
      method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/',
      headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${prefix}${operation}` },
      body: payload,
    },
    { signingDate: new Date(cognate.clock.now()) },
  );
  const { host: _host, ...headers } = signed.headers;
  const response = await fetch(cognate.url, { method: 'POST', headers, body: payload });
  return { status: response.status, json: (await response.json()) as T };
}
