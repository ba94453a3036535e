import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.js';
import type { Page } from '../ports.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = BaseSQLiteDatabase<'sync' | 'async', any, typeof schema>;

/** A write statement built with the query builder, not yet run. */
export type Statement = { run(): unknown };

/**
 * What a runtime hands the store: a drizzle database and the driver's way to run several
 * writes atomically (a transaction on better-sqlite3, `batch` on D1, which refuses
 * transactions).
 */
export interface Driver {
  db: Db;
  atomic(statements: Statement[]): Promise<void>;
}

/** Both drivers report unique violations with SQLite's text, D1 sometimes only in `cause`. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (typeof e.message === 'string' && e.message.includes('UNIQUE constraint failed')) return true;
    if (e === e.cause) break;
  }
  return false;
}

/** Repositories fetch `limit + 1` rows; the extra one only tells that another page exists. */
export function pageOf<T>(rows: T[], limit: number, cursor: (last: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? cursor(items[items.length - 1]!) : undefined };
}
