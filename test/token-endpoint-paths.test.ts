import { CreateResourceServerCommand, CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../src/http/app.js';
import { startCognate, type TestCognate } from './support/cognate.js';
import { createPool } from './support/pools.js';

interface Seen { status: number; headers: Record<string, string | null>; json: Record<string, unknown> }

const FORM = 'application/x-www-form-urlencoded';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/**
 * On Node the token endpoint is answered before Hono (src/runtime/node-fast-path.ts); the
 * Worker answers through the Hono route. Both must give a client the same answer.
 */
describe('token endpoint: Node fast path and Hono route answer alike', () => {
  let cognate: TestCognate;
  let poolId: string;
  let machine: { id: string; secret: string };
  let hono: ReturnType<typeof createApp>;
  before(async () => {
    cognate = await startCognate();
    poolId = (await createPool(cognate)).poolId;
    await cognate.admin.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'api', Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }] }));
    const { UserPoolClient } = await cognate.admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'm', GenerateSecret: true, AllowedOAuthFlows: ['client_credentials'], AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ['api/read'] }),
    );
    machine = { id: UserPoolClient!.ClientId!, secret: UserPoolClient!.ClientSecret! };
    hono = createApp({ core: cognate.server.core, admin: cognate.server.admin });
  });
  after(() => cognate.close());

  const seen = async (response: Response): Promise<Seen> => ({
    status: response.status,
    headers: Object.fromEntries(['content-type', 'cache-control', 'pragma', 'www-authenticate'].map((h) => [h, response.headers.get(h)])),
    json: (await response.json()) as Record<string, unknown>,
  });
  const both = async (path: string, init: RequestInit): Promise<[Seen, Seen]> => [
    await seen(await fetch(`${cognate.url}${path}`, init)),
    await seen(await hono.fetch(new Request(`${cognate.url}${path}`, init))),
  ];
  const shape = (s: Seen) => ({ ...s, json: Object.fromEntries(Object.entries(s.json).map(([k, v]) => [k, k === 'access_token' ? typeof v : v])) });

  const cases: [string, () => [string, RequestInit]][] = [
    ['a granted client_credentials request', () => [`/${poolId}/oauth2/token`, { method: 'POST', headers: { authorization: basic(machine.id, machine.secret), 'content-type': FORM }, body: 'grant_type=client_credentials&scope=api%2Fread' }]],
    ['a wrong secret over Basic (401 with the challenge)', () => [`/${poolId}/oauth2/token`, { method: 'POST', headers: { authorization: basic(machine.id, 'wrong'), 'content-type': FORM }, body: 'grant_type=client_credentials' }]],
    ['a wrong secret in the body (401, no challenge)', () => [`/${poolId}/oauth2/token`, { method: 'POST', headers: { 'content-type': FORM }, body: `grant_type=client_credentials&client_id=${machine.id}&client_secret=wrong` }]],
    ['a JSON body', () => [`/${poolId}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":"client_credentials"}' }]],
    ['a repeated parameter', () => [`/${poolId}/oauth2/token`, { method: 'POST', headers: { authorization: basic(machine.id, machine.secret), 'content-type': FORM }, body: 'grant_type=client_credentials&grant_type=client_credentials' }]],
    ['an unsupported grant', () => [`/${poolId}/oauth2/token`, { method: 'POST', headers: { authorization: basic(machine.id, machine.secret), 'content-type': FORM }, body: 'grant_type=password' }]],
    ['an oversized body', () => [`/${poolId}/oauth2/token`, { method: 'POST', headers: { 'content-type': FORM }, body: `grant_type=client_credentials&pad=${'x'.repeat(70_000)}` }]],
    ['a pool that does not exist', () => ['/us-east-1_Nope12345/oauth2/token', { method: 'POST', headers: { 'content-type': FORM }, body: 'grant_type=client_credentials' }]],
  ];
  for (const [name, request] of cases) {
    it(name, async () => {
      const [path, init] = request();
      const [node, viaHono] = await both(path, init);
      assert.deepEqual(shape(node), shape(viaHono));
      if (name.startsWith('a granted')) assert.equal(node.status, 200);
      else assert.ok(node.status >= 400, `${name}: ${node.status}`);
      if (name.includes('with the challenge')) assert.equal(node.headers['www-authenticate'], 'Basic realm="oauth2"');
      if (name.includes('no challenge')) assert.equal(node.headers['www-authenticate'], null);
    });
  }
});
