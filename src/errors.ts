/**
 * One error hierarchy for every protocol Cognate speaks. Each class knows its Cognito
 * `__type`, its HTTP status and its OAuth `error`, so a single handler can answer in the
 * caller's own format. `expose: false` errors become a generic 500 and keep their detail
 * in the log only.
 */
export class CognateError extends Error {
  readonly code: string = 'InternalErrorException';
  readonly status: number = 500;
  readonly oauthError: string = 'server_error';
  readonly expose: boolean = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  /** Cognito's `__type` value, e.g. `UsernameExistsException`. */
  get cognitoType(): string {
    return this.code;
  }
}

export class InternalError extends CognateError {
  override readonly expose = false;
}

export class InvalidParameterError extends CognateError {
  override readonly code = 'InvalidParameterException';
  override readonly status = 400;
  override readonly oauthError = 'invalid_request';
}

export class InvalidPasswordError extends CognateError {
  override readonly code = 'InvalidPasswordException';
  override readonly status = 400;
  override readonly oauthError = 'invalid_request';
}

export class PasswordHistoryPolicyViolationError extends CognateError {
  override readonly code = 'PasswordHistoryPolicyViolationException';
  override readonly status = 400;
}

export class ResourceNotFoundError extends CognateError {
  override readonly code = 'ResourceNotFoundException';
  override readonly status = 400;
  override readonly oauthError = 'invalid_request';
}

export class UserNotFoundError extends CognateError {
  override readonly code = 'UserNotFoundException';
  override readonly status = 400;
}

export class UsernameExistsError extends CognateError {
  override readonly code = 'UsernameExistsException';
  override readonly status = 400;
}

export class GroupExistsError extends CognateError {
  override readonly code = 'GroupExistsException';
  override readonly status = 400;
}

export class AliasExistsError extends CognateError {
  override readonly code = 'AliasExistsException';
  override readonly status = 400;
}

export class NotAuthorizedError extends CognateError {
  override readonly code = 'NotAuthorizedException';
  override readonly status = 400;
  override readonly oauthError = 'invalid_grant';
}

export class UserNotConfirmedError extends CognateError {
  override readonly code = 'UserNotConfirmedException';
  override readonly status = 400;
}

export class PasswordResetRequiredError extends CognateError {
  override readonly code = 'PasswordResetRequiredException';
  override readonly status = 400;
}

export class CodeMismatchError extends CognateError {
  override readonly code = 'CodeMismatchException';
  override readonly status = 400;
}

export class ExpiredCodeError extends CognateError {
  override readonly code = 'ExpiredCodeException';
  override readonly status = 400;
}

export class LimitExceededError extends CognateError {
  override readonly code = 'LimitExceededException';
  override readonly status = 400;
}

export class TooManyFailedAttemptsError extends CognateError {
  override readonly code = 'TooManyFailedAttemptsException';
  override readonly status = 400;
}

export class TooManyRequestsError extends CognateError {
  override readonly code = 'TooManyRequestsException';
  override readonly status = 400;
  override readonly oauthError = 'temporarily_unavailable';
}

export class CodeDeliveryFailureError extends CognateError {
  override readonly code = 'CodeDeliveryFailureException';
  override readonly status = 400;
}

export class InvalidParameterCombinationError extends CognateError {
  override readonly code = 'InvalidParameterException';
  override readonly status = 400;
}

export class UnsupportedOperationError extends CognateError {
  override readonly code = 'UnsupportedOperationException';
  override readonly status = 400;
}

export class UnsupportedUserStateError extends CognateError {
  override readonly code = 'UnsupportedUserStateException';
  override readonly status = 400;
}

export class ScopeDoesNotExistError extends CognateError {
  override readonly code = 'ScopeDoesNotExistException';
  override readonly status = 400;
  override readonly oauthError = 'invalid_scope';
}

export class InvalidOAuthFlowError extends CognateError {
  override readonly code = 'InvalidOAuthFlowException';
  override readonly status = 400;
}

export class UnsupportedTokenTypeError extends CognateError {
  override readonly code = 'UnsupportedTokenTypeException';
  override readonly status = 400;
  override readonly oauthError = 'unsupported_token_type';
}

export class InvalidUserPoolConfigurationError extends CognateError {
  override readonly code = 'InvalidUserPoolConfigurationException';
  override readonly status = 400;
}

export class InvalidLambdaResponseError extends CognateError {
  override readonly code = 'InvalidLambdaResponseException';
  override readonly status = 400;
}

/** VerifySoftwareToken with a code the associated secret does not produce. */
export class EnableSoftwareTokenMfaError extends CognateError {
  override readonly code = 'EnableSoftwareTokenMFAException';
  override readonly status = 400;
}

/** VerifySoftwareToken (or TOTP MFA) for a user who has no associated software token. */
export class SoftwareTokenMfaNotFoundError extends CognateError {
  override readonly code = 'SoftwareTokenMFANotFoundException';
  override readonly status = 400;
}

export class FeatureUnavailableInTierError extends CognateError {
  override readonly code = 'FeatureUnavailableInTierException';
  override readonly status = 400;
}

/** The HTTP request itself is unusable (bad JSON, unknown operation). */
export class SerializationError extends CognateError {
  override readonly code = 'SerializationException';
  override readonly status = 400;
}

export class UnknownOperationError extends CognateError {
  override readonly code = 'UnknownOperationException';
  override readonly status = 400;
}

/** SigV4 failures use AWS's own generic names, which the SDK maps to errors too. */
export class MissingAuthenticationTokenError extends CognateError {
  override readonly code = 'MissingAuthenticationTokenException';
  override readonly status = 403;
}

export class UnrecognizedClientError extends CognateError {
  override readonly code = 'UnrecognizedClientException';
  override readonly status = 403;
}

export class InvalidSignatureError extends CognateError {
  override readonly code = 'InvalidSignatureException';
  override readonly status = 403;
}

export class SignatureExpiredError extends CognateError {
  override readonly code = 'InvalidSignatureException';
  override readonly status = 403;
}

/** Raised by an in-flight limit (hash queue). */
export class OverloadedError extends TooManyRequestsError {}

/** An OAuth 2.0 / OIDC error (RFC 6749 §5.2), answered as `{error, error_description}`. */
export class OAuthError extends CognateError {
  override readonly code: string = 'InvalidParameterException';
  override readonly oauthError: string;
  override readonly status: number;

  constructor(error: string, description: string, status = 400) {
    super(description);
    this.oauthError = error;
    this.status = status;
  }
}

/** Client authentication failed; answered with 401 and, for Basic, a WWW-Authenticate challenge. */
export class InvalidClientError extends OAuthError {
  /** Set when the client tried HTTP Basic, so the answer can carry the matching challenge. */
  basicAttempted = false;

  constructor(description = 'Client authentication failed') {
    super('invalid_client', description, 401);
  }
}

/** CreateIdentityProvider with a name the pool already uses. */
export class DuplicateProviderError extends CognateError {
  override readonly code = 'DuplicateProviderException';
  override readonly status = 400;
}

/**
 * An upstream sign-in failed: the provider refused, answered badly, or its response did
 * not verify. The message is safe to show; detail stays in `cause` for the log.
 */
export class UpstreamError extends OAuthError {
  constructor(description: string, options?: { cause?: unknown; error?: string }) {
    super(options?.error ?? 'invalid_request', description);
    if (options?.cause !== undefined) Object.defineProperty(this, 'cause', { value: options.cause });
  }
}
