import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Driver, Statement } from '../db/driver.js';
import * as schema from '../db/schema.js';

export interface SqliteDriver extends Driver {
  close(): void;
}

/** better-sqlite3 has no batch; a synchronous transaction is its atomic multi-write. */
export function openSqlite(path: string, migrationsFolder: string): SqliteDriver {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  const runAll = sqlite.transaction((statements: Statement[]) => {
    for (const statement of statements) statement.run();
  });
  return {
    db,
    async atomic(statements) {
      runAll(statements);
    },
    close: () => sqlite.close(),
  };
}
