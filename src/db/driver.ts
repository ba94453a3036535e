import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.js';

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

export function encodeCursor(value: string | number): string {
  return btoa(String(value)).replace(/=+$/, '');
}

export function decodeCursor(token: string): string | undefined {
  try {
    return atob(token);
  } catch {
    return undefined;
  }
}
