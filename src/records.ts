/** The rows of Cognate's directory as the domain sees them; the Store port reads and writes these. */

export type UserStatus =
  | 'UNCONFIRMED'
  | 'CONFIRMED'
  | 'FORCE_CHANGE_PASSWORD'
  | 'RESET_REQUIRED'
  | 'EXTERNAL_PROVIDER'
  | 'ARCHIVED'
  | 'COMPROMISED'
  | 'UNKNOWN';

/** Cognito-shaped pool settings (UserPoolType without ids and dates). */
export type PoolConfig = Record<string, unknown>;
/** Cognito-shaped client settings (UserPoolClientType without ids, secret and dates). */
export type ClientConfig = Record<string, unknown>;

export interface PoolRecord {
  id: string;
  name: string;
  config: PoolConfig;
  createdAt: number;
  updatedAt: number;
}

export interface ClientRecord {
  id: string;
  poolId: string;
  name: string;
  secretEnc: string | null;
  config: ClientConfig;
  createdAt: number;
  updatedAt: number;
}

/** A second factor as Cognito names it in challenges and MFA settings. */
export type MfaFactor = 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP';

/** A user's MFA choices (SetUserMFAPreference / SetUserSettings). */
export interface UserMfa {
  enabled: MfaFactor[];
  preferred?: MfaFactor;
  /** FriendlyDeviceName given to VerifySoftwareToken. */
  totpDeviceName?: string;
}

export interface UserRecord {
  poolId: string;
  sub: string;
  username: string;
  usernameKey: string;
  /** Every attribute except `sub`, as Cognito strings. */
  attributes: Record<string, string>;
  /** Email / phone changes held back until verified (AttributesRequireVerificationBeforeUpdate). */
  pendingAttributes: Record<string, string> | null;
  passwordHash: string | null;
  passwordSetAt: number | null;
  /** USER_SRP_AUTH salt and verifier (hex), set with the password hash. */
  srpSalt: string | null;
  srpVerifier: string | null;
  status: UserStatus;
  enabled: boolean;
  mfa: UserMfa | null;
  /** TOTP secrets sealed under `totp:{poolId}:{sub}`: the verified one, and one associated but not yet verified. */
  totpSecretEnc: string | null;
  totpPendingEnc: string | null;
  /** Read-only here: changed through `users.countFailedSignIn` / `users.resetFailedSignIns`. */
  failedSignIns: number;
  lockedUntil: number;
  tokensValidAfter: number;
  createdAt: number;
  updatedAt: number;
}

export interface GroupRecord {
  poolId: string;
  name: string;
  description: string | null;
  roleArn: string | null;
  /** Lower wins; null ranks after every number. */
  precedence: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface AuthorizationCodeRecord {
  codeHash: string;
  poolId: string;
  clientId: string;
  sub: string;
  redirectUri: string;
  scope: string;
  nonce: string | null;
  /** S256 challenge; plain is never accepted. */
  codeChallenge: string | null;
  authTime: number;
  familyId: string;
  expiresAt: number;
  consumedAt: number | null;
}

export interface SsoSessionRecord {
  idHash: string;
  poolId: string;
  sub: string;
  authTime: number;
  createdAt: number;
  expiresAt: number;
}

export interface ResourceServerRecord {
  poolId: string;
  identifier: string;
  name: string;
  scopes: { ScopeName: string; ScopeDescription: string }[];
  createdAt: number;
  updatedAt: number;
}

/** A device Cognito-style device tracking knows: issued at sign-in, confirmed with an SRP verifier. */
export interface DeviceRecord {
  poolId: string;
  sub: string;
  /** `<region>_<uuid>`, unique across the store. */
  deviceKey: string;
  groupKey: string;
  /**
   * Hex SRP salt and verifier from ConfirmDevice; null until the device is confirmed. A
   * browser the hosted UI remembers has no salt and `browser:<SHA-256 of its secret>` here.
   */
  salt: string | null;
  verifier: string | null;
  name: string | null;
  status: 'remembered' | 'not_remembered';
  confirmed: boolean;
  createdAt: number;
  updatedAt: number;
  lastAuthAt: number | null;
}

export interface RefreshTokenRecord {
  tokenHash: string;
  familyId: string;
  poolId: string;
  clientId: string;
  sub: string;
  authTime: number;
  scope: string | null;
  createdAt: number;
  expiresAt: number;
  replacedAt: number | null;
}

export interface CodeRecord {
  poolId: string;
  sub: string;
  purpose: string;
  codeHash: string;
  expiresAt: number;
  attempts: number;
  createdAt: number;
}

export interface AuthSessionRecord {
  sessionHash: string;
  poolId: string;
  clientId: string;
  sub: string;
  challenge: string;
  state: Record<string, unknown> | null;
  expiresAt: number;
}

export interface SigningKeyRecord {
  kid: string;
  poolId: string;
  alg: string;
  publicJwk: Record<string, unknown>;
  privateJwkEnc: string;
  createdAt: number;
  activatesAt: number;
  retiresAt: number | null;
  expiresAt: number | null;
}

export interface MessageRecord {
  id?: number;
  poolId: string;
  channel: 'email' | 'sms';
  destination: string;
  username: string;
  triggerSource: string;
  subject: string | null;
  body: string;
  createdAt: number;
}

export interface AuditEvent {
  poolId: string;
  type: string;
  sub?: string | null;
  clientId?: string | null;
  detail?: Record<string, unknown> | null;
  createdAt: number;
}

/** A ListUsers filter after parsing: exact match or prefix on one attribute. */
export interface UserFilter {
  attribute: string;
  op: '=' | '^=';
  value: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque position to continue from, absent on the last page. */
  next?: string;
}

export type ProviderType = 'Google' | 'Facebook' | 'SignInWithApple' | 'LoginWithAmazon' | 'OIDC' | 'SAML';

/** An upstream identity provider; `secretsEnc` seals client_secret / private_key under `idp:{poolId}:{name}`. */
export interface IdentityProviderRecord {
  poolId: string;
  name: string;
  type: ProviderType;
  details: Record<string, string>;
  secretsEnc: string | null;
  /** Pool attribute ← provider claim or SAML attribute name. */
  attributeMapping: Record<string, string>;
  idpIdentifiers: string[];
  createdAt: number;
  updatedAt: number;
}

/** An external identity linked to the pool user `sub`. */
export interface FederatedIdentityRecord {
  poolId: string;
  providerName: string;
  issuer: string;
  subject: string;
  sub: string;
  createdAt: number;
}

/** A federated sign-in between the redirect upstream and the callback. */
export interface FederationStateRecord {
  idHash: string;
  poolId: string;
  providerName: string;
  browserHash: string;
  authorizeQuery: string;
  kept: Record<string, string>;
  expiresAt: number;
}

export interface SamlCertificateRecord {
  poolId: string;
  certificate: string;
  privateKeyEnc: string;
  createdAt: number;
}
