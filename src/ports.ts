/**
 * The seams between the domain and the world. `src/core` sees only these interfaces;
 * the runtimes (Node, Workers) and tests provide implementations.
 */

import type {
  AuditEvent, AuthorizationCodeRecord, AuthSessionRecord, ClientRecord, CodeRecord, DeviceRecord, FederatedIdentityRecord,
  FederationStateRecord, GroupRecord, IdentityProviderRecord, MessageRecord, Page, PoolRecord, SamlCertificateRecord, RefreshTokenRecord, ResourceServerRecord, SigningKeyRecord, SsoSessionRecord, UserFilter, UserRecord,
} from './records.js';

export type * from './records.js';

export interface Store {
  pools: {
    insert(pool: PoolRecord, firstKey: SigningKeyRecord): Promise<void>;
    get(id: string): Promise<PoolRecord | undefined>;
    update(pool: PoolRecord): Promise<void>;
    list(limit: number, after?: string): Promise<Page<PoolRecord>>;
    /** Deletes the pool and everything in it, atomically. */
    delete(id: string): Promise<void>;
  };
  clients: {
    insert(client: ClientRecord): Promise<void>;
    get(poolId: string, clientId: string): Promise<ClientRecord | undefined>;
    /** Public operations name only the client; client ids are unique across pools. */
    byId(clientId: string): Promise<ClientRecord | undefined>;
    update(client: ClientRecord): Promise<void>;
    list(poolId: string, limit: number, after?: string): Promise<Page<ClientRecord>>;
    /** Deletes the client and its refresh tokens, atomically. */
    delete(poolId: string, clientId: string): Promise<void>;
  };
  users: {
    /** Throws UsernameExistsError when the username (key) is taken. */
    insert(user: UserRecord): Promise<void>;
    getByUsername(poolId: string, usernameKey: string): Promise<UserRecord | undefined>;
    getBySub(poolId: string, sub: string): Promise<UserRecord | undefined>;
    /** Users whose email (ignoring case) / phone_number / preferred_username equals `value`. */
    findByAttribute(
      poolId: string,
      attribute: 'email' | 'phone_number' | 'preferred_username',
      value: string,
    ): Promise<UserRecord[]>;
    /** Writes the record, except the failed sign-in counters. */
    update(user: UserRecord): Promise<void>;
    /**
     * Counts a wrong password atomically. From the fifth in a row the account locks for
     * 1 s, doubling with each further failure up to 15 minutes.
     */
    countFailedSignIn(poolId: string, sub: string, now: number): Promise<{ failures: number; lockedUntil: number }>;
    resetFailedSignIns(poolId: string, sub: string): Promise<void>;
    /**
     * Records a TOTP time step as used, only if it is later than every step accepted before
     * (compare-and-set): false means the code was already used, or an older one.
     */
    acceptTotpStep(poolId: string, sub: string, step: number): Promise<boolean>;
    /** Deletes the user with codes, sessions, memberships and refresh tokens. */
    delete(poolId: string, sub: string): Promise<void>;
    list(poolId: string, options: { filter?: UserFilter; limit: number; after?: string }): Promise<Page<UserRecord>>;
    count(poolId: string): Promise<number>;
  };
  groups: {
    /** Throws GroupExistsError when the pool already has a group of that name. */
    insert(group: GroupRecord): Promise<void>;
    get(poolId: string, name: string): Promise<GroupRecord | undefined>;
    /** Writes description, role, precedence and updatedAt. */
    update(group: GroupRecord): Promise<void>;
    /** Deletes the group and its memberships, atomically. */
    delete(poolId: string, name: string): Promise<void>;
    /** A pool's groups in name order. */
    list(poolId: string, limit: number, after?: string): Promise<Page<GroupRecord>>;
    /** Idempotent; adds nothing unless both the group and the user exist. */
    addMember(poolId: string, name: string, sub: string, now: number): Promise<void>;
    removeMember(poolId: string, name: string, sub: string): Promise<void>;
    /** A user's groups in name order. */
    listForUser(poolId: string, sub: string, limit: number, after?: string): Promise<Page<GroupRecord>>;
    /** A group's members, in a stable order. */
    listMembers(poolId: string, name: string, limit: number, after?: string): Promise<Page<UserRecord>>;
    /** Every group of a user, as tokens list them: by precedence (unset last), then name. */
    forUser(poolId: string, sub: string): Promise<GroupRecord[]>;
  };
  codes: {
    put(code: CodeRecord): Promise<void>;
    get(poolId: string, sub: string, purpose: string): Promise<CodeRecord | undefined>;
    /** Adds one failed attempt; returns the new count. */
    fail(poolId: string, sub: string, purpose: string): Promise<number>;
    delete(poolId: string, sub: string, purpose: string): Promise<void>;
  };
  authSessions: {
    put(session: AuthSessionRecord): Promise<void>;
    /** Removes and returns the session: a Session string works once. */
    take(sessionHash: string): Promise<AuthSessionRecord | undefined>;
  };
  refreshTokens: {
    insert(token: RefreshTokenRecord): Promise<void>;
    get(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
    /**
     * Marks `oldHash` replaced and stores `next`, only if `oldHash` was still current.
     * Returns false when another request rotated it first.
     */
    rotate(oldHash: string, next: RefreshTokenRecord): Promise<boolean>;
    /** Revokes a whole family: its rows go and the family id is remembered until `expiresAt`. */
    revokeFamily(poolId: string, familyId: string, expiresAt: number, now: number): Promise<void>;
    /** Revokes every family of a user; each marker lasts until its family's tokens have all expired. */
    revokeUser(poolId: string, sub: string, now: number): Promise<void>;
    isFamilyRevoked(familyId: string): Promise<boolean>;
  };
  keys: {
    list(poolId: string): Promise<SigningKeyRecord[]>;
    insert(key: SigningKeyRecord): Promise<void>;
    update(key: SigningKeyRecord): Promise<void>;
    /** Adds `next` and writes the retiring keys' new dates, atomically. */
    rotate(next: SigningKeyRecord, retiring: SigningKeyRecord[]): Promise<void>;
  };
  messages: {
    insert(message: MessageRecord): Promise<number>;
    list(poolId: string, limit: number): Promise<MessageRecord[]>;
  };
  audit: {
    record(event: AuditEvent): Promise<void>;
    list(poolId: string, limit: number): Promise<AuditEvent[]>;
  };
  authorizationCodes: {
    insert(code: AuthorizationCodeRecord): Promise<void>;
    /** Marks the code used; `firstUse` is false when it had been used before (a replay). */
    consume(codeHash: string, now: number): Promise<{ record: AuthorizationCodeRecord; firstUse: boolean } | undefined>;
  };
  ssoSessions: {
    insert(session: SsoSessionRecord): Promise<void>;
    get(idHash: string): Promise<SsoSessionRecord | undefined>;
    delete(idHash: string): Promise<void>;
  };
  resourceServers: {
    /** Throws InvalidParameterError when the identifier is taken in the pool. */
    insert(server: ResourceServerRecord): Promise<void>;
    get(poolId: string, identifier: string): Promise<ResourceServerRecord | undefined>;
    update(server: ResourceServerRecord): Promise<void>;
    list(poolId: string, limit: number, after?: string): Promise<Page<ResourceServerRecord>>;
    delete(poolId: string, identifier: string): Promise<void>;
  };
  devices: {
    insert(device: DeviceRecord): Promise<void>;
    get(poolId: string, deviceKey: string): Promise<DeviceRecord | undefined>;
    update(device: DeviceRecord): Promise<void>;
    /** A user's confirmed devices, oldest first. */
    listForUser(poolId: string, sub: string, limit: number, after?: string): Promise<Page<DeviceRecord>>;
    delete(poolId: string, deviceKey: string): Promise<void>;
  };
  passwordHistory: {
    /** Earlier password hashes of a user, newest first. */
    recent(poolId: string, sub: string, limit: number): Promise<string[]>;
    /** Remembers a replaced password hash, keeping only the newest `keep` of the user's. */
    add(poolId: string, sub: string, passwordHash: string, createdAt: number, keep: number): Promise<void>;
  };
  identityProviders: {
    /** Throws DuplicateProviderError when the pool already has a provider of that name. */
    insert(provider: IdentityProviderRecord): Promise<void>;
    get(poolId: string, name: string): Promise<IdentityProviderRecord | undefined>;
    update(provider: IdentityProviderRecord): Promise<void>;
    list(poolId: string, limit: number, after?: string): Promise<Page<IdentityProviderRecord>>;
    /** Every provider of a pool, for routing by IdpIdentifier and the sign-in page's buttons. */
    all(poolId: string): Promise<IdentityProviderRecord[]>;
    delete(poolId: string, name: string): Promise<void>;
  };
  federation: {
    find(poolId: string, providerName: string, issuer: string, subject: string): Promise<FederatedIdentityRecord | undefined>;
    forUser(poolId: string, sub: string): Promise<FederatedIdentityRecord[]>;
    /**
     * Creates a federated user together with its identity, atomically. Throws
     * UsernameExistsError when the user exists, or the identity is already linked.
     */
    createUser(user: UserRecord, identity: FederatedIdentityRecord): Promise<void>;
    /** Links the identity and writes the user (its `identities` attribute), atomically; false when it was already linked. */
    link(identity: FederatedIdentityRecord, user: UserRecord): Promise<boolean>;
    /** Removes the link and writes the user, atomically. */
    unlink(identity: FederatedIdentityRecord, user: UserRecord): Promise<void>;
    putState(state: FederationStateRecord): Promise<void>;
    /** Removes and returns the state: a callback works once. */
    takeState(idHash: string): Promise<FederationStateRecord | undefined>;
    /** Records an id as used; false when it had been used before (a replay). */
    useOnce(scope: string, id: string, expiresAt: number): Promise<boolean>;
    samlCertificate(poolId: string): Promise<SamlCertificateRecord | undefined>;
    /** Stores the pool's SP certificate unless one exists; returns the one in force. */
    putSamlCertificate(certificate: SamlCertificateRecord): Promise<SamlCertificateRecord>;
  };
  /** Removes what has expired before `now`; run on a schedule by each runtime. */
  sweepExpired(now: number): Promise<void>;
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface Random {
  bytes(length: number): Uint8Array;
  uuid(): string;
}

/** argon2id in PHC format; runtimes provide a native or WebAssembly implementation. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(phc: string, password: string): Promise<boolean>;
}

/** One outgoing email or SMS, as the webhook contract describes it. */
export interface OutgoingMessage {
  poolId: string;
  channel: 'email' | 'sms';
  to: string;
  username: string;
  triggerSource: string;
  code: string;
  subject: string | null;
  body: string;
}

export interface MessageSender {
  /** Throws when delivery failed; the caller turns that into CodeDeliveryFailureException. */
  send(message: OutgoingMessage): Promise<void>;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface Deps {
  store: Store;
  clock: Clock;
  random: Random;
  hasher: PasswordHasher;
  sender: MessageSender;
  logger: Logger;
  fetch: typeof fetch;
}
