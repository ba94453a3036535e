import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { CognitoIdentityProviderClient, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { verifySigV4, type SigV4Options, type SigV4Request } from '../src/http/cognito-api/sigv4.js';
import {
  InvalidSignatureError,
  MissingAuthenticationTokenError,
  SignatureExpiredError,
  UnrecognizedClientError,
} from '../src/errors.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const AKID = 'AKIDCOGNATETEST';
const SECRET = 'cognate-test-secret/with+odd=chars';
const SIGNED_AT = Date.UTC(2026, 4, 1, 12, 0, 0);
const options = (over: Partial<SigV4Options> = {}): SigV4Options => ({
  secretFor: (id) => (id === AKID ? SECRET : undefined),
  now: SIGNED_AT,
  ...over,
});

function toRequest(msg: IncomingMessage, body: string): SigV4Request {
  const headers = new Headers();
  for (let i = 0; i < msg.rawHeaders.length; i += 2) headers.append(msg.rawHeaders[i]!, msg.rawHeaders[i + 1]!);
  return { method: msg.method!, url: `http://${msg.headers.host}${msg.url}`, headers, body };
}

/** Signs like the SDK does, directly with SignatureV4, at a chosen date and scope. */
async function signDirect(
  over: { secret?: string; service?: string; date?: number; body?: string; extra?: Record<string, string> } = {},
): Promise<SigV4Request> {
  const body = over.body ?? '{"UserPoolId":"local_abcdefghi","Username":"alice"}';
  const signer = new SignatureV4({
    service: over.service ?? 'cognito-idp',
    region: 'us-east-1',
    credentials: { accessKeyId: AKID, secretAccessKey: over.secret ?? SECRET },
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: 'localhost',
      port: 8787,
      path: '/',
      query: {},
      headers: {
        host: 'localhost:8787',
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.AdminGetUser',
        ...over.extra,
      },
      body,
    },
    { signingDate: new Date(over.date ?? SIGNED_AT) },
  );
  return { method: 'POST', url: 'http://localhost:8787/', headers: new Headers(signed.headers as Record<string, string>), body };
}

describe('verifySigV4', () => {
  let captured: SigV4Request;
  const server = createServer((msg, res) => {
    let body = '';
    msg.setEncoding('utf8');
    msg.on('data', (chunk: string) => (body += chunk));
    msg.on('end', () => {
      captured = toRequest(msg, body);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{"UserPools":[]}');
    });
  });
  before(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('accepts a request signed by the real AWS SDK', async () => {
    const { port } = server.address() as AddressInfo;
    const client = new CognitoIdentityProviderClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'local',
      credentials: { accessKeyId: AKID, secretAccessKey: SECRET },
    });
    await client.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    client.destroy();
    assert.match(captured.headers.get('authorization') ?? '', /SignedHeaders=.*host.*x-amz-date/);
    const now = Date.parse(captured.headers.get('x-amz-date')!.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
    assert.deepEqual(await verifySigV4(captured, options({ now })), { accessKeyId: AKID, region: 'local' });
    // The same SDK request, replayed with its body altered, fails.
    await assert.rejects(verifySigV4({ ...captured, body: captured.body.replace('10', '11') }, options({ now })), InvalidSignatureError);
  });

  test('accepts a request signed directly with SignatureV4 (with x-amz-content-sha256 signed)', async () => {
    assert.deepEqual(await verifySigV4(await signDirect(), options()), { accessKeyId: AKID, region: 'us-east-1' });
    const body = '{"MaxResults":10}';
    const signer = new SignatureV4({ service: 'cognito-idp', region: 'local', credentials: { accessKeyId: AKID, secretAccessKey: SECRET }, sha256: Sha256, applyChecksum: true });
    const signed = await signer.sign(
      { method: 'POST', protocol: 'http:', hostname: 'localhost', path: '/', query: { a: 'b c', z: ['2', '1'] }, headers: { host: 'localhost' }, body },
      { signingDate: new Date(SIGNED_AT) },
    );
    assert.ok(signed.headers['x-amz-content-sha256']);
    const req = { method: 'POST', url: 'http://localhost/?z=2&a=b%20c&z=1', headers: new Headers(signed.headers as Record<string, string>), body };
    assert.deepEqual(await verifySigV4(req, options()), { accessKeyId: AKID, region: 'local' });
  });

  test('accepts the edges of the skew window', async () => {
    const req = await signDirect();
    await verifySigV4(req, options({ now: SIGNED_AT + 5 * 60_000 }));
    await verifySigV4(req, options({ now: SIGNED_AT - 5 * 60_000 }));
  });

  test('no Authorization header, or another scheme', async () => {
    const req = await signDirect();
    req.headers.delete('authorization');
    await assert.rejects(verifySigV4(req, options()), MissingAuthenticationTokenError);
    req.headers.set('authorization', 'Bearer abc');
    await assert.rejects(verifySigV4(req, options()), MissingAuthenticationTokenError);
  });

  test('unknown access key id', async () => {
    await assert.rejects(verifySigV4(await signDirect(), options({ secretFor: () => undefined })), (err) => {
      assert.ok(err instanceof UnrecognizedClientError);
      assert.equal(err.message, 'The security token included in the request is invalid.');
      return true;
    });
  });

  test('wrong secret', async () => {
    await assert.rejects(verifySigV4(await signDirect({ secret: 'not-the-secret' }), options()), (err) => {
      assert.ok(err instanceof InvalidSignatureError);
      assert.match(err.message, /^The request signature we calculated does not match/);
      return true;
    });
  });

  test('body altered by one byte after signing', async () => {
    const req = await signDirect();
    await assert.rejects(verifySigV4({ ...req, body: req.body.replace('alice', 'alicf') }, options()), InvalidSignatureError);
  });

  test('signed header value altered', async () => {
    const req = await signDirect();
    req.headers.set('x-amz-target', 'AWSCognitoIdentityProviderService.AdminDeleteUser');
    await assert.rejects(verifySigV4(req, options()), InvalidSignatureError);
    const hostChanged = await signDirect();
    hostChanged.headers.set('host', 'localhost:8788');
    await assert.rejects(verifySigV4(hostChanged, options()), InvalidSignatureError);
  });

  test('X-Amz-Date six minutes old or six minutes ahead', async () => {
    const req = await signDirect();
    await assert.rejects(verifySigV4(req, options({ now: SIGNED_AT + 6 * 60_000 })), (err) => {
      assert.ok(err instanceof SignatureExpiredError);
      assert.equal(err.message, 'Signature expired: 20260501T120000Z is now earlier than 20260501T120100Z (20260501T120600Z - 5 min.)');
      return true;
    });
    await assert.rejects(verifySigV4(req, options({ now: SIGNED_AT - 6 * 60_000 })), (err) => {
      assert.ok(err instanceof SignatureExpiredError);
      assert.match(err.message, /^Signature not yet current: 20260501T120000Z is still later than/);
      return true;
    });
  });

  test('wrong service in the credential scope', async () => {
    await assert.rejects(verifySigV4(await signDirect({ service: 'sts' }), options()), (err) => {
      assert.ok(err instanceof InvalidSignatureError);
      assert.match(err.message, /scoped to correct service: 'cognito-idp'/);
      return true;
    });
  });

  test('x-amz-content-sha256 not matching the body', async () => {
    const wrong = 'a'.repeat(64);
    const req = await signDirect({ extra: { 'x-amz-content-sha256': wrong } });
    await assert.rejects(verifySigV4(req, options()), (err) => {
      assert.ok(err instanceof InvalidSignatureError);
      assert.match(err.message, /x-amz-content-sha256/);
      return true;
    });
  });

  test('malformed or inconsistent headers', async () => {
    const base = await signDirect();
    const auth = base.headers.get('authorization')!;
    const variants: Array<[string, (r: SigV4Request) => void]> = [
      ['garbage after the scheme', (r) => r.headers.set('authorization', 'AWS4-HMAC-SHA256 nonsense')],
      ['uppercase signature', (r) => r.headers.set('authorization', auth.replace(/Signature=(\w+)/, (_, s: string) => `Signature=${s.toUpperCase()}`))],
      ['host not signed', (r) => r.headers.set('authorization', auth.replace(/SignedHeaders=[^,]+/, 'SignedHeaders=content-type;x-amz-date'))],
      ['x-amz-date not signed', (r) => r.headers.set('authorization', auth.replace(/SignedHeaders=[^,]+/, 'SignedHeaders=host'))],
      ['unsorted signed headers', (r) => r.headers.set('authorization', auth.replace(/SignedHeaders=[^,]+/, 'SignedHeaders=x-amz-date;host'))],
      ['scope date differs from X-Amz-Date', (r) => r.headers.set('authorization', auth.replace('/20260501/', '/20260502/'))],
      ['scope without aws4_request', (r) => r.headers.set('authorization', auth.replace('/aws4_request', '/aws4'))],
      ['missing X-Amz-Date', (r) => r.headers.delete('x-amz-date')],
      ['impossible X-Amz-Date', (r) => r.headers.set('x-amz-date', '20260231T120000Z')],
      ['missing signed header', (r) => r.headers.delete('x-amz-target')],
    ];
    for (const [name, mutate] of variants) {
      const req = { ...base, headers: new Headers(base.headers) };
      mutate(req);
      await assert.rejects(verifySigV4(req, options()), InvalidSignatureError, name);
    }
  });
});
