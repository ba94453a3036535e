import {
  CodeMismatchError, CognateError, ExpiredCodeError, InvalidPasswordError, LimitExceededError, PasswordHistoryPolicyViolationError,
  TooManyFailedAttemptsError, TooManyRequestsError,
} from '../../errors.js';
import type { Messages } from '../../ui/i18n.js';

/**
 * English messages of the core and of the authorization checks that can reach a hosted page,
 * with the catalog key that says them in the page's language. Messages not listed are shown
 * as the core wrote them.
 */
export const MESSAGE_KEYS: readonly (readonly [RegExp, keyof Messages])[] = [
  [/^User is disabled\.$/, 'disabled'],
  [/^Password attempts exceeded$/, 'locked'],
  [/^Password reset required for the user$/, 'resetRequired'],
  [/^User is not confirmed\.$/, 'notConfirmed'],
  [/^Temporary password has expired and must be reset by an administrator\.$/, 'temporaryPasswordExpired'],
  [/^User does not exist\.$/, 'userNotFound'],
  [/^Incorrect username or password\.$/, 'wrongCredentials'],
  [/^User has no sign-in method this user pool allows\.$/, 'noSignInMethod'],
  [/^An account with the given (email|phone_number) already exists\.$/, 'aliasExists'],
  [/^Unable to deliver the message$/, 'deliveryFailed'],
  [/^SignUp is not permitted for this user pool$/, 'signUpDisabled'],
  [/^Auto verification not turned on\.$/, 'autoVerificationOff'],
  [/^Cannot reset password for the user as there is no registered\/verified email or phone_number$/, 'noRecovery'],
  [/^Invalid session for the user/, 'sessionExpired'],
  [/^A client attempted to write unauthorized attribute/, 'attributeNotWritable'],
  [/^Attributes did not conform to the schema/, 'attributesInvalid'],
  [/^Invalid email address format\.$/, 'invalidEmail'],
  [/^Invalid phone number format\.$/, 'invalidPhone'],
  [/^Password did not conform with policy/, 'passwordInvalid'],
  [/^The password provided was used previously/, 'passwordReused'],
  [/^Attempt limit exceeded/, 'tooMany'],
  [/^client_id is required$/, 'clientIdRequired'],
  [/^Unknown client$/, 'unknownClient'],
  [/^redirect_uri is not registered for this client$/, 'redirectUriNotRegistered'],
  [/^Parameter \S+ is repeated$/, 'parameterRepeated'],
  [/^The form has expired\. Go back and try again\.$/, 'formExpired'],
  [/^Cross-site form submission refused$/, 'crossSiteForm'],
];

/** A message of the core in the page's language, when the catalogs know it. */
export function knownMessage(message: string, t: Messages): string | undefined {
  const hit = MESSAGE_KEYS.find(([pattern]) => pattern.test(message));
  return hit && t[hit[1]];
}

/** A message of the core in the page's language, or as the core wrote it. */
export function localized(message: string, t: Messages): string {
  return knownMessage(message, t) ?? message;
}

/** A core error put into the hosted page's words: tied to a field, or for the whole form. */
export interface PageError {
  field?: string;
  message: string;
}

/**
 * Errors every hosted form shares. When the client hides whether users exist, a wrong and
 * an expired code read the same, as the core answers the two differently for real users.
 */
export function sharedError(error: unknown, t: Messages, hideUsers: boolean): PageError | undefined {
  if (!(error instanceof CognateError) || !error.expose) return undefined;
  if (error instanceof InvalidPasswordError) return { field: 'password', message: t.passwordInvalid };
  if (error instanceof PasswordHistoryPolicyViolationError) return { field: 'password', message: t.passwordReused };
  if (error instanceof CodeMismatchError) return { field: 'code', message: hideUsers ? t.codeInvalid : t.codeMismatch };
  if (error instanceof ExpiredCodeError) return { field: 'code', message: hideUsers ? t.codeInvalid : t.codeExpired };
  if (error instanceof LimitExceededError || error instanceof TooManyFailedAttemptsError || error instanceof TooManyRequestsError) {
    return { message: t.tooMany };
  }
  return undefined;
}

/** Attribute problems from the directory: the field they concern and a message in the page's language. */
export function attributeError(error: CognateError, t: Messages, fields: string[]): PageError | undefined {
  if (error.message === 'Invalid email address format.') return { field: 'email', message: t.invalidEmail };
  if (error.message === 'Invalid phone number format.') return { field: 'phone_number', message: t.invalidPhone };
  const conform = /^Attributes did not conform to the schema: ([^:]+):/.exec(error.message);
  if (conform && fields.includes(conform[1]!)) {
    return { field: conform[1]!, message: / is required/.test(error.message) ? t.required : t.invalidValue };
  }
  return undefined;
}

/** The first error per field, as a page shows them. */
export function byField(errors: PageError[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const e of errors) if (e.field && !out[e.field]) out[e.field] = e.message;
  return out;
}
