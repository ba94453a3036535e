import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';
import { compactHex } from './compact-hex.js';

/**
 * Pool and client settings are kept as Cognito-shaped JSON: the API reads and writes them
 * whole, and later features add fields without a migration. Anything we query by gets
 * its own column. Times are epoch milliseconds.
 */
export const pools = sqliteTable('pools', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  config: text('config', { mode: 'json' }).notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const clients = sqliteTable(
  'clients',
  {
    id: text('id').primaryKey(),
    poolId: text('pool_id').notNull(),
    name: text('name').notNull(),
    /** AES-GCM ciphertext under the KEK; null for public clients. */
    secretEnc: text('secret_enc'),
    config: text('config', { mode: 'json' }).notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('clients_pool').on(t.poolId, t.id)],
);

/**
 * Integer row ids keep inserts fast at a million users; `sub` is the external id.
 * email, phone and preferred_username are copied out of `attributes` so alias
 * look-ups and ListUsers filters on them use an index.
 */
export const users = sqliteTable(
  'users',
  {
    rowId: integer('row_id').primaryKey({ autoIncrement: true }),
    poolId: text('pool_id').notNull(),
    sub: text('sub').notNull(),
    username: text('username').notNull(),
    /** The username as compared: lower-cased unless the pool is case sensitive. */
    usernameKey: text('username_key').notNull(),
    email: text('email'),
    phone: text('phone'),
    preferredUsername: text('preferred_username'),
    attributes: text('attributes', { mode: 'json' }).notNull(),
    passwordHash: text('password_hash'),
    passwordSetAt: integer('password_set_at'),
    /** USER_SRP_AUTH: hex salt and verifier g^x mod N, written with every password; never the password. */
    srpSalt: compactHex('srp_salt'),
    srpVerifier: compactHex('srp_verifier'),
    status: text('status').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    /**
     * New email / phone values waiting for verification while the old ones stay in force
     * (UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate).
     */
    pendingAttributes: text('pending_attributes', { mode: 'json' }),
    /** MFA choices (SetUserMFAPreference): the factors turned on and the preferred one. */
    mfa: text('mfa', { mode: 'json' }),
    /** Sealed TOTP secrets: the verified authenticator, and one associated but not yet verified. */
    totpSecretEnc: text('totp_secret_enc'),
    totpPendingEnc: text('totp_pending_enc'),
    /** Highest TOTP time step accepted; written only by `users.acceptTotpStep`, so a code works once. */
    totpLastStep: integer('totp_last_step'),
    /** Consecutive wrong passwords, and the lock they earned; written only by their own statements. */
    failedSignIns: integer('failed_sign_ins').notNull().default(0),
    lockedUntil: integer('locked_until').notNull().default(0),
    /** Access tokens issued before this instant are refused (GlobalSignOut). */
    tokensValidAfter: integer('tokens_valid_after').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('users_pool_username').on(t.poolId, t.usernameKey),
    uniqueIndex('users_pool_sub').on(t.poolId, t.sub),
    index('users_pool_email').on(t.poolId, t.email),
    // Most users have neither: a look-up by value implies NOT NULL, so these still serve it.
    index('users_pool_phone').on(t.poolId, t.phone).where(sql`${t.phone} IS NOT NULL`),
    index('users_pool_preferred').on(t.poolId, t.preferredUsername).where(sql`${t.preferredUsername} IS NOT NULL`),
  ],
);

/**
 * Authorization codes, stored by hash. `consumedAt` makes them single-use; a second use
 * revokes the sign-in family (`familyId`) the first one started.
 */
export const authorizationCodes = sqliteTable('authorization_codes', {
  codeHash: text('code_hash').primaryKey(),
  poolId: text('pool_id').notNull(),
  clientId: text('client_id').notNull(),
  sub: text('sub').notNull(),
  redirectUri: text('redirect_uri').notNull(),
  scope: text('scope').notNull(),
  nonce: text('nonce'),
  codeChallenge: text('code_challenge'),
  authTime: integer('auth_time').notNull(),
  familyId: text('family_id').notNull(),
  expiresAt: integer('expires_at').notNull(),
  consumedAt: integer('consumed_at'),
});

/** Hosted UI single sign-on sessions; the cookie holds the random id, the row its hash. */
export const ssoSessions = sqliteTable(
  'sso_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    poolId: text('pool_id').notNull(),
    sub: text('sub').notNull(),
    authTime: integer('auth_time').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('sso_sessions_user').on(t.poolId, t.sub)],
);

/** OAuth resource servers: their scopes are `identifier/scopeName` in tokens. */
export const resourceServers = sqliteTable(
  'resource_servers',
  {
    poolId: text('pool_id').notNull(),
    identifier: text('identifier').notNull(),
    name: text('name').notNull(),
    scopes: text('scopes', { mode: 'json' }).notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.poolId, t.identifier] })],
);

/** Tracked devices (Cognito's DeviceConfiguration): the device SRP verifier, never the device's secret. */
export const devices = sqliteTable(
  'devices',
  {
    rowId: integer('row_id').primaryKey({ autoIncrement: true }),
    poolId: text('pool_id').notNull(),
    sub: text('sub').notNull(),
    deviceKey: text('device_key').notNull(),
    groupKey: text('group_key').notNull(),
    salt: text('salt'),
    verifier: text('verifier'),
    name: text('name'),
    /** remembered | not_remembered */
    status: text('status').notNull(),
    confirmed: integer('confirmed', { mode: 'boolean' }).notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    lastAuthAt: integer('last_auth_at'),
  },
  (t) => [uniqueIndex('devices_key').on(t.poolId, t.deviceKey), index('devices_user').on(t.poolId, t.sub, t.rowId)],
);

/** Earlier password hashes, newest first, kept up to the pool's PasswordHistorySize. */
export const passwordHistory = sqliteTable(
  'password_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    poolId: text('pool_id').notNull(),
    sub: text('sub').notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('password_history_user').on(t.poolId, t.sub, t.id)],
);

export const groups = sqliteTable(
  'groups',
  {
    poolId: text('pool_id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    roleArn: text('role_arn'),
    precedence: integer('precedence'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.poolId, t.name] })],
);

export const memberships = sqliteTable(
  'memberships',
  {
    poolId: text('pool_id').notNull(),
    groupName: text('group_name').notNull(),
    sub: text('sub').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.poolId, t.groupName, t.sub] }),
    index('memberships_user').on(t.poolId, t.sub),
  ],
);

/**
 * One row per refresh token. A family is one sign-in; its id is the tokens' `origin_jti`.
 * Only the token's hash is stored. A rotated row keeps `replacedAt`, so presenting it
 * again is detected as reuse.
 */
export const refreshTokens = sqliteTable(
  'refresh_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    familyId: text('family_id').notNull(),
    poolId: text('pool_id').notNull(),
    clientId: text('client_id').notNull(),
    sub: text('sub').notNull(),
    /** Epoch ms of the original sign-in, for `auth_time`. */
    authTime: integer('auth_time').notNull(),
    scope: text('scope'),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    replacedAt: integer('replaced_at'),
  },
  (t) => [index('refresh_family').on(t.familyId), index('refresh_user').on(t.poolId, t.sub)],
);

/** Revoked sign-in families: access and ID tokens carrying this origin_jti are refused. */
export const revokedFamilies = sqliteTable('revoked_families', {
  familyId: text('family_id').primaryKey(),
  poolId: text('pool_id').notNull(),
  revokedAt: integer('revoked_at').notNull(),
  /** When every token of the family has expired the row can go. */
  expiresAt: integer('expires_at').notNull(),
});

/** Confirmation, reset and verification codes, stored as keyed hashes. */
export const codes = sqliteTable(
  'codes',
  {
    poolId: text('pool_id').notNull(),
    sub: text('sub').notNull(),
    purpose: text('purpose').notNull(),
    codeHash: text('code_hash').notNull(),
    expiresAt: integer('expires_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.poolId, t.sub, t.purpose] })],
);

/** Challenge sessions (the `Session` string of InitiateAuth), stored by hash, single use. */
export const authSessions = sqliteTable('auth_sessions', {
  sessionHash: text('session_hash').primaryKey(),
  poolId: text('pool_id').notNull(),
  clientId: text('client_id').notNull(),
  sub: text('sub').notNull(),
  challenge: text('challenge').notNull(),
  state: text('state', { mode: 'json' }),
  expiresAt: integer('expires_at').notNull(),
});

export const signingKeys = sqliteTable(
  'signing_keys',
  {
    kid: text('kid').primaryKey(),
    poolId: text('pool_id').notNull(),
    alg: text('alg').notNull(),
    publicJwk: text('public_jwk', { mode: 'json' }).notNull(),
    /** AES-GCM ciphertext of the private JWK under the KEK. */
    privateJwkEnc: text('private_jwk_enc').notNull(),
    createdAt: integer('created_at').notNull(),
    /** Signing starts here; published in the JWKS from `createdAt`. */
    activatesAt: integer('activates_at').notNull(),
    /** Stops signing here; stays published until `expiresAt`. */
    retiresAt: integer('retires_at'),
    expiresAt: integer('expires_at'),
  },
  (t) => [index('signing_keys_pool').on(t.poolId)],
);

export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    poolId: text('pool_id').notNull(),
    channel: text('channel').notNull(),
    destination: text('destination').notNull(),
    username: text('username').notNull(),
    triggerSource: text('trigger_source').notNull(),
    subject: text('subject'),
    body: text('body').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('messages_pool').on(t.poolId, t.id)],
);

export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    poolId: text('pool_id').notNull(),
    type: text('type').notNull(),
    sub: text('sub'),
    clientId: text('client_id'),
    detail: text('detail', { mode: 'json' }),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('audit_pool').on(t.poolId, t.id)],
);

/**
 * Upstream identity providers of a pool. `details` holds the non-secret ProviderDetails;
 * client_secret and private_key are sealed together in `secretsEnc`.
 */
export const identityProviders = sqliteTable(
  'identity_providers',
  {
    poolId: text('pool_id').notNull(),
    name: text('name').notNull(),
    type: text('type').notNull(),
    details: text('details', { mode: 'json' }).notNull(),
    secretsEnc: text('secrets_enc'),
    attributeMapping: text('attribute_mapping', { mode: 'json' }).notNull(),
    idpIdentifiers: text('idp_identifiers', { mode: 'json' }).notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.poolId, t.name] })],
);

/**
 * An external identity and the pool user it signs in as. Keyed by (provider, issuer,
 * subject), never by email.
 */
export const federatedIdentities = sqliteTable(
  'federated_identities',
  {
    poolId: text('pool_id').notNull(),
    providerName: text('provider_name').notNull(),
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    sub: text('sub').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.poolId, t.providerName, t.issuer, t.subject] }), index('federated_identities_user').on(t.poolId, t.sub)],
);

/**
 * One federated sign-in in flight: the authorization request to resume, what the adapter
 * keeps between redirect and callback, and the hash of the browser-binding cookie.
 */
export const federationStates = sqliteTable('federation_states', {
  idHash: text('id_hash').primaryKey(),
  poolId: text('pool_id').notNull(),
  providerName: text('provider_name').notNull(),
  browserHash: text('browser_hash').notNull(),
  authorizeQuery: text('authorize_query').notNull(),
  kept: text('kept', { mode: 'json' }).notNull(),
  expiresAt: integer('expires_at').notNull(),
});

/** Ids that may be used once (SAML assertion ids), kept until they could no longer be valid. */
export const usedOnceIds = sqliteTable(
  'used_once_ids',
  {
    scope: text('scope').notNull(),
    id: text('id').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.id] })],
);

/**
 * A pool's SAML service-provider certificate (GetSigningCertificate): signs AuthnRequests
 * and logout messages. The private key is sealed.
 */
export const samlCertificates = sqliteTable('saml_certificates', {
  poolId: text('pool_id').primaryKey(),
  certificate: text('certificate').notNull(),
  privateKeyEnc: text('private_key_enc').notNull(),
  createdAt: integer('created_at').notNull(),
});
