import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from './support/browser.js';
import { federatedApp, redeem, signInThrough, type FederatedApp, type ProviderInput } from './support/federation.js';
import { startOidcUpstream, type OidcUpstream } from './support/oidc-upstream.js';
import { UpstreamDouble } from './support/social-doubles.js';
import { startTestWorker, type TestWorker } from './support/worker.js';

describe('federation on the real Worker entry in workerd: openid-client, arctic and jose under Workers', { timeout: 120_000 }, () => {
  let worker: TestWorker;
  let upstream: OidcUpstream;
  let app: FederatedApp;
  const google = new UpstreamDouble('Google', 'google-client', 'google-secret');

  before(async () => {
    // Upstreams are on loopback, which the rule allows without COGNATE_ALLOW_INSECURE_UPSTREAMS.
    worker = await startTestWorker();
    await google.start();
    app = await federatedApp(worker, async (redirectUri): Promise<ProviderInput[]> => {
      upstream = await startOidcUpstream([redirectUri], { 'wren-7': { email: 'wren@example.org', email_verified: true, name: 'Wren' } });
      return [
        {
          ProviderName: 'Upstream', ProviderType: 'OIDC',
          ProviderDetails: { client_id: upstream.clientId, client_secret: upstream.clientSecret, oidc_issuer: upstream.issuer, authorize_scopes: 'openid email profile' },
          AttributeMapping: { email: 'email', email_verified: 'email_verified', name: 'name' },
        },
        { ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: { client_id: google.clientId, client_secret: google.clientSecret, ...google.endpoints }, AttributeMapping: { email: 'email' } },
      ];
    });
  });
  after(async () => {
    await worker?.close();
    await upstream?.close();
    await google.close();
  });

  it('discovers the upstream from the Worker and brokers a sign-in through it (D1 stores the state and the user)', async () => {
    const { callback, checks } = await signInThrough(app, new Browser(), { identity_provider: 'Upstream' });
    const claims = (await redeem(app, callback, checks)).claims()!;
    assert.equal(claims['cognito:username'], 'Upstream_wren-7');
    assert.equal(claims.email, 'wren@example.org');
    assert.equal(claims.email_verified, true);
    assert.equal((claims.identities as { issuer: string }[])[0]!.issuer, upstream.issuer);
    const user = await worker.admin.send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: 'Upstream_wren-7' }));
    assert.equal(user.UserStatus, 'EXTERNAL_PROVIDER');
    assert.equal(user.UserAttributes!.find((a) => a.Name === 'name')?.Value, 'Wren');
  });

  it('verifies a Google ID token against the remote JWKS inside workerd, and refuses a forged one', async () => {
    google.person = { sub: 'g-42', email: 'g42@gmail.test', email_verified: true };
    const good = await signInThrough(app, new Browser(), { identity_provider: 'Google' });
    assert.equal((await redeem(app, good.callback, good.checks)).claims()!['cognito:username'], 'Google_g-42');
    google.tamper = { signing: 'hs256-public-key' };
    const forged = await signInThrough(app, new Browser(), { identity_provider: 'Google' });
    assert.equal(forged.callback.searchParams.get('error'), 'invalid_request');
    assert.match(forged.callback.searchParams.get('error_description')!, /HS256, which is not allowed/);
  });
});
