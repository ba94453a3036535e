import type { BatchItem } from 'drizzle-orm/batch';
import { drizzle } from 'drizzle-orm/d1';
import type { Driver } from '../db/driver.js';
import * as schema from '../db/schema.js';

/**
 * The part of Cloudflare's `D1Database` binding this runtime relies on, declared here so the
 * project needs no `@cloudflare/workers-types` (whose globals clash with the DOM lib).
 */
export interface D1Database {
  prepare(query: string): D1PreparedStatement;
  batch(statements: D1PreparedStatement[]): Promise<unknown[]>;
  exec(query: string): Promise<unknown>;
}

export interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement;
  run(): Promise<unknown>;
  all(): Promise<{ results: unknown[] }>;
  first(column?: string): Promise<unknown>;
  raw(): Promise<unknown[][]>;
}

/** D1 refuses transactions; `batch` runs its statements in one implicit transaction. */
export function openD1(binding: D1Database): Driver {
  const db = drizzle(binding, { schema });
  return {
    db,
    async atomic(statements) {
      if (statements.length === 0) return;
      await db.batch(statements as unknown as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
    },
  };
}
