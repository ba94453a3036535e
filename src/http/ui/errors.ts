import {
  CodeMismatchError, CognateError, ExpiredCodeError, InvalidPasswordError, LimitExceededError, PasswordHistoryPolicyViolationError,
  TooManyFailedAttemptsError, TooManyRequestsError,
} from '../../errors.js';
import type { Messages } from '../../ui/i18n.js';

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
