import { CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MESSAGE_KEYS } from '../src/http/ui/errors.js';
import { de } from '../src/ui/locales/de.js';
import { en } from '../src/ui/locales/en.js';
import { Browser, hiddenFields } from './support/browser.js';
import { startCognate, type TestCognate } from './support/cognate.js';
import { createPool, PASSWORD, type TestPool } from './support/pools.js';
import { signUpConfirmed } from './support/users.js';

const catalogs = { en: en as Record<string, string>, de: de as Record<string, string> };

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('hosted UI languages', () => {
  it('every message key exists in English and German, with the same placeholders', () => {
    assert.deepEqual(Object.keys(catalogs.de).sort(), Object.keys(catalogs.en).sort());
    for (const [key, english] of Object.entries(catalogs.en)) {
      const german = catalogs.de[key]!;
      assert.ok(typeof german === 'string' && german.trim().length > 0, `de.${key} is empty`);
      const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      assert.deepEqual(placeholders(german), placeholders(english), `de.${key} keeps the placeholders of en.${key}`);
    }
  });

  it('every core message the pages translate has its own German text, and still matches what the code says', () => {
    // Outside the table itself, the message must still start a string literal somewhere in src.
    const code = sources('src').filter((file) => !file.endsWith(join('ui', 'errors.ts'))).map((file) => readFileSync(file, 'utf8')).join('\n');
    for (const [pattern, key] of MESSAGE_KEYS) {
      assert.ok(catalogs.en[key] && catalogs.de[key], `${key} is in both catalogs`);
      assert.notEqual(catalogs.de[key], catalogs.en[key], `${key} is translated`);
      const quoted = new RegExp(`['\`]${pattern.source.replace(/^\^/, '').replace(/\$$/, '')}`);
      assert.ok(quoted.test(code), `${pattern} still matches a message in src`);
    }
  });

  describe('German pages for rare errors', () => {
    let cognate: TestCognate;
    let pool: TestPool;
    let clientId: string;
    let issuer: string;
    const german = { 'accept-language': 'de-DE,de;q=0.9' };
    before(async () => {
      cognate = await startCognate();
      pool = await createPool(cognate, { AliasAttributes: ['email'] });
      clientId = (await cognate.admin.send(new CreateUserPoolClientCommand({
        UserPoolId: pool.poolId, ClientName: 'web', AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ['openid'],
        CallbackURLs: ['https://app.example.com/cb'], SupportedIdentityProviders: ['COGNITO'], GenerateSecret: true,
      }))).UserPoolClient!.ClientId!;
      issuer = `${cognate.url}/${pool.poolId}`;
    });
    after(() => cognate.close());

    const request = () => new URLSearchParams({ client_id: clientId, redirect_uri: 'https://app.example.com/cb', response_type: 'code', scope: 'openid' });

    it('an unknown client, a repeated parameter and an expired form', async () => {
      const unknown = await new Browser().get(`${issuer}/oauth2/authorize?client_id=nope&redirect_uri=x`, german);
      assert.equal(unknown.status, 400);
      assert.match(await unknown.text(), new RegExp(de.unknownClient));
      const repeated = await new Browser().get(`${issuer}/oauth2/authorize?${request()}&scope=email`, german);
      assert.match(await repeated.text(), new RegExp(de.parameterRepeated));
      const browser = new Browser();
      const form = hiddenFields(await (await browser.get(`${issuer}/oauth2/authorize?${request()}`, german)).text());
      const expired = await browser.post(`${issuer}/login`, { ...form, _csrf: 'x'.repeat(43), username: 'a', password: 'b' }, german);
      assert.equal(expired.status, 403);
      const html = await expired.text();
      assert.match(html, new RegExp(de.formExpired));
      assert.match(html, /<html lang="de">/);
    });

    it('confirming an account whose email another account already uses', async () => {
      await signUpConfirmed(cognate, pool, 'first', 'shared@example.com');
      const browser = new Browser();
      const signUp = await browser.get(`${issuer}/signup?${request()}`, german);
      const confirm = await browser.post(`${issuer}/signup`, { ...hiddenFields(await signUp.text()), username: 'second', email: 'shared@example.com', password: PASSWORD }, german);
      const html = await confirm.text();
      const done = await browser.post(`${issuer}/confirm`, { ...hiddenFields(html), code: cognate.inbox.last('shared@example.com').code }, german);
      assert.equal(done.status, 400);
      const page = await done.text();
      assert.match(page, new RegExp(de.aliasExists));
      assert.doesNotMatch(page, /already exists/);
    });
  });
});
