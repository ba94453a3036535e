import {
  CreateIdentityProviderCommand,
  DeleteIdentityProviderCommand,
  DescribeIdentityProviderCommand,
  DuplicateProviderException,
  GetIdentityProviderByIdentifierCommand,
  InvalidParameterException,
  ListIdentityProvidersCommand,
  ResourceNotFoundException,
  UpdateIdentityProviderCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCognate, type TestCognate } from './support/cognate.js';
import { createPool } from './support/pools.js';
import { appleKey } from './support/social-doubles.js';

/** Explicit endpoints: no discovery, so no network. */
const CORP = {
  client_id: 'corp-client', client_secret: 'corp-secret', oidc_issuer: 'https://idp.corp.example', authorize_scopes: 'openid email',
  authorize_url: 'https://idp.corp.example/authorize', token_url: 'https://idp.corp.example/token', jwks_uri: 'https://idp.corp.example/jwks',
};

describe('identity provider configuration API (AWS SDK)', () => {
  let cognate: TestCognate;
  let poolId: string;
  before(async () => {
    cognate = await startCognate();
    poolId = (await createPool(cognate)).poolId;
  });
  after(() => cognate.close());

  const describeProvider = async (ProviderName: string) =>
    (await cognate.admin.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName }))).IdentityProvider!;

  it('creates social providers with Cognito\'s defaults filled in, secrets returned and the subject mapped to username', async () => {
    await cognate.admin.send(new CreateIdentityProviderCommand({
      UserPoolId: poolId, ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: { client_id: 'g-id', client_secret: 'g-secret' },
      AttributeMapping: { email: 'email' },
    }));
    const google = await describeProvider('Google');
    assert.deepEqual(google.ProviderDetails, {
      client_id: 'g-id', client_secret: 'g-secret', authorize_scopes: 'email profile openid',
      authorize_url: 'https://accounts.google.com/o/oauth2/v2/auth', token_url: 'https://www.googleapis.com/oauth2/v4/token', token_request_method: 'POST',
      attributes_url: 'https://people.googleapis.com/v1/people/me?personFields=', attributes_url_add_attributes: 'true', oidc_issuer: 'https://accounts.google.com',
    });
    assert.deepEqual(google.AttributeMapping, { username: 'sub', email: 'email' });

    await cognate.admin.send(new CreateIdentityProviderCommand({
      UserPoolId: poolId, ProviderName: 'Facebook', ProviderType: 'Facebook', ProviderDetails: { client_id: 'fb', client_secret: 's', api_version: 'v19.0' },
    }));
    const facebook = await describeProvider('Facebook');
    assert.equal(facebook.ProviderDetails!.authorize_url, 'https://www.facebook.com/v19.0/dialog/oauth');
    assert.equal(facebook.ProviderDetails!.attributes_url, 'https://graph.facebook.com/v19.0/me?fields=');
    assert.deepEqual(facebook.AttributeMapping, { username: 'id' });

    await cognate.admin.send(new CreateIdentityProviderCommand({
      UserPoolId: poolId, ProviderName: 'LoginWithAmazon', ProviderType: 'LoginWithAmazon', ProviderDetails: { client_id: 'amzn', client_secret: 's' },
    }));
    const amazon = await describeProvider('LoginWithAmazon');
    assert.equal(amazon.ProviderDetails!.attributes_url, 'https://api.amazon.com/user/profile');
    assert.deepEqual(amazon.AttributeMapping, { username: 'user_id' });

    const key = await appleKey();
    await cognate.admin.send(new CreateIdentityProviderCommand({
      UserPoolId: poolId, ProviderName: 'SignInWithApple', ProviderType: 'SignInWithApple',
      ProviderDetails: { client_id: 'com.example', team_id: key.teamId, key_id: key.keyId, private_key: key.privateKeyPem },
    }));
    const apple = await describeProvider('SignInWithApple');
    assert.equal(apple.ProviderDetails!.private_key, key.privateKeyPem);
    assert.equal(apple.ProviderDetails!.authorize_scopes, 'email name');
    assert.equal(apple.ProviderDetails!.oidc_issuer, 'https://appleid.apple.com');
  });

  it('names social providers after their type', async () => {
    await assert.rejects(
      cognate.admin.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'MyGoogle', ProviderType: 'Google', ProviderDetails: { client_id: 'x', client_secret: 'y' } })),
      InvalidParameterException,
    );
  });

  it('refuses a second provider of the same name', async () => {
    await cognate.admin.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp', ProviderType: 'OIDC', ProviderDetails: CORP, IdpIdentifiers: ['corp', 'corp.example'] }));
    await assert.rejects(
      cognate.admin.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp', ProviderType: 'OIDC', ProviderDetails: CORP })),
      DuplicateProviderException,
    );
  });

  it('keeps secrets an update leaves out, and checks the new details', async () => {
    const { client_secret: _left_out, ...withoutSecret } = CORP;
    await cognate.admin.send(new UpdateIdentityProviderCommand({
      UserPoolId: poolId, ProviderName: 'Corp', ProviderDetails: { ...withoutSecret, client_id: 'corp-client-2', attributes_request_method: 'POST' },
    }));
    const corp = await describeProvider('Corp');
    assert.equal(corp.ProviderDetails!.client_id, 'corp-client-2');
    assert.equal(corp.ProviderDetails!.client_secret, 'corp-secret');
    assert.equal(corp.ProviderDetails!.attributes_request_method, 'POST');
    await assert.rejects(
      cognate.admin.send(new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp', ProviderDetails: { ...CORP, attributes_request_method: 'PATCH' } })),
      (error: unknown) => error instanceof InvalidParameterException && /attributes_request_method must be GET or POST/.test(error.message),
    );
  });

  it('lists providers page by page', async () => {
    const first = await cognate.admin.send(new ListIdentityProvidersCommand({ UserPoolId: poolId, MaxResults: 3 }));
    assert.equal(first.Providers!.length, 3);
    assert.ok(first.NextToken);
    const second = await cognate.admin.send(new ListIdentityProvidersCommand({ UserPoolId: poolId, MaxResults: 3, NextToken: first.NextToken }));
    const names = [...first.Providers!, ...second.Providers!].map((p) => p.ProviderName).sort();
    assert.deepEqual(names, ['Corp', 'Facebook', 'Google', 'LoginWithAmazon', 'SignInWithApple']);
    assert.equal(second.NextToken, undefined);
    assert.equal([...first.Providers!, ...second.Providers!].find((p) => p.ProviderName === 'Corp')?.ProviderType, 'OIDC');
  });

  it('finds a provider by one of its IdpIdentifiers, case-insensitively', async () => {
    const { IdentityProvider } = await cognate.admin.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId: poolId, IdpIdentifier: 'CORP.example' }));
    assert.equal(IdentityProvider!.ProviderName, 'Corp');
    await assert.rejects(cognate.admin.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId: poolId, IdpIdentifier: 'nobody' })), ResourceNotFoundException);
  });

  it('deletes a provider', async () => {
    await cognate.admin.send(new DeleteIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' }));
    await assert.rejects(describeProvider('Corp'), ResourceNotFoundException);
    await assert.rejects(cognate.admin.send(new DeleteIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' })), ResourceNotFoundException);
  });

  it('is an admin operation: an unsigned caller is refused', async () => {
    await assert.rejects(cognate.app.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Google' })));
  });
});
