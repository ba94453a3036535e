import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createStore } from '../src/db/store.js';
import { openSqlite, type SqliteDriver } from '../src/runtime/sqlite-driver.js';
import type { Store } from '../src/ports.js';
import { storeCases } from './store/cases.js';
import { key, pool, user } from './store/fixtures.js';

describe('store on better-sqlite3', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cognate-store-'));
  let driver: SqliteDriver;
  let store: Store;
  before(() => {
    driver = openSqlite(join(dir, 'store.db'), resolve('migrations'));
    store = createStore(driver);
  });
  after(() => {
    driver.close();
    rmSync(dir, { recursive: true, force: true });
  });
  for (const c of storeCases) it(c.name, () => c.run(store));

  it('keeps SRP salts and verifiers as bytes, half their hex, and reads rows written as hex text', async () => {
    const p = pool();
    await store.pools.insert(p, key(p.id));
    const verifier = 'ab'.repeat(384);
    const u = { ...user(p.id, 'srp'), srpSalt: '0a'.repeat(16), srpVerifier: verifier };
    await store.users.insert(u);
    const stored = driver.db.get<{ kind: string; bytes: number }>(sql`SELECT typeof(srp_verifier) AS kind, length(srp_verifier) AS bytes FROM users WHERE sub = ${u.sub}`) as unknown as { kind: string; bytes: number };
    assert.deepEqual({ ...stored }, { kind: 'blob', bytes: 384 });
    assert.equal((await store.users.getBySub(p.id, u.sub))?.srpVerifier, verifier);
    // A row from before: hex text. An odd-length value cannot be bytes without changing it.
    driver.db.run(sql`UPDATE users SET srp_verifier = ${'cd'.repeat(384)}, srp_salt = ${'abc'} WHERE sub = ${u.sub}`);
    const legacy = await store.users.getBySub(p.id, u.sub);
    assert.deepEqual([legacy?.srpVerifier, legacy?.srpSalt], ['cd'.repeat(384), 'abc']);
    await store.users.update({ ...legacy!, srpSalt: 'ABC1' });
    assert.equal((await store.users.getBySub(p.id, u.sub))?.srpSalt, 'ABC1', 'upper case is kept as written');
  });
});
