import assert from 'node:assert/strict';
import type { DeviceRecord, Store } from '../../src/ports.js';
import { client, drain, freshPool, group, key, pool, unique, user } from './fixtures.js';
import { federationCases } from './federation-cases.js';

/**
 * The Store contract, independent of driver and test runner: the same cases run on
 * better-sqlite3 under node:test and on D1 inside workerd.
 */
export interface StoreCase {
  name: string;
  run(store: Store): Promise<void>;
}

export const storeCases: StoreCase[] = [
  ...federationCases,
  {
    name: 'pools: insert stores the pool with its first key, get and update round-trip JSON config',
    async run(store) {
      const p = await freshPool(store);
      assert.deepEqual(await store.pools.get(p.id), p);
      assert.equal((await store.keys.list(p.id)).length, 1);
      await store.pools.update({ ...p, name: 'renamed', config: { MfaConfiguration: 'ON', Nested: { a: [1, 2] } }, updatedAt: 2000 });
      const got = await store.pools.get(p.id);
      assert.equal(got?.name, 'renamed');
      assert.deepEqual(got?.config, { MfaConfiguration: 'ON', Nested: { a: [1, 2] } });
      assert.equal(await store.pools.get('nope_123'), undefined);
    },
  },
  {
    name: 'pools: a failed insert leaves nothing behind (atomic with its key)',
    async run(store) {
      const p = await freshPool(store);
      const again = pool();
      await assert.rejects(store.pools.insert(again, key(again.id, (await store.keys.list(p.id))[0]!.kid)));
      assert.equal(await store.pools.get(again.id), undefined, 'pool row must roll back when its key insert fails');
    },
  },
  {
    name: 'pools: list pages in id order without gaps or repeats',
    async run(store) {
      const prefix = unique('list');
      for (const suffix of ['a', 'b', 'c', 'd', 'e']) {
        const p = pool(`${prefix}${suffix}`);
        await store.pools.insert(p, key(p.id));
      }
      const seen: string[] = [];
      let after: string | undefined = `${prefix}`;
      do {
        const page = await store.pools.list(2, after);
        seen.push(...page.items.map((x) => x.id).filter((id) => id.startsWith(prefix)));
        after = page.next;
      } while (after && seen.length < 5);
      assert.deepEqual(seen, ['a', 'b', 'c', 'd', 'e'].map((s) => `${prefix}${s}`));
    },
  },
  {
    name: 'pools: delete removes every row of the pool and nothing of another pool',
    async run(store) {
      const doomed = await freshPool(store);
      const kept = await freshPool(store);
      for (const p of [doomed, kept]) {
        await store.clients.insert(client(p.id));
        const u = user(p.id, 'alice');
        await store.users.insert(u);
        await store.codes.put({ poolId: p.id, sub: u.sub, purpose: 'signup', codeHash: 'h', expiresAt: 9, attempts: 0, createdAt: 1 });
        await store.refreshTokens.insert({ tokenHash: unique('rt'), familyId: unique('fam'), poolId: p.id, clientId: 'c', sub: u.sub, authTime: 1, scope: null, createdAt: 1, expiresAt: 99, replacedAt: null });
        await store.messages.insert({ poolId: p.id, channel: 'email', destination: 'a@b', username: 'alice', triggerSource: 'CustomMessage_SignUp', subject: null, body: 'x', createdAt: 1 });
      }
      await store.pools.delete(doomed.id);
      assert.equal(await store.pools.get(doomed.id), undefined);
      assert.equal(await store.users.count(doomed.id), 0);
      assert.equal((await store.keys.list(doomed.id)).length, 0);
      assert.equal((await store.clients.list(doomed.id, 10)).items.length, 0);
      assert.equal((await store.messages.list(doomed.id, 10)).length, 0);
      assert.equal(await store.users.count(kept.id), 1);
      assert.equal((await store.clients.list(kept.id, 10)).items.length, 1);
    },
  },
  {
    name: 'clients: insert, get by pool and by id, update, delete with its refresh tokens',
    async run(store) {
      const p = await freshPool(store);
      const c = { ...client(p.id), secretEnc: 'v1.sealed.secret' };
      await store.clients.insert(c);
      assert.deepEqual(await store.clients.get(p.id, c.id), c);
      assert.deepEqual(await store.clients.byId(c.id), c);
      assert.equal(await store.clients.get('other_pool', c.id), undefined, 'a client is only found in its own pool');
      await store.clients.update({ ...c, name: 'new', config: { A: 1 }, updatedAt: 7 });
      assert.equal((await store.clients.get(p.id, c.id))?.name, 'new');
      const rt = { tokenHash: unique('rt'), familyId: unique('fam'), poolId: p.id, clientId: c.id, sub: 's', authTime: 1, scope: null, createdAt: 1, expiresAt: 99, replacedAt: null };
      await store.refreshTokens.insert(rt);
      await store.clients.delete(p.id, c.id);
      assert.equal(await store.clients.byId(c.id), undefined);
      assert.equal(await store.refreshTokens.get(rt.tokenHash), undefined);
    },
  },
  {
    name: 'users: insert and look up by username key and sub; duplicates raise UsernameExistsException',
    async run(store) {
      const p = await freshPool(store);
      const u = user(p.id, 'Alice', { email: 'alice@example.com', email_verified: 'true', 'custom:tier': 'gold' });
      await store.users.insert(u);
      assert.deepEqual(await store.users.getByUsername(p.id, 'alice'), u);
      assert.deepEqual(await store.users.getBySub(p.id, u.sub), u);
      await assert.rejects(store.users.insert(user(p.id, 'alice')), (e: Error) => e.name === 'UsernameExistsError');
      const other = await freshPool(store);
      await store.users.insert(user(other.id, 'alice'));
      assert.equal(await store.users.count(p.id), 1, 'the same username may exist in another pool');
    },
  },
  {
    name: 'users: findByAttribute uses the copied email, phone and preferred_username',
    async run(store) {
      const p = await freshPool(store);
      const a = user(p.id, 'a', { email: 'same@example.com', phone_number: '+15550001' });
      const b = user(p.id, 'b', { email: 'same@example.com', preferred_username: 'bee' });
      await store.users.insert(a);
      await store.users.insert(b);
      assert.equal((await store.users.findByAttribute(p.id, 'email', 'same@example.com')).length, 2);
      assert.deepEqual((await store.users.findByAttribute(p.id, 'phone_number', '+15550001')).map((u) => u.sub), [a.sub]);
      assert.deepEqual((await store.users.findByAttribute(p.id, 'preferred_username', 'bee')).map((u) => u.sub), [b.sub]);
      await store.users.update({ ...b, attributes: { email: 'moved@example.com' }, updatedAt: 9 });
      assert.equal((await store.users.findByAttribute(p.id, 'email', 'same@example.com')).length, 1);
      assert.equal((await store.users.findByAttribute(p.id, 'preferred_username', 'bee')).length, 0);
    },
  },
  {
    name: 'users: list filters with = and ^= on indexed, JSON and status attributes, and pages',
    async run(store) {
      const p = await freshPool(store);
      const names = ['anna', 'andrew', 'bob', 'anthony', 'carl'];
      for (const n of names) await store.users.insert({ ...user(p.id, n, { email: `${n}@example.com`, given_name: n.toUpperCase(), 'custom:team': n.length > 4 ? 'long' : 'short' }), enabled: n !== 'bob' });
      const byPrefix = await store.users.list(p.id, { filter: { attribute: 'username', op: '^=', value: 'an' }, limit: 60 });
      assert.deepEqual(byPrefix.items.map((u) => u.username).sort(), ['andrew', 'anna', 'anthony']);
      const byEmail = await store.users.list(p.id, { filter: { attribute: 'email', op: '=', value: 'bob@example.com' }, limit: 60 });
      assert.deepEqual(byEmail.items.map((u) => u.username), ['bob']);
      const byJson = await store.users.list(p.id, { filter: { attribute: 'given_name', op: '^=', value: 'AN' }, limit: 60 });
      assert.equal(byJson.items.length, 3);
      const byCustom = await store.users.list(p.id, { filter: { attribute: 'custom:team', op: '=', value: 'long' }, limit: 60 });
      assert.deepEqual(byCustom.items.map((u) => u.username).sort(), ['andrew', 'anthony']);
      const disabled = await store.users.list(p.id, { filter: { attribute: 'status', op: '=', value: 'Disabled' }, limit: 60 });
      assert.deepEqual(disabled.items.map((u) => u.username), ['bob']);
      const caseSensitivePrefix = await store.users.list(p.id, { filter: { attribute: 'given_name', op: '^=', value: 'an' }, limit: 60 });
      assert.equal(caseSensitivePrefix.items.length, 0, 'prefix match is case-sensitive');
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const page = await store.users.list(p.id, { limit: 2, after });
        assert.ok(page.items.length <= 2);
        seen.push(...page.items.map((u) => u.username));
        after = page.next;
      } while (after);
      assert.deepEqual(seen.sort(), [...names].sort());
    },
  },
  {
    name: 'users: failed sign-ins count atomically, lock from the fifth with doubling, and reset',
    async run(store) {
      const p = await freshPool(store);
      const u = user(p.id, 'target');
      await store.users.insert(u);
      const results = await Promise.all([1, 2, 3, 4].map(() => store.users.countFailedSignIn(p.id, u.sub, 10_000)));
      assert.deepEqual(results.map((r) => r.failures).sort(), [1, 2, 3, 4], 'concurrent failures are all counted');
      assert.ok(results.every((r) => r.lockedUntil === 0));
      assert.deepEqual(await store.users.countFailedSignIn(p.id, u.sub, 10_000), { failures: 5, lockedUntil: 11_000 });
      assert.deepEqual(await store.users.countFailedSignIn(p.id, u.sub, 20_000), { failures: 6, lockedUntil: 22_000 });
      await store.users.update({ ...u, attributes: { name: 'x' }, updatedAt: 30 });
      assert.equal((await store.users.getBySub(p.id, u.sub))?.failedSignIns, 6, 'a profile update does not erase the count');
      for (let i = 0; i < 20; i++) await store.users.countFailedSignIn(p.id, u.sub, 0);
      assert.equal((await store.users.getBySub(p.id, u.sub))?.lockedUntil, 15 * 60_000, 'the lock is capped at 15 minutes');
      await store.users.resetFailedSignIns(p.id, u.sub);
      const reset = await store.users.getBySub(p.id, u.sub);
      assert.equal(reset?.failedSignIns, 0);
      assert.equal(reset?.lockedUntil, 0);
    },
  },
  {
    name: 'users: MFA settings and sealed TOTP secrets round-trip through insert and update',
    async run(store) {
      const p = await freshPool(store);
      const u = { ...user(p.id, 'mfa-user'), totpPendingEnc: 'v1.iv.pending' };
      await store.users.insert(u);
      assert.deepEqual(await store.users.getBySub(p.id, u.sub), u);
      const enabled = {
        ...u,
        mfa: { enabled: ['SOFTWARE_TOKEN_MFA' as const, 'SMS_MFA' as const], preferred: 'SOFTWARE_TOKEN_MFA' as const, totpDeviceName: 'phone' },
        totpSecretEnc: 'v1.iv.secret',
        totpPendingEnc: null,
        updatedAt: 6,
      };
      await store.users.update(enabled);
      assert.deepEqual(await store.users.getBySub(p.id, u.sub), enabled);
    },
  },
  {
    name: 'users: acceptTotpStep takes each step once and only later ones, also when raced; update never rewinds it',
    async run(store) {
      const p = await freshPool(store);
      const u = user(p.id, 'totp');
      await store.users.insert(u);
      const raced = await Promise.all([1, 2, 3, 4].map(() => store.users.acceptTotpStep(p.id, u.sub, 1000)));
      assert.deepEqual(raced.filter(Boolean).length, 1, 'one of four concurrent uses of a code wins');
      assert.equal(await store.users.acceptTotpStep(p.id, u.sub, 1000), false, 'the same step again');
      assert.equal(await store.users.acceptTotpStep(p.id, u.sub, 999), false, 'an earlier step');
      await store.users.update({ ...u, attributes: { name: 'x' }, updatedAt: 7 });
      assert.equal(await store.users.acceptTotpStep(p.id, u.sub, 1000), false, 'a record update does not reset the last step');
      assert.equal(await store.users.acceptTotpStep(p.id, u.sub, 1001), true);
      assert.equal(await store.users.acceptTotpStep(p.id, 'someone-else', 5000), false, 'an unknown user accepts nothing');
      const other = user(p.id, 'other');
      await store.users.insert(other);
      assert.equal(await store.users.acceptTotpStep(p.id, other.sub, 1000), true, 'steps are per user');
    },
  },
  {
    name: 'users: delete removes the user with codes, sessions, memberships and refresh tokens',
    async run(store) {
      const p = await freshPool(store);
      const u = user(p.id, 'gone');
      await store.users.insert(u);
      await store.codes.put({ poolId: p.id, sub: u.sub, purpose: 'reset', codeHash: 'h', expiresAt: 9, attempts: 0, createdAt: 1 });
      await store.authSessions.put({ sessionHash: unique('s'), poolId: p.id, clientId: 'c', sub: u.sub, challenge: 'X', state: null, expiresAt: 9 });
      const rt = { tokenHash: unique('rt'), familyId: unique('fam'), poolId: p.id, clientId: 'c', sub: u.sub, authTime: 1, scope: null, createdAt: 1, expiresAt: 99, replacedAt: null };
      await store.refreshTokens.insert(rt);
      await store.users.delete(p.id, u.sub);
      assert.equal(await store.users.getBySub(p.id, u.sub), undefined);
      assert.equal(await store.codes.get(p.id, u.sub, 'reset'), undefined);
      assert.equal(await store.refreshTokens.get(rt.tokenHash), undefined);
    },
  },
  {
    name: 'groups: insert, get and update round-trip; a duplicate name raises GroupExistsException',
    async run(store) {
      const p = await freshPool(store);
      const g = { ...group(p.id, 'Admins', 3, 'arn:aws:iam::123456789012:role/admin'), description: 'the admins' };
      await store.groups.insert(g);
      assert.deepEqual(await store.groups.get(p.id, 'Admins'), g);
      assert.equal(await store.groups.get(p.id, 'admins'), undefined, 'group names are case-sensitive');
      await store.groups.insert(group(p.id, 'admins'));
      await assert.rejects(store.groups.insert(group(p.id, 'Admins')), (e: Error) => e.name === 'GroupExistsError');
      const other = await freshPool(store);
      await store.groups.insert(group(other.id, 'Admins'));
      await store.groups.update({ ...g, description: null, roleArn: null, precedence: 0, createdAt: 99, updatedAt: 20 });
      assert.deepEqual(await store.groups.get(p.id, 'Admins'), { ...g, description: null, roleArn: null, precedence: 0, updatedAt: 20 }, 'createdAt is not rewritten');
      assert.equal((await store.groups.get(other.id, 'Admins'))?.precedence, null, 'the same name in another pool is untouched');
    },
  },
  {
    name: 'groups: list pages one pool in name order without gaps or repeats',
    async run(store) {
      const p = await freshPool(store);
      const other = await freshPool(store);
      const names = ['delta', 'Alpha', 'charlie', 'bravo', 'echo'];
      for (const n of names) await store.groups.insert(group(p.id, n));
      await store.groups.insert(group(other.id, 'zulu'));
      const seen = await drain((after) => store.groups.list(p.id, 2, after), 2);
      assert.deepEqual(seen.map((g) => g.name), [...names].sort());
      assert.equal((await store.groups.list(p.id, 60)).next, undefined);
    },
  },
  {
    name: 'groups: memberships are idempotent, need both group and user, list both ways and order tokens by precedence',
    async run(store) {
      const p = await freshPool(store);
      const u = user(p.id, 'member');
      const stranger = user(p.id, 'stranger');
      await store.users.insert(u);
      await store.users.insert(stranger);
      const groups = [group(p.id, 'unranked-b'), group(p.id, 'second', 5), group(p.id, 'unranked-a'), group(p.id, 'first', 0), group(p.id, 'also-5', 5)];
      for (const g of groups) {
        await store.groups.insert(g);
        await store.groups.addMember(p.id, g.name, u.sub, 30);
        await store.groups.addMember(p.id, g.name, u.sub, 31);
      }
      await store.groups.addMember(p.id, 'missing', u.sub, 30);
      await store.groups.addMember(p.id, 'first', 'no-such-sub', 30);
      assert.deepEqual((await store.groups.forUser(p.id, u.sub)).map((g) => g.name), ['first', 'also-5', 'second', 'unranked-a', 'unranked-b']);
      const forUser = await drain((after) => store.groups.listForUser(p.id, u.sub, 2, after), 2);
      assert.deepEqual(forUser.map((g) => g.name), ['also-5', 'first', 'second', 'unranked-a', 'unranked-b']);
      assert.deepEqual(forUser[1], groups[3]);
      assert.deepEqual(await store.groups.forUser(p.id, stranger.sub), []);
      assert.deepEqual((await store.groups.listMembers(p.id, 'first', 60)).items.map((m) => m.sub), [u.sub], 'a user that does not exist is not added');

      const members = [u, stranger];
      for (let i = 0; i < 3; i++) {
        const extra = user(p.id, `extra${i}`, { email: `extra${i}@example.com` });
        await store.users.insert(extra);
        members.push(extra);
      }
      for (const m of members) await store.groups.addMember(p.id, 'second', m.sub, 40);
      const listed = await drain((after) => store.groups.listMembers(p.id, 'second', 2, after), 2);
      assert.deepEqual(listed.map((m) => m.sub).sort(), members.map((m) => m.sub).sort());
      assert.deepEqual(listed.find((m) => m.username === 'extra1'), members.find((m) => m.username === 'extra1'), 'members come back as whole users');

      await store.groups.removeMember(p.id, 'second', u.sub);
      await store.groups.removeMember(p.id, 'second', u.sub);
      assert.ok(!(await store.groups.forUser(p.id, u.sub)).some((g) => g.name === 'second'));
      assert.equal((await store.groups.listMembers(p.id, 'second', 60)).items.length, 4);
      await store.users.delete(p.id, stranger.sub);
      assert.equal((await store.groups.listMembers(p.id, 'second', 60)).items.length, 3, "deleting a user ends the user's memberships");
    },
  },
  {
    name: 'groups: delete removes the group with its memberships; a new group of that name starts empty',
    async run(store) {
      const p = await freshPool(store);
      const u = user(p.id, 'member');
      await store.users.insert(u);
      await store.groups.insert(group(p.id, 'doomed', 1));
      await store.groups.insert(group(p.id, 'kept', 2));
      await store.groups.addMember(p.id, 'doomed', u.sub, 1);
      await store.groups.addMember(p.id, 'kept', u.sub, 1);
      await store.groups.delete(p.id, 'doomed');
      assert.equal(await store.groups.get(p.id, 'doomed'), undefined);
      assert.deepEqual((await store.groups.forUser(p.id, u.sub)).map((g) => g.name), ['kept']);
      await store.groups.insert(group(p.id, 'doomed'));
      assert.deepEqual((await store.groups.listMembers(p.id, 'doomed', 60)).items, []);
      await store.pools.delete(p.id);
      assert.equal(await store.groups.get(p.id, 'kept'), undefined, 'deleting the pool deletes its groups');
      assert.deepEqual(await store.groups.forUser(p.id, u.sub), []);
    },
  },
  {
    name: 'codes: put replaces the previous code and resets attempts; fail counts; delete',
    async run(store) {
      const p = await freshPool(store);
      const code = { poolId: p.id, sub: 's1', purpose: 'signup', codeHash: 'first', expiresAt: 10, attempts: 0, createdAt: 1 };
      await store.codes.put(code);
      assert.equal(await store.codes.fail(p.id, 's1', 'signup'), 1);
      assert.equal(await store.codes.fail(p.id, 's1', 'signup'), 2);
      await store.codes.put({ ...code, codeHash: 'second', createdAt: 2 });
      const got = await store.codes.get(p.id, 's1', 'signup');
      assert.equal(got?.codeHash, 'second');
      assert.equal(got?.attempts, 0);
      await store.codes.delete(p.id, 's1', 'signup');
      assert.equal(await store.codes.get(p.id, 's1', 'signup'), undefined);
      assert.equal(await store.codes.fail(p.id, 's1', 'signup'), 0, 'failing a missing code changes nothing');
    },
  },
  {
    name: 'auth sessions: take returns the session once',
    async run(store) {
      const p = await freshPool(store);
      const s = { sessionHash: unique('s'), poolId: p.id, clientId: 'c', sub: 'u', challenge: 'NEW_PASSWORD_REQUIRED', state: { step: 1 }, expiresAt: 50 };
      await store.authSessions.put(s);
      const [first, second] = await Promise.all([store.authSessions.take(s.sessionHash), store.authSessions.take(s.sessionHash)]);
      assert.equal([first, second].filter(Boolean).length, 1, 'exactly one concurrent take wins');
      assert.deepEqual(first ?? second, s);
      assert.equal(await store.authSessions.take(s.sessionHash), undefined);
    },
  },
  {
    name: 'refresh tokens: rotate is a compare-and-set; only one of two rotations wins',
    async run(store) {
      const p = await freshPool(store);
      const base = { familyId: unique('fam'), poolId: p.id, clientId: 'c', sub: 'u', authTime: 1, scope: null, expiresAt: 99, replacedAt: null };
      const first = { ...base, tokenHash: unique('rt'), createdAt: 1 };
      await store.refreshTokens.insert(first);
      const [a, b] = await Promise.all([
        store.refreshTokens.rotate(first.tokenHash, { ...base, tokenHash: unique('rt'), createdAt: 2 }),
        store.refreshTokens.rotate(first.tokenHash, { ...base, tokenHash: unique('rt'), createdAt: 3 }),
      ]);
      assert.equal([a, b].filter(Boolean).length, 1);
      const old = await store.refreshTokens.get(first.tokenHash);
      assert.ok(old?.replacedAt, 'the rotated token is kept and marked replaced, so reuse can be detected');
    },
  },
  {
    name: 'refresh tokens: revoking a family removes its tokens and remembers the family',
    async run(store) {
      const p = await freshPool(store);
      const family = unique('fam');
      const other = unique('fam');
      const row = (familyId: string) => ({ tokenHash: unique('rt'), familyId, poolId: p.id, clientId: 'c', sub: 'u', authTime: 1, scope: null, createdAt: 1, expiresAt: 99, replacedAt: null });
      const [t1, t2, t3] = [row(family), row(family), row(other)];
      for (const t of [t1, t2, t3]) await store.refreshTokens.insert(t);
      await store.refreshTokens.revokeFamily(p.id, family, 1000, 10);
      await store.refreshTokens.revokeFamily(p.id, family, 1000, 11);
      assert.equal(await store.refreshTokens.get(t1.tokenHash), undefined);
      assert.equal(await store.refreshTokens.get(t2.tokenHash), undefined);
      assert.ok(await store.refreshTokens.get(t3.tokenHash));
      assert.equal(await store.refreshTokens.isFamilyRevoked(family), true);
      assert.equal(await store.refreshTokens.isFamilyRevoked(other), false);
    },
  },
  {
    name: 'refresh tokens: revokeUser revokes every family of that user only',
    async run(store) {
      const p = await freshPool(store);
      const row = (sub: string, familyId: string) => ({ tokenHash: unique('rt'), familyId, poolId: p.id, clientId: 'c', sub, authTime: 1, scope: null, createdAt: 1, expiresAt: 99, replacedAt: null });
      const [f1, f2, f3] = [unique('fam'), unique('fam'), unique('fam')];
      await store.refreshTokens.insert(row('alice', f1));
      await store.refreshTokens.insert(row('alice', f2));
      const bobs = row('bob', f3);
      await store.refreshTokens.insert(bobs);
      await store.refreshTokens.revokeUser(p.id, 'alice', 50);
      assert.equal(await store.refreshTokens.isFamilyRevoked(f1), true);
      assert.equal(await store.refreshTokens.isFamilyRevoked(f2), true);
      assert.equal(await store.refreshTokens.isFamilyRevoked(f3), false);
      assert.ok(await store.refreshTokens.get(bobs.tokenHash));
    },
  },
  {
    name: 'password history keeps the newest entries per user, and goes with the user',
    async run(store) {
      const p = await freshPool(store);
      const u = user(p.id, 'hist');
      await store.users.insert(u);
      for (const [i, hash] of ['h1', 'h2', 'h3', 'h4'].entries()) await store.passwordHistory.add(p.id, u.sub, hash, i, 2);
      await store.passwordHistory.add(p.id, 'someone-else', 'x1', 9, 2);
      assert.deepEqual(await store.passwordHistory.recent(p.id, u.sub, 5), ['h4', 'h3']);
      assert.deepEqual(await store.passwordHistory.recent(p.id, u.sub, 1), ['h4']);
      assert.deepEqual(await store.passwordHistory.recent(p.id, u.sub, 0), []);
      await store.users.delete(p.id, u.sub);
      assert.deepEqual(await store.passwordHistory.recent(p.id, u.sub, 5), []);
      assert.deepEqual(await store.passwordHistory.recent(p.id, 'someone-else', 5), ['x1']);
    },
  },
  {
    name: 'devices: insert, get, update, list confirmed ones per user with paging, delete; they go with the user and the pool',
    async run(store) {
      const p = await freshPool(store);
      const u = user(p.id, 'devowner');
      const other = user(p.id, 'devother');
      await store.users.insert(u);
      await store.users.insert(other);
      const device = (sub: string, n: number, confirmed = true): DeviceRecord => ({
        poolId: p.id, sub, deviceKey: `local_${crypto.randomUUID()}`, groupKey: `-g${n}`, salt: confirmed ? '00ab' : null, verifier: confirmed ? 'cd' : null,
        name: confirmed ? `d${n}` : null, status: 'not_remembered', confirmed, createdAt: n, updatedAt: n, lastAuthAt: null,
      });
      const mine = [device(u.sub, 1), device(u.sub, 2), device(u.sub, 3), device(u.sub, 4, false)];
      for (const d of mine) await store.devices.insert(d);
      const theirs = device(other.sub, 5);
      await store.devices.insert(theirs);
      assert.deepEqual(await store.devices.get(p.id, mine[0]!.deviceKey), mine[0]);
      assert.equal(await store.devices.get(p.id, 'local_missing'), undefined);
      assert.equal(await store.devices.get('other_pool', mine[0]!.deviceKey), undefined);

      const updated: DeviceRecord = { ...mine[3]!, salt: '01', verifier: '02', name: 'named', status: 'remembered', confirmed: true, updatedAt: 9, lastAuthAt: 8 };
      await store.devices.update(updated);
      assert.deepEqual(await store.devices.get(p.id, updated.deviceKey), updated);

      const listed = await drain((after) => store.devices.listForUser(p.id, u.sub, 2, after), 2);
      assert.deepEqual(listed.map((d) => d.deviceKey), [...mine.slice(0, 3), updated].map((d) => d.deviceKey));
      const unconfirmed = device(u.sub, 6, false);
      await store.devices.insert(unconfirmed);
      assert.equal((await store.devices.listForUser(p.id, u.sub, 10)).items.length, 4, 'unconfirmed devices are not listed');
      await store.sweepExpired(86_400_006);
      assert.deepEqual(await store.devices.get(p.id, unconfirmed.deviceKey), unconfirmed, 'an unconfirmed device lives a day');
      await store.sweepExpired(86_400_007);
      assert.equal(await store.devices.get(p.id, unconfirmed.deviceKey), undefined);
      assert.ok(await store.devices.get(p.id, mine[1]!.deviceKey), 'confirmed devices are never swept');

      await store.devices.delete(p.id, mine[0]!.deviceKey);
      assert.equal(await store.devices.get(p.id, mine[0]!.deviceKey), undefined);
      await store.users.delete(p.id, u.sub);
      assert.deepEqual((await store.devices.listForUser(p.id, u.sub, 10)).items, []);
      assert.equal(await store.devices.get(p.id, updated.deviceKey), undefined);
      assert.deepEqual(await store.devices.get(p.id, theirs.deviceKey), theirs, 'other users keep theirs');
      await store.pools.delete(p.id);
      assert.equal(await store.devices.get(p.id, theirs.deviceKey), undefined);
    },
  },
  {
    name: 'keys: rotate adds the next key and dates the retiring ones atomically; sweep drops expired keys',
    async run(store) {
      const p = await freshPool(store);
      const [first] = await store.keys.list(p.id);
      const next = { ...key(p.id), createdAt: 10, activatesAt: 20 };
      await store.keys.rotate(next, [{ ...first!, retiresAt: 20, expiresAt: 500 }]);
      const keys = await store.keys.list(p.id);
      assert.equal(keys.length, 2);
      assert.deepEqual(keys.find((k) => k.kid === first!.kid), { ...first!, retiresAt: 20, expiresAt: 500 });
      await assert.rejects(store.keys.rotate({ ...next }, [{ ...first!, retiresAt: 1, expiresAt: 1 }]), 'a duplicate kid fails');
      assert.equal((await store.keys.list(p.id)).find((k) => k.kid === first!.kid)?.expiresAt, 500, 'and changes nothing');
      await store.sweepExpired(501);
      assert.deepEqual((await store.keys.list(p.id)).map((k) => k.kid), [next.kid]);
    },
  },
  {
    name: 'resource servers: insert, get, update, page, delete; identifiers unique per pool',
    async run(store) {
      const p = await freshPool(store);
      const server = { poolId: p.id, identifier: 'https://api', name: 'api', scopes: [{ ScopeName: 'read', ScopeDescription: 'r' }], createdAt: 1, updatedAt: 1 };
      await store.resourceServers.insert(server);
      await assert.rejects(store.resourceServers.insert(server), (e: Error) => e.name === 'InvalidParameterError');
      assert.deepEqual(await store.resourceServers.get(p.id, 'https://api'), server);
      await store.resourceServers.update({ ...server, name: 'renamed', scopes: [], updatedAt: 2 });
      assert.equal((await store.resourceServers.get(p.id, 'https://api'))?.name, 'renamed');
      await store.resourceServers.insert({ ...server, identifier: 'https://b' });
      const first = await store.resourceServers.list(p.id, 1);
      assert.equal(first.items.length, 1);
      const second = await store.resourceServers.list(p.id, 1, first.next);
      assert.deepEqual([...first.items, ...second.items].map((s) => s.identifier), ['https://api', 'https://b']);
      await store.resourceServers.delete(p.id, 'https://api');
      assert.equal(await store.resourceServers.get(p.id, 'https://api'), undefined);
    },
  },
  {
    name: 'sweepExpired removes only what has expired',
    async run(store) {
      const p = await freshPool(store);
      const now = 1_000_000;
      const token = (expiresAt: number) => ({ tokenHash: unique('rt'), familyId: unique('fam'), poolId: p.id, clientId: 'c', sub: 'u', authTime: 1, scope: null, createdAt: 1, expiresAt, replacedAt: null });
      const [old, live] = [token(now - 1), token(now + 1)];
      await store.refreshTokens.insert(old);
      await store.refreshTokens.insert(live);
      await store.codes.put({ poolId: p.id, sub: 'a', purpose: 'signup', codeHash: 'h', expiresAt: now - 1, attempts: 0, createdAt: 1 });
      await store.codes.put({ poolId: p.id, sub: 'b', purpose: 'signup', codeHash: 'h', expiresAt: now + 1, attempts: 0, createdAt: 1 });
      const [s1, s2] = [unique('s'), unique('s')];
      await store.authSessions.put({ sessionHash: s1, poolId: p.id, clientId: 'c', sub: 'u', challenge: 'X', state: null, expiresAt: now - 1 });
      await store.authSessions.put({ sessionHash: s2, poolId: p.id, clientId: 'c', sub: 'u', challenge: 'X', state: null, expiresAt: now + 1 });
      const [gone, kept] = [unique('fam'), unique('fam')];
      await store.refreshTokens.revokeFamily(p.id, gone, now - 1, 1);
      await store.refreshTokens.revokeFamily(p.id, kept, now + 1, 1);
      await store.sweepExpired(now);
      assert.equal(await store.refreshTokens.get(old.tokenHash), undefined);
      assert.ok(await store.refreshTokens.get(live.tokenHash));
      assert.equal(await store.codes.get(p.id, 'a', 'signup'), undefined);
      assert.ok(await store.codes.get(p.id, 'b', 'signup'));
      assert.equal(await store.authSessions.take(s1), undefined);
      assert.ok(await store.authSessions.take(s2));
      assert.equal(await store.refreshTokens.isFamilyRevoked(gone), false);
      assert.equal(await store.refreshTokens.isFamilyRevoked(kept), true);
    },
  },
  {
    name: 'keys, messages and audit events round-trip in order',
    async run(store) {
      const p = await freshPool(store);
      const k = { ...key(p.id), createdAt: 5, activatesAt: 6 };
      await store.keys.insert(k);
      await store.keys.update({ ...k, retiresAt: 100, expiresAt: 200 });
      const keys = await store.keys.list(p.id);
      assert.equal(keys.length, 2);
      assert.deepEqual(keys[1], { ...k, retiresAt: 100, expiresAt: 200 });
      const m1 = await store.messages.insert({ poolId: p.id, channel: 'email', destination: 'a@b', username: 'a', triggerSource: 'CustomMessage_SignUp', subject: 's', body: 'one', createdAt: 1 });
      const m2 = await store.messages.insert({ poolId: p.id, channel: 'sms', destination: '+1555', username: 'a', triggerSource: 'CustomMessage_ResendCode', subject: null, body: 'two', createdAt: 2 });
      assert.ok(m2 > m1);
      assert.deepEqual((await store.messages.list(p.id, 10)).map((m) => m.body), ['two', 'one']);
      await store.audit.record({ poolId: p.id, type: 'sign_in', sub: 'u', clientId: 'c', detail: { ip: '127.0.0.1' }, createdAt: 3 });
      const [event] = await store.audit.list(p.id, 5);
      assert.equal(event?.type, 'sign_in');
      assert.deepEqual(event?.detail, { ip: '127.0.0.1' });
    },
  },
];
