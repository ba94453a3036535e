import type { Context } from 'hono';
import { CognateError } from '../errors.js';
import type { Logger } from '../ports.js';

const AMZ_JSON = 'application/x-amz-json-1.1';

/** Cognito's error body; an unexposed error becomes a generic 500 and the detail stays in the log. */
export function cognitoErrorResponse(c: Context, error: unknown, logger: Logger): Response {
  if (error instanceof CognateError && error.expose) {
    return c.body(JSON.stringify({ __type: error.cognitoType, message: error.message }), error.status as 400, {
      'content-type': AMZ_JSON,
      'x-amzn-errortype': error.cognitoType,
    });
  }
  logger.error('unhandled error', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return c.body(JSON.stringify({ __type: 'InternalErrorException', message: 'Internal server error' }), 500, {
    'content-type': AMZ_JSON,
    'x-amzn-errortype': 'InternalErrorException',
  });
}

export { AMZ_JSON };
