import { InvalidParameterError } from '../../errors.js';

/** Pagination tokens are opaque to callers; a forged or garbled one is a parameter error. */
export function encodePageToken(next: string | undefined): string | undefined {
  if (next === undefined) return undefined;
  return btoa(JSON.stringify({ v: 1, after: next })).replace(/=+$/, '');
}

export function decodePageToken(token: unknown): string | undefined {
  if (token === undefined || token === null) return undefined;
  try {
    const parsed = JSON.parse(atob(String(token))) as { v?: number; after?: unknown };
    if (parsed.v === 1 && typeof parsed.after === 'string') return parsed.after;
  } catch {
    // fall through to the error below
  }
  throw new InvalidParameterError('Invalid pagination token');
}
