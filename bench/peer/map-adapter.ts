/**
 * oidc-provider's storage adapter on plain Maps. The bundled MemoryAdapter is an LRU capped
 * at 1,000 entries (meant for development): it would evict the codes and refresh tokens the
 * bench prepares ahead. This one keeps every entry until it expires, and indexes grant
 * members in a Set, as a Redis adapter would with SADD.
 */
interface Entry {
  payload: Record<string, unknown>;
  expiresAt: number;
}

const entries = new Map<string, Entry>();
const byUid = new Map<string, string>();
const byUserCode = new Map<string, string>();
const grantMembers = new Map<string, Set<string>>();

function live(key: string): Entry | undefined {
  const entry = entries.get(key);
  if (entry && entry.expiresAt <= Date.now()) {
    entries.delete(key);
    return undefined;
  }
  return entry;
}

// Expired entries nobody asks for again would otherwise stay for the whole run.
setInterval(() => {
  const now = Date.now();
  for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
}, 30_000).unref();

export class MapAdapter {
  constructor(private readonly model: string) {}

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: Record<string, unknown>, expiresIn?: number): Promise<void> {
    const key = this.key(id);
    entries.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
    if (typeof payload.uid === 'string') byUid.set(payload.uid, id);
    if (typeof payload.userCode === 'string') byUserCode.set(payload.userCode, id);
    if (typeof payload.grantId === 'string') {
      const members = grantMembers.get(payload.grantId) ?? new Set<string>();
      members.add(key);
      grantMembers.set(payload.grantId, members);
    }
  }

  async find(id: string): Promise<Record<string, unknown> | undefined> {
    return live(this.key(id))?.payload;
  }

  async findByUid(uid: string): Promise<Record<string, unknown> | undefined> {
    const id = byUid.get(uid);
    return id === undefined ? undefined : this.find(id);
  }

  async findByUserCode(userCode: string): Promise<Record<string, unknown> | undefined> {
    const id = byUserCode.get(userCode);
    return id === undefined ? undefined : this.find(id);
  }

  async consume(id: string): Promise<void> {
    const entry = live(this.key(id));
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    entries.delete(this.key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const key of grantMembers.get(grantId) ?? []) entries.delete(key);
    grantMembers.delete(grantId);
  }
}
