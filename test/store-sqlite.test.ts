import { after, before, describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createStore } from '../src/db/store.js';
import { openSqlite, type SqliteDriver } from '../src/runtime/sqlite-driver.js';
import type { Store } from '../src/ports.js';
import { storeCases } from './store/cases.js';

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
});
