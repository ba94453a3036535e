import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';

const BATCH = 50_000;

/** Bytes of the database and its write-ahead log. */
export function databaseBytes(path: string): number {
  const size = (file: string) => {
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  };
  return size(path) + size(`${path}-wal`);
}

export const seededUsername = (i: number) => `user${i}`;

/**
 * Copies a user Cognate created through the API (`template`) into `count` users with their
 * own sub, username and email, straight into the users table in batched transactions. Every
 * other column, the argon2id hash and the SRP verifier included, is the template's: real
 * values of real sizes, without a million hashes to compute. Answers the bytes it added.
 */
export function seedUsers(path: string, poolId: string, templateUsername: string, count: number, onProgress: (done: number) => void): number {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const before = databaseBytes(path);
    const template = db.prepare('SELECT * FROM users WHERE pool_id = ? AND username = ?').get(poolId, templateUsername) as Record<string, unknown> | undefined;
    if (!template) throw new Error(`Template user ${templateUsername} not found in ${poolId}`);
    const { row_id: _rowId, ...row } = template;
    const columns = Object.keys(row);
    const insert = db.prepare(`INSERT INTO users (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
    const attributes = JSON.parse(String(template.attributes)) as Record<string, string>;
    const insertBatch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const sub = randomUUID();
        const username = seededUsername(i);
        const email = `${username}@example.com`;
        insert.run({
          ...row,
          sub,
          username,
          username_key: username,
          email,
          attributes: JSON.stringify({ ...attributes, email, given_name: `Given${i % 997}`, family_name: `Family${i % 1009}` }),
          created_at: Number(row.created_at) + i,
          updated_at: Number(row.updated_at) + i,
        });
      }
    });
    for (let from = 0; from < count; from += BATCH) {
      insertBatch(from, Math.min(count, from + BATCH));
      onProgress(Math.min(count, from + BATCH));
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    return databaseBytes(path) - before;
  } finally {
    db.close();
  }
}
