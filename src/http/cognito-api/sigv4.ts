import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { InvalidSignatureError, MissingAuthenticationTokenError, SignatureExpiredError, UnrecognizedClientError } from '../../errors.js';

export interface SigV4Request { method: string; url: string /* full URL */; headers: Headers; body: string }

export interface SigV4Options {
  /** Secret for an access key id, or undefined when the key is unknown. */
  secretFor(accessKeyId: string): string | undefined | Promise<string | undefined>;
  now: number; // epoch ms, injected so tests control time
  maxSkewMs?: number; // allowed distance of X-Amz-Date from now, either way; default 5 minutes
  service?: string; // default 'cognito-idp'
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const AUTH_RE =
  /^AWS4-HMAC-SHA256 +Credential=([^,\s]+), *SignedHeaders=([^,\s]+), *Signature=([0-9a-f]{64})$/;
const SCOPE_PART = /^[^/\s,]+$/;
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
const AMZ_DATE_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const encoder = new TextEncoder();

/** Verifies an AWS Signature Version 4 `Authorization` header; web standards only. */
export async function verifySigV4(
  req: SigV4Request,
  options: SigV4Options,
): Promise<{ accessKeyId: string; region: string }> {
  const service = options.service ?? 'cognito-idp';
  const maxSkewMs = options.maxSkewMs ?? 5 * 60_000;

  const authorization = req.headers.get('authorization');
  if (!authorization || !authorization.startsWith(`${ALGORITHM} `)) {
    throw new MissingAuthenticationTokenError('Missing Authentication Token');
  }
  const match = AUTH_RE.exec(authorization.trim());
  if (!match) throw new InvalidSignatureError('Authorization header is malformed.');
  const [, credential, signedHeaderList, signature] = match as unknown as [string, string, string, string];

  const scope = credential.split('/');
  if (scope.length !== 5 || !scope.every((part) => SCOPE_PART.test(part)) || scope[4] !== 'aws4_request') {
    throw new InvalidSignatureError(`Credential should be scoped to a valid region and service: '${credential}'.`);
  }
  const [accessKeyId, scopeDate, region, scopeService] = scope as [string, string, string, string];
  if (scopeService !== service) throw new InvalidSignatureError(`Credential should be scoped to correct service: '${service}'.`);

  const signedHeaders = signedHeaderList.split(';');
  const sortedUnique = signedHeaders.every((h, i) => HEADER_NAME.test(h) && (i === 0 || signedHeaders[i - 1]! < h));
  if (!sortedUnique) throw new InvalidSignatureError('SignedHeaders must be lowercase header names, sorted and unique.');
  for (const required of ['host', 'x-amz-date']) {
    if (!signedHeaders.includes(required)) throw new InvalidSignatureError(`'${required}' must be a 'SignedHeader' in the AWS Authorization.`);
  }

  const amzDate = req.headers.get('x-amz-date') ?? '';
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate) {
    throw new InvalidSignatureError("X-Amz-Date must be in the ISO-8601 basic format 'yyyyMMddTHHmmssZ'.");
  }
  if (scopeDate !== amzDate.slice(0, 8)) {
    throw new InvalidSignatureError(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}'.`,
    );
  }

  const secretAccessKey = await options.secretFor(accessKeyId);
  if (secretAccessKey === undefined) throw new UnrecognizedClientError('The security token included in the request is invalid.');

  const skew = signingDate.getTime() - options.now;
  if (skew < -maxSkewMs) {
    throw new SignatureExpiredError(
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(options.now - maxSkewMs)} (${formatAmzDate(options.now)} - ${maxSkewMs / 60_000} min.)`,
    );
  }
  if (skew > maxSkewMs) {
    throw new SignatureExpiredError(
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(options.now + maxSkewMs)} (${formatAmzDate(options.now)} + ${maxSkewMs / 60_000} min.)`,
    );
  }

  const contentSha256 = req.headers.get('x-amz-content-sha256');
  if (contentSha256 !== null && !constantTimeEqual(contentSha256, toHex(await sha256(req.body)))) {
    throw new InvalidSignatureError("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  const url = new URL(req.url);
  const headers: Record<string, string> = {};
  const fallbacks: Record<string, () => string> = {
    host: () => url.host,
    'content-length': () => String(encoder.encode(req.body).byteLength),
  };
  for (const name of signedHeaders) {
    // The signer re-adds x-amz-date from signingDate. Runtimes may hide Host or Content-Length
    // from a fetch Request; rebuild them from what was actually received.
    if (name === 'x-amz-date') continue;
    const value = req.headers.get(name) ?? fallbacks[name]?.() ?? null;
    if (value === null) throw new InvalidSignatureError(MISMATCH);
    headers[name] = value;
  }
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const seen = query[key];
    query[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }

  const signer = signerFor(accessKeyId, secretAccessKey, region, service);
  const signed = await signer.sign(
    {
      method: req.method.toUpperCase(),
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query,
      headers,
      body: req.body,
    },
    { signingDate, signingRegion: region, signingService: service, signableHeaders: new Set(signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]{64})$/.exec(signed.headers['authorization'] ?? '')?.[1] ?? '';
  if (!constantTimeEqual(expected, signature)) throw new InvalidSignatureError(MISMATCH);
  return { accessKeyId, region };
}

// One signer per credential and scope: each keeps the day's derived signing key (four HMACs)
// instead of deriving it for every request. Bounded, since access key ids come from callers.
const signers = new Map<string, SignatureV4>();
const MAX_SIGNERS = 64;

function signerFor(accessKeyId: string, secretAccessKey: string, region: string, service: string): SignatureV4 {
  const cacheKey = `${accessKeyId}\n${secretAccessKey}\n${region}\n${service}`;
  let signer = signers.get(cacheKey);
  if (!signer) {
    signer = new SignatureV4({
      service,
      region,
      credentials: { accessKeyId, secretAccessKey },
      // Pure JavaScript and synchronous: for a request's few short inputs it is several times
      // cheaper than WebCrypto, whose every digest and HMAC key import is a thread-pool job on Node.
      sha256: Sha256,
      // Only the client decides whether x-amz-content-sha256 is part of the signature.
      applyChecksum: false,
    });
    if (signers.size >= MAX_SIGNERS) signers.delete(signers.keys().next().value!);
    signers.set(cacheKey, signer);
  }
  return signer;
}

function parseAmzDate(value: string): Date | undefined {
  const m = AMZ_DATE_RE.exec(value);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`;
  const date = new Date(iso);
  // Date silently rolls over invalid fields (Feb 30); reject instead.
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 19) !== iso.slice(0, 19) ? undefined : date;
}

function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** Length is not secret (signatures are fixed-size hex); contents are. */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function toHex(data: Uint8Array): string {
  let out = '';
  for (const b of data) out += b.toString(16).padStart(2, '0');
  return out;
}

async function sha256(data: string): Promise<Uint8Array> {
  const hash = new Sha256();
  hash.update(data);
  return hash.digest();
}
